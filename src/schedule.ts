// When a cron expression fires in a time zone, clock changes included — the one answer the scheduler's
// timers (next) and its catch-up after a restart (previous) both use, so every process and every
// restart names a run by the same instant (the claim key in job_run). cron-parser reads the
// expression against local wall-clock times; what those times are as instants is decided here:
//  - a time of day that does not exist (the hour skipped when clocks go forward) runs once, at the
//    first minute after the gap: 01:30 on the spring Sunday in London runs at 02:00 BST;
//  - a time of day that occurs twice (the hour repeated when clocks go back) runs once, the first time;
//  - an expression for every hour (`*/15 * * * *`, `* * * * *`, hour field `*`) is a cadence, kept in
//    real time: the repeated hour has its quarter-hours too (100 on a 25-hour day), the skipped hour
//    has none (92 on a 23-hour day), and no two are ever less than the cadence apart.
import { CronExpressionParser, type CronExpression } from 'cron-parser';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Further than any clock change moves the clock (2 hours at most, anywhere). */
const NEAR = 3 * HOUR;
/** Enough matches to cross any year, even for an expression that fires on one day of it. */
const MAX_STEPS = 50_000;

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The local wall-clock time of an instant, as the UTC milliseconds of the same fields (whole seconds). */
function wallOf(instant: number, timeZone: string): number {
  let f = wallFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    wallFormats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

const floorToSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;

export interface CronSchedule {
  /** The expression as given. */
  readonly expression: string;
  readonly timeZone: string;
  /** Every hour of the day: a cadence kept in real time across clock changes (see above). */
  readonly cadence: boolean;
  /** The first time it fires strictly after `after`. */
  next(after: Date): Date;
  /** The last time it fired at or before `atOrBefore`. */
  previous(atOrBefore: Date): Date;
}

/** A cron expression (5 fields, or 6 with seconds first) in a time zone. Throws when it cannot be read. */
export function cronSchedule(expression: string, timeZone: string): CronSchedule {
  const it = CronExpressionParser.parse(expression, { tz: 'UTC' });
  const cadence = it.fields.hour.values.length === 24;
  // The offset from UTC at an instant.
  const offsetAt = (t: number) => wallOf(t, timeZone) - floorToSecond(t);

  /** The instants a wall-clock time stands for, by the rules above. */
  function instantsOf(wall: number): number[] {
    // A wall-clock time read as UTC is within 14 hours of the instant it names: a day either side brackets it.
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    const exists = (t: number) => wallOf(t, timeZone) === wall;
    let found = (before === after ? [wall - before] : [wall - before, wall - after].sort((x, y) => x - y)).filter(exists);
    // The same offset a day either side, yet not this one: two changes within a day (never in the UK).
    if (!found.length && before === after) found = [wall - offsetAt(wall)].filter(exists);
    if (found.length) return cadence ? found : [found[0]!];
    if (cadence) return [];
    // Skipped by the clocks going forward: the first instant whose wall-clock time is past it.
    let lo = wall - Math.max(before, after);
    let hi = wall - Math.min(before, after);
    while (hi - lo > SECOND) {
      const mid = floorToSecond(lo + (hi - lo) / 2);
      if (wallOf(mid, timeZone) > wall) hi = mid;
      else lo = mid;
    }
    return [hi];
  }

  /** The expression's wall-clock times from `fromWall` (exclusive), read as if local time were UTC. */
  function walls(fromWall: number): CronExpression {
    it.reset(new Date(fromWall));
    return it;
  }

  // Only the clocks going back make later wall-clock times name earlier instants (the repeated
  // hour's second pass comes after the first pass of the same times); going forward keeps the order.
  // So next() starts a little before now's wall-clock time only in the hour before the clocks go
  // back, and previous() a little after only in the hour after; elsewhere the first match is the answer.
  return {
    expression,
    timeZone,
    cadence,
    next(after) {
      const a = floorToSecond(after.getTime());
      const offset = offsetAt(a);
      const back = offset - offsetAt(a + NEAR);
      const margin = back > 0 && offsetAt(a + back) < offset ? back : 0;
      const forward = walls(wallOf(a, timeZone) - margin - SECOND);
      let best: number | null = null;
      let stopAfter = Infinity;
      for (let i = 0; i < MAX_STEPS; i++) {
        const wall = forward.next().getTime();
        if (wall > stopAfter) break;
        for (const t of instantsOf(wall)) {
          if (t > a && (best === null || t < best)) {
            best = t;
            stopAfter = wallOf(best, timeZone) + Math.max(0, offset - offsetAt(best));
          }
        }
      }
      if (best === null) throw new Error(`"${expression}" does not fire within ${MAX_STEPS} steps after ${after.toISOString()}`);
      return new Date(best);
    },
    previous(atOrBefore) {
      const a = floorToSecond(atOrBefore.getTime());
      const offset = offsetAt(a);
      const back = offsetAt(a - NEAR) - offset;
      const margin = back > 0 && offsetAt(a - back) > offset ? back : 0;
      const backward = walls(wallOf(a, timeZone) + margin + SECOND);
      let best: number | null = null;
      let stopBefore = -Infinity;
      for (let i = 0; i < MAX_STEPS; i++) {
        const wall = backward.prev().getTime();
        if (wall < stopBefore) break;
        for (const t of instantsOf(wall)) {
          if (t <= a && (best === null || t > best)) {
            best = t;
            stopBefore = wallOf(best, timeZone) - Math.max(0, offsetAt(best) - offset);
          }
        }
      }
      if (best === null) throw new Error(`"${expression}" did not fire within ${MAX_STEPS} steps before ${atOrBefore.toISOString()}`);
      return new Date(best);
    },
  };
}
