// RAG status, the rule councils publish (direction of travel is in direction.ts):
//   G — performance meets or exceeds the target;
//   A — misses the target but is within the tolerance ("within 10% of the target", or an absolute
//       floor such as "Minimum acceptable standard 82%");
//   R — beyond the tolerance.
// Always in terms of polarity: for sickness absence, lower is better.
import type { Polarity, Status, Tolerance } from './types.ts';

/** A floating-point rounding allowance, so 85 − 85×10% compares equal to 76.5. */
const EPS = 1e-9;

/**
 * The worst value that is still amber: the floor (higher is better) or ceiling (lower is better).
 * An explicit amber floor wins over the tolerance. Relative tolerance is a % of |target|, so zero and
 * negative targets behave (a 0 target has no amber band under a relative tolerance).
 */
export function amberLimitFor(target: number, polarity: Polarity, tolerance: Tolerance, amberFloor?: number | null): number | null {
  if (polarity === 'none') return null;
  if (amberFloor !== null && amberFloor !== undefined) return amberFloor;
  const band = tolerance.kind === 'relative' ? (Math.abs(target) * tolerance.value) / 100 : tolerance.value;
  return polarity === 'higher' ? target - band : target + band;
}

/** The core rule. Polarity none gives no RAG (no_target). */
export function statusFor(value: number, target: number, polarity: Polarity, tolerance: Tolerance, amberFloor?: number | null): Status {
  if (polarity === 'none') return 'no_target';
  const limit = amberLimitFor(target, polarity, tolerance, amberFloor)!;
  if (polarity === 'higher') {
    if (value >= target - EPS) return 'green';
    return value >= limit - EPS ? 'amber' : 'red';
  }
  if (value <= target + EPS) return 'green';
  return value <= limit + EPS ? 'amber' : 'red';
}

/** Red worst (0) … green best; for sorting lists worst first. */
export function statusRank(s: Status): number {
  return { red: 0, amber: 1, in_measurement: 2, no_target: 3, green: 4 }[s];
}
