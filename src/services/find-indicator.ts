// Resolving what a person typed to one indicator: exact slug or reference first, then the best
// matches to choose from, then the closest spellings as suggestions.
import type { IndicatorFilter, IndicatorRecord, Repository, ThemeRecord } from '../ports.ts';
import { ValidationError } from '../errors.ts';

export type FindResult =
  | { kind: 'one'; indicator: IndicatorRecord }
  | { kind: 'many'; matches: IndicatorRecord[] }
  | { kind: 'none'; suggestions: IndicatorRecord[] };

/** Edit distance (Levenshtein), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

const refKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export async function findIndicator(repo: Repository, query: string, filter?: IndicatorFilter): Promise<FindResult> {
  const q = query.trim();
  const matches = await repo.searchIndicators(q, 10, filter);
  const exact = matches.find((m) => m.slug === q.toLowerCase() || (m.ref && refKey(m.ref) === refKey(q)));
  if (exact) return { kind: 'one', indicator: exact };
  if (matches.length === 1) return { kind: 'one', indicator: matches[0]! };
  if (matches.length > 1) return { kind: 'many', matches };
  const all = await repo.indicators(filter);
  const lq = q.toLowerCase();
  const scored = all
    .map((i) => ({
      i,
      d: Math.min(
        editDistance(lq, i.slug),
        ...i.slug.split('-').map((w) => editDistance(lq, w) + 1),
        ...(i.ref ? [editDistance(refKey(q), refKey(i.ref))] : []),
      ),
    }))
    .filter((x) => x.d <= Math.max(2, Math.floor(lq.length / 3)))
    .sort((a, b) => a.d - b.d || a.i.slug.localeCompare(b.i.slug));
  return { kind: 'none', suggestions: scored.slice(0, 5).map((x) => x.i) };
}

/** The one indicator a person meant, or a user error listing what they might have meant. */
export async function requireIndicator(repo: Repository, query: string): Promise<IndicatorRecord> {
  const q = query.trim();
  if (!q) throw new ValidationError('Which indicator? Give its short name, reference or part of its name.');
  const found = await findIndicator(repo, q);
  if (found.kind === 'one') return found.indicator;
  if (found.kind === 'many') {
    throw new ValidationError(`Several indicators match "${q}": ${found.matches.slice(0, 6).map((m) => `\`${m.slug}\``).join(', ')}. Say which one.`);
  }
  const maybe = found.suggestions.length ? ` Did you mean ${found.suggestions.map((m) => `\`${m.slug}\``).join(', ')}?` : '';
  throw new ValidationError(`No indicator matches "${q}".${maybe}`, {}, '`/kpi list` shows every indicator.');
}

/** A theme by its short name, the start of it, or words of its name. */
export function findTheme(themes: ThemeRecord[], query: string): ThemeRecord | null {
  const a = query.trim().toLowerCase();
  if (!a) return null;
  return themes.find((t) => t.slug === a) ?? themes.find((t) => t.slug.startsWith(a)) ?? themes.find((t) => t.name.toLowerCase().includes(a)) ?? null;
}

export function requireTheme(themes: ThemeRecord[], query: string): ThemeRecord {
  const t = findTheme(themes, query);
  if (t) return t;
  throw new ValidationError(`There is no theme "${query.trim()}".`, {}, `Themes: ${themes.map((x) => `\`${x.slug}\``).join(', ') || 'none yet'}.`);
}
