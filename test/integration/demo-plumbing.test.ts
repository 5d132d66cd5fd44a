// The demo shows what the council published, never how its figures were transcribed: every demo
// indicator's `/kpi show` and the demo's quarterly report carry nothing from the fixtures' `notes`
// (the transcriber's remarks on the PDF, its columns and cells) nor a unit's remark on how it was printed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock, useConsoleDemo, type ConsoleHarness } from '../support/app.ts';
import { messageOf } from '../support/bot.ts';
import { renderMessage } from '../../src/platforms/console/render.ts';

const DEMO_DIR = path.resolve(import.meta.dirname, '../../src/demo');

interface FixtureRow {
  slug?: string | null;
  unit?: string | null;
  notes?: string | null;
}

/** Each sentence of every fixture row's notes, and every unit's remark: what must not reach a person. */
function transcriptionNotes(): string[] {
  const out: string[] = [];
  for (const file of ['trafford-2017-18-q3.json', 'trafford-2013-14-q2.json']) {
    const rows = (JSON.parse(readFileSync(path.join(DEMO_DIR, file), 'utf8')) as { indicators: FixtureRow[] }).indicators;
    for (const r of rows) {
      for (const sentence of (r.notes ?? '').split(/(?<=\.)\s+/)) if (sentence.trim().length >= 24) out.push(sentence.trim().slice(0, 60));
      const remark = /\((.*)\)/.exec(r.unit ?? '')?.[1];
      if (remark?.includes(' ')) out.push(remark); // a remark, not a word such as "(visitors)"
    }
  }
  return [...new Set(out)];
}

/** How a transcription talks, whichever row it came from. */
const PLUMBING = [/text conversion/i, /\bin the PDF\b/i, /'1\d\/1\d (Target|Actual)'/, /\bSection 4\b/, /\bcolumn\b/i, /\bcells?\b/i, /scale not printed/i, /garbled/i, /\bdashboard\b/i];

function leaks(text: string, notes: string[]): string[] {
  return [...notes.filter((n) => text.includes(n)), ...PLUMBING.filter((re) => re.test(text)).map(String)];
}

describe.each(backends('pglite'))('the demo without its plumbing (%s)', (backend) => {
  const clock = new TestClock(new Date('2018-01-15T10:00:00Z'));
  const app = useConsoleDemo(backend, clock, 'priya.shah@trafford.example');
  let db: TestDatabase;
  let con: ConsoleHarness;
  const notes = transcriptionNotes();
  beforeAll(() => {
    ({ db, con } = app);
  });

  it('finds transcription notes in the fixtures to look for (the check can fail)', () => {
    expect(notes.length).toBeGreaterThan(40);
    expect(notes.some((n) => n.startsWith('Section 4 detail table for this indicator is not present'))).toBe(true);
    expect(leaks("'17/18 Target' column: 8.5. 'See attached Exception Report on Page 34'", notes)).not.toEqual([]);
  });

  it('/kpi show of every demo indicator says nothing of how the figures were transcribed', async () => {
    const indicators = await db.prisma.indicator.findMany({ orderBy: { id: 'asc' } });
    expect(indicators).toHaveLength(49);
    const found: string[] = [];
    // What the console prints, without drawing 49 charts: the answer rendered as the console renders it, and each chart's spec (its alt text is made from it).
    const priya = (await con.app.deps.repo.personByEmail('priya.shah@trafford.example'))!;
    const names = new Map((await con.app.deps.repo.people()).map((p) => [p.id, p.displayName]));
    for (const ind of indicators) {
      const r = await con.app.dispatcher.slash({ platform: 'console', userId: priya.email!, person: priya, channelId: 'console' }, `/kpi show ${ind.slug}`);
      expect(r.kind, ind.slug).toBe('message');
      const rendered = renderMessage(messageOf(r), (id) => names.get(id) ?? `person ${id}`);
      const out = [rendered.text, ...rendered.charts.map((c) => JSON.stringify(c))].join('\n');
      expect(out, ind.slug).toContain(ind.name.slice(0, 40));
      for (const leak of leaks(out, notes)) found.push(`${ind.slug}: ${leak}`);
      if (ind.definition) found.push(`${ind.slug}: definition "${ind.definition.slice(0, 60)}"`);
    }
    expect(found).toEqual([]);
  });

  it('the council tax and sickness absence the issue names: their figures, no notes', async () => {
    const tax = await con.type('/kpi show council tax');
    expect(tax).toContain('86.28%');
    expect(tax).toContain('Exception report for 2017/18 Q3: approved');
    expect(tax).not.toContain('not present in the text conversion');
    const sick = await con.type('/kpi show sickness-absence');
    expect(sick).toContain('10.49 days');
    expect(sick).not.toContain('See attached Exception Report');
  });

  it('the demo’s quarterly report (Markdown and HTML) carries no transcription note', async () => {
    for (const format of ['markdown', 'html']) {
      const out = await con.type(`/kpi report 2017/18 Q3 ${format}`);
      const file = /File: (\S+\.(?:md|html))/.exec(out)?.[1];
      expect(file, out).toBeTruthy();
      const text = readFileSync(file!, 'utf8');
      expect(text).toContain('Percentage of Council Tax collected');
      // The council's own exception-report narratives speak of "conversions" and a "Dashboard": only the notes are looked for.
      expect(notes.filter((n) => text.includes(n)), format).toEqual([]);
    }
  });
});
