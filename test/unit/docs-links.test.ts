// Every relative link in README.md and docs/*.md points at a file that exists and, with an #anchor into a
// Markdown file, at a heading it has — by GitHub's anchor rules (github-slugger): the heading's text
// lower-cased, punctuation and symbols dropped, spaces as hyphens, a repeated heading suffixed -1, -2….
// The README is the front door and the docs are split per reader, so a section moved between them
// breaks links that only this test sees.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks (a `# comment` in a shell listing is not a heading). */
const prose = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');

/** GitHub's anchor for a heading's text (the rendered text: code spans, emphasis and links as their words). */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*)/g, '')
    .replace(/<[^>]+>/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file's headings make, repeats numbered as GitHub numbers them. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = githubSlug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

/** Every link target in a Markdown file's prose that is not a web address: [text](target). */
function relativeLinks(markdown: string): string[] {
  const withoutCode = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** What is wrong with one link from `file` (relative to the repository), or null. */
function brokenLink(file: string, target: string): string | null {
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = pathPart ? path.resolve(ROOT, path.dirname(file), decodeURI(pathPart)) : path.join(ROOT, file);
  if (!resolved.startsWith(ROOT + path.sep) && resolved !== ROOT) return `${file}: ${target} leaves the repository`;
  if (!existsSync(resolved)) return `${file}: ${target} — no such file ${path.relative(ROOT, resolved)}`;
  if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return null;
  if (!anchorsOf(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) return `${file}: ${target} — ${path.relative(ROOT, resolved)} has no heading #${anchor}`;
  return null;
}

describe('GitHub’s anchors', () => {
  it('as GitHub makes them: punctuation dropped, code and emphasis as their words, repeats numbered', () => {
    expect(githubSlug('Going live: what is collected')).toBe('going-live-what-is-collected');
    expect(githubSlug('People and how the bot reaches them')).toBe('people-and-how-the-bot-reaches-them');
    expect(githubSlug('The `kpi db` commands, **in short**')).toBe('the-kpi-db-commands-in-short');
    expect(githubSlug('Year-end forecast (2017/18)')).toBe('year-end-forecast-201718');
    expect(githubSlug('Risks & appetite — 🟥 high')).toBe('risks--appetite---high');
    expect([...anchorsOf('# A\n## Tests\n```sh\n# not a heading\n```\n### Tests\n## Tests ##\n')]).toEqual(['a', 'tests', 'tests-1', 'tests-2']);
  });

  it('finds relative links only, outside code', () => {
    const md = 'See [x](docs/a.md#b), [web](https://example.org/#c), [mail](mailto:a@b.c), `[not](code.md)`.\n```\n[nor](this.md)\n```\n[here](#here)';
    expect(relativeLinks(md)).toEqual(['docs/a.md#b', '#here']);
  });
});

describe('links in README.md and docs/*.md', () => {
  it('the README and a document per reader are there', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/operating.md', 'docs/performance-team.md', 'docs/using-kpi-bot.md', 'docs/contributing.md']));
  });

  it.each(DOCS)('%s: every relative link reaches a file, and its #anchor a heading there', (file) => {
    const links = relativeLinks(readFileSync(path.join(ROOT, file), 'utf8'));
    expect(links.length).toBeGreaterThan(0);
    expect(links.map((l) => brokenLink(file, l)).filter(Boolean)).toEqual([]);
  });

  it('a broken file or anchor is caught', () => {
    expect(brokenLink('README.md', 'docs/operating.md#configuration')).toBeNull();
    expect(brokenLink('docs/operating.md', '../README.md#quick-start')).toBeNull();
    expect(brokenLink('docs/operating.md', '#no-such-heading')).toMatch(/has no heading #no-such-heading/);
    expect(brokenLink('README.md', '#plausibility-check')).toMatch(/README.md has no heading/);
    expect(brokenLink('README.md', 'docs/nothing.md')).toMatch(/no such file docs\/nothing.md/);
  });
});
