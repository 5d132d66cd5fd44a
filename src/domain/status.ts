// RAG status and direction of travel, the rules councils publish:
//   G — performance meets or exceeds the target;
//   A — misses the target but is within the tolerance ("within 10% of the target", or an absolute
//       floor such as "Minimum acceptable standard 82%");
//   R — beyond the tolerance.
// Always in terms of polarity: for sickness absence, lower is better.
import type { Direction, Polarity, Status, Tolerance } from './types.ts';

/** Floating-point slack so 85 − 85×10% compares equal to 76.5. */
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

/**
 * Improving / maintained / declining, by polarity. "Maintained" when the change is within
 * `bandPercent` % of the comparison value (0: exactly equal).
 */
export function directionFor(current: number, previous: number, polarity: Polarity, bandPercent: number): Direction | null {
  if (polarity === 'none') return null;
  const band = Math.max((Math.abs(previous) * bandPercent) / 100, EPS);
  const change = current - previous;
  if (Math.abs(change) <= band) return 'maintained';
  const better = polarity === 'higher' ? change > 0 : change < 0;
  return better ? 'improving' : 'declining';
}
