// Resolving what a person typed to one indicator: exact slug or reference first, then the best
// matches to choose from, then the closest spellings as suggestions.
import type { IndicatorFilter, IndicatorRecord, Repository } from '../ports.ts';

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
