// The year-end forecast back-tested against the naive last-value forecast, on a generated register
// shaped like councils' measures (the published fixtures hold no complete year to test on): seasonal
// per-quarter counts (housing completions, most in Q4), monthly running totals (recorded crime),
// quarterly rates drifting year to year (recycling %), monthly levels on a random walk (sickness days),
// percentages collected to date (council tax), quarterly and monthly, registered as snapshots.
// Targets are set as councils set them, near last year's outturn, so some years are met and some missed.
// Seeded: the same figures every run. `kpi forecast --backtest` runs the same scoring on a real register.
import { backtestCases, summariseBacktest, type BacktestSeries, type BacktestSummary } from '../src/domain/forecast.ts';
import { readAggregation } from '../src/domain/percent-to-date.ts';
import { financialYear, month, quarter } from '../src/domain/periods.ts';
import type { Period } from '../src/domain/types.ts';
import { recordText } from './stats.ts';
import { seeded } from '../test/support/random.ts';

const YEARS = [2018, 2019, 2020, 2021, 2022, 2023];
const round1 = (x: number) => Math.round(x * 10) / 10;

export function generatedSeries(perKind = 60, seed = 20180115): { kind: string; series: BacktestSeries }[] {
  const r = seeded(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * r();
  const noise = (sd: number) => sd * (r() + r() + r() - 1.5) * 2; // roughly normal, bounded
  const out: { kind: string; series: BacktestSeries }[] = [];
  const target = (p: Period, value: number) => ({ period: p, value: round1(value) });

  for (let i = 0; i < perKind; i++) {
    // Seasonal per-quarter counts: most completions land in Q4.
    const obs: BacktestSeries['observations'] = [];
    const targets: { period: Period; value: number }[] = [];
    const profile = [u(0.15, 0.25), u(0.15, 0.25), u(0.2, 0.3), 0].map((w, k, a) => (k === 3 ? Math.max(0.2, 1 - a[0]! - a[1]! - a[2]!) : w));
    let level = u(80, 600);
    let last: number | null = null;
    for (const y of YEARS) {
      level *= 1 + u(-0.12, 0.12);
      let total = 0;
      for (let q = 1; q <= 4; q++) {
        const v = Math.max(0, Math.round(level * profile[q - 1]! * (1 + noise(0.1))));
        total += v;
        obs.push({ period: quarter(y, q), value: v });
      }
      targets.push(target(financialYear(y), (last ?? level) * u(0.95, 1.1)));
      last = total;
    }
    out.push({ kind: 'seasonal quarterly counts', series: { name: `completions-${i}`, indicator: { polarity: 'higher', aggregation: 'cumulative', unit: 'number', decimals: 0 }, observations: obs, targets } });
  }

  for (let i = 0; i < perKind; i++) {
    // Monthly running totals (recorded crime): a seasonal monthly amount, kept as the total so far.
    const obs: BacktestSeries['observations'] = [];
    const targets: { period: Period; value: number }[] = [];
    let monthly = u(300, 1200);
    const amplitude = u(0.05, 0.2);
    let last: number | null = null;
    for (const y of YEARS) {
      monthly *= 1 + u(-0.08, 0.06);
      let running = 0;
      for (let m = 0; m < 12; m++) {
        const cal = ((3 + m) % 12) + 1;
        running += Math.max(0, Math.round(monthly * (1 + amplitude * Math.sin(((cal - 4) / 12) * 2 * Math.PI) + noise(0.06))));
        obs.push({ period: month(cal >= 4 ? y : y + 1, cal), value: running });
      }
      targets.push(target(financialYear(y), (last ?? monthly * 12) * u(0.9, 1.02)));
      last = running;
    }
    out.push({ kind: 'monthly running totals', series: { name: `crime-${i}`, indicator: { polarity: 'lower', aggregation: 'ytd', unit: 'number', decimals: 0 }, observations: obs, targets } });
  }

  for (let i = 0; i < perKind; i++) {
    // Quarterly rates (recycling %): a level that drifts, with a trend that changes year to year.
    const obs: BacktestSeries['observations'] = [];
    const targets: { period: Period; value: number }[] = [];
    let v = u(40, 65);
    let last: number | null = null;
    for (const y of YEARS) {
      const drift = u(-1.2, 1.2);
      for (let q = 1; q <= 4; q++) {
        v = Math.min(100, Math.max(0, v + drift + noise(0.8)));
        obs.push({ period: quarter(y, q), value: round1(v) });
      }
      targets.push(target(financialYear(y), (last ?? v) + u(-1, 2)));
      last = v;
    }
    out.push({ kind: 'quarterly rates', series: { name: `recycling-${i}`, indicator: { polarity: 'higher', aggregation: 'snapshot', unit: '%', decimals: 1 }, observations: obs, targets } });
  }

  for (let i = 0; i < perKind; i++) {
    // Monthly levels on a random walk (sickness days per FTE, rolling twelve months).
    const obs: BacktestSeries['observations'] = [];
    const targets: { period: Period; value: number }[] = [];
    let v = u(7.5, 11.5);
    let last: number | null = null;
    for (const y of YEARS) {
      const drift = u(-0.08, 0.08);
      for (let m = 0; m < 12; m++) {
        const cal = ((3 + m) % 12) + 1;
        v = Math.max(3, v + drift + noise(0.12));
        obs.push({ period: month(cal >= 4 ? y : y + 1, cal), value: Math.round(v * 100) / 100 });
      }
      targets.push(target(financialYear(y), (last ?? v) * u(0.93, 1.03)));
      last = v;
    }
    out.push({ kind: 'monthly levels', series: { name: `sickness-${i}`, indicator: { polarity: 'lower', aggregation: 'snapshot', unit: 'days', decimals: 2 }, observations: obs, targets } });
  }

  for (let i = 0; i < perKind; i++) {
    // Percentages collected to date (council tax, business rates), quarterly or monthly: instalments
    // through the year towards an outturn near 97%, the shape shifting a little year to year; a target
    // profile (last year's shape × the annual target) for each period and the year. Registered as a
    // "snapshot", as councils register them: the engine reads them as percentages to date (see below).
    const monthly = i % 2 === 1;
    const n = monthly ? 12 : 4;
    const obs: BacktestSeries['observations'] = [];
    const targets: { period: Period; value: number }[] = [];
    const periodOf = (y: number, k: number) => (monthly ? month(((3 + k - 1) % 12) + 1 >= 4 ? y : y + 1, ((3 + k - 1) % 12) + 1) : quarter(y, k));
    // Ten monthly instalments from April, a little of the arrears after.
    const base = Array.from({ length: 12 }, (_, m) => (m < 10 ? 1 : 0.25));
    let outturn = u(94, 98.5);
    let lastShares: number[] | null = null;
    for (const y of YEARS) {
      outturn = Math.min(99.5, Math.max(90, outturn + u(-1, 1)));
      const weights = base.map((w) => Math.max(0.05, w * (1 + noise(0.05))));
      const total = weights.reduce((a, b) => a + b, 0);
      let run = 0;
      const monthShares = weights.map((w) => (run += w) / total);
      const shares = monthly ? monthShares : [2, 5, 8, 11].map((m) => monthShares[m]!);
      const target = (lastShares ? outturn - u(-0.5, 1.5) : outturn) + u(-0.5, 0.5);
      const profile = lastShares ?? shares.map((s) => s * (1 + noise(0.03)));
      for (let k = 1; k <= n; k++) {
        obs.push({ period: periodOf(y, k), value: round1(shares[k - 1]! * outturn) });
        if (k < n) targets.push({ period: periodOf(y, k), value: round1(profile[k - 1]! * target) });
      }
      targets.push({ period: financialYear(y), value: round1(target) });
      lastShares = shares;
    }
    const indicator = { polarity: 'higher' as const, aggregation: 'snapshot' as const, unit: '%', decimals: 1 };
    const reading = readAggregation({ ...indicator, observations: obs, targets, fyStartMonth: 4 });
    out.push({ kind: 'percentages collected to date', series: { name: `collection-${i}`, indicator: { ...indicator, aggregation: reading.aggregation }, observations: obs, targets } });
  }
  return out;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const RULES = { fyStartMonth: 4, tolerance: { kind: 'relative' as const, value: 5 } };

function recordSummary(label: string, s: BacktestSummary): void {
  recordText(`forecast back-test, ${label}: year-end MAPE`, pct(s.mape), `naive ${pct(s.naiveMape)}`, `${s.cases} forecasts, ${s.years} years`);
  recordText(`forecast back-test, ${label}: met/missed called right`, pct(s.callsRight), `naive ${pct(s.naiveCallsRight)}`, `misses called: ${pct(s.missesCalled)} vs naive ${pct(s.naiveMissesCalled)} of ${s.misses}`);
}

export async function benchForecast(): Promise<void> {
  const all = generatedSeries();
  const kinds = [...new Set(all.map((a) => a.kind))];
  for (const k of kinds) recordSummary(k, summariseBacktest(backtestCases(all.filter((a) => a.kind === k).map((a) => a.series), RULES)));
  // The same percentages to date forecast as the levels their registers call them (as before they were read as percentages to date).
  const asLevels = all.filter((a) => a.kind === 'percentages collected to date').map((a) => ({ ...a.series, indicator: { ...a.series.indicator, aggregation: 'snapshot' as const } }));
  recordSummary('percentages collected to date, forecast as levels', summariseBacktest(backtestCases(asLevels, RULES)));
  recordSummary('all', summariseBacktest(backtestCases(all.map((a) => a.series), RULES)));
}
