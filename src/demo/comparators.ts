// Comparator data for the demo — GENERATED: invented figures, not LG Inform's nor any council's. Ten
// areas shaped like Greater Manchester's metropolitan districts (their ONS codes are public
// identifiers; every value but Trafford's own is made up here, deterministically), for the demo's
// 2017/18 values of the indicators councils usually benchmark, as the long CSV LG Inform exports —
// so `/kpi show sickness-absence` on the demo says where Trafford ranks. examples/comparators-
// greater-manchester.csv is this file as `kpi comparators import` takes it.
import type { Register } from '../register/types.ts';

export const DEMO_GROUP = 'Greater Manchester';
export const DEMO_AREA = 'E08000009';
export const DEMO_COMPARATOR_FILE = 'comparators-greater-manchester.csv';

export const GM_AREAS: readonly (readonly [string, string])[] = [
  ['E08000001', 'Bolton'],
  ['E08000002', 'Bury'],
  ['E08000003', 'Manchester'],
  ['E08000004', 'Oldham'],
  ['E08000005', 'Rochdale'],
  ['E08000006', 'Salford'],
  ['E08000007', 'Stockport'],
  ['E08000008', 'Tameside'],
  ['E08000009', 'Trafford'],
  ['E08000010', 'Wigan'],
];

/** The demo's indicators compared with other councils (rates and percentages: a count depends on a council's size). */
const BENCHMARKED = [
  'sickness-absence',
  'recycling-rate',
  'council-tax-collected',
  'residents-in-employment',
  'vacant-town-centre-units',
  'care-home-admissions',
  'reablement-at-home-91-days',
  'delayed-transfers-of-care',
  'repeat-referrals',
  'looked-after-children',
  'school-readiness',
  'ks2-expected-standard',
  'neet-16-17',
];

/**
 * Sickness absence: the other nine areas' values as multiples of Trafford's, so Trafford (10.49 days in
 * Q3) is 5th lowest of ten, as its report says it was across AGMA ("ranked fifth out of the 10").
 */
const SICKNESS_FACTORS = [0.86, 0.9, 0.95, 0.97, 1.03, 1.06, 1.1, 1.14, 1.19];

/** A number in [0, 1) from a text (FNV-1a): the same every run. */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 2 ** 32;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The generated comparator CSV for a register's benchmarked indicators and their 2017/18 values. */
export function demoComparatorCsv(register: Register): string {
  const lines = [
    'GENERATED comparator data for the kpi-bot demo: invented figures (not LG Inform data); area codes are ONS codes,,,,',
    ',,,,',
    'Area code,Area name,Period,Indicator,Value',
  ];
  for (const slug of BENCHMARKED) {
    const ind = register.indicators.find((i) => i.slug === slug);
    if (!ind) continue;
    const decimals = ind.decimals ?? 1;
    const percent = ind.unit.trim() === '%';
    for (const o of ind.observations.filter((x) => x.periodKey.startsWith('2017/18') && x.value !== null)) {
      const ours = o.value as number;
      let other = 0;
      for (const [code, name] of GM_AREAS) {
        let value: string;
        if (code === DEMO_AREA) value = ours.toFixed(decimals);
        else {
          const factor = slug === 'sickness-absence' ? SICKNESS_FACTORS[other]! * (1 + (unit(`${o.periodKey}${code}`) - 0.5) * 0.01) : 0.8 + unit(`${slug}|${o.periodKey}|${code}`) * 0.4;
          other++;
          const v = ours * factor;
          value = (percent ? Math.min(100, v) : v).toFixed(decimals);
          // One area that has not reported (as LG Inform prints it) where a real export would have gaps.
          if (slug === 'school-readiness' && code === 'E08000003') value = '..';
        }
        lines.push([code, name, o.periodKey, slug, value].map(csvCell).join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
