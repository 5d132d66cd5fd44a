// Comparator data for tests, generated here (invented figures, never LG Inform's): ten areas shaped
// like Greater Manchester's, their codes, and the long CSV LG Inform exports, optionally messy.

/** Ten metropolitan districts' codes (ONS codes are public identifiers; the values are invented): the demo's. */
import { GM_AREAS } from '../../src/demo/comparators.ts';

export { GM_AREAS };
export const TRAFFORD = 'E08000009';

/** A long comparator CSV: one row per area, period and indicator (`cells` as written, so "M", "..", "1,234" go in as text). */
export function comparatorCsv(rows: { area: string; name?: string; period: string; indicator: string; value: string }[], o: { title?: boolean } = {}): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [
    ...(o.title ? ['Sickness absence: Greater Manchester comparison,,,,', 'Generated test data (invented figures),,,,', ',,,,'] : []),
    'Area code,Area name,Period,Indicator,Value',
    ...rows.map((r) => [r.area, r.name ?? GM_AREAS.find(([c]) => c === r.area)?.[1] ?? r.area, r.period, r.indicator, r.value].map(q).join(',')),
  ];
  return lines.join('\n') + '\n';
}

/** Ten areas' values for one indicator and period, ours 5th lowest of ten (8.9 days). */
export const SICKNESS_Q3 = ['9.1', '8.2', '10.4', '7.9', '9.6', '11.0', '8.8', '7.5', '8.9', '10.1'];
