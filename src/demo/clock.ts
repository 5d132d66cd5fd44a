// The demo organisation's own date. Its figures are Trafford's for 2017/18 Q3, so the bot runs as
// if today were 15 January 2018 (the time of day is the real one, and the days go on from there):
// what is due, what is overdue, the chases and the year-end forecasts then read as they did at the
// time, not as eight years late.
import { daysBetween, localDateOf } from '../domain/dates.ts';
import type { LocalDate } from '../domain/types.ts';
import type { Clock, OrgSettings } from '../ports.ts';

/** The demo's date: a fortnight into 2017/18 Q4, with Q3's values in and its exception reports written. */
export const DEMO_TODAY: LocalDate = '2018-01-15';

/** A clock on `day` at the base clock's time of day, moving on with it. */
export function clockOn(day: LocalDate, base: Clock, timeZone: string): Clock {
  const offset = daysBetween(localDateOf(base.now(), timeZone), day) * 86_400_000;
  return { now: () => new Date(base.now().getTime() + offset) };
}

/** The organisation's clock: its own date when it has one (the demo), else the base clock. */
export function organisationClock(org: Pick<OrgSettings, 'demoToday' | 'timeZone'>, base: Clock): Clock {
  return org.demoToday ? clockOn(org.demoToday, base, org.timeZone) : base;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Monday 15 January 2018" */
export function longDay(d: LocalDate): string {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return `${WEEKDAYS[wd]} ${Number(d.slice(8, 10))} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
}

/** The line that says so, where the demo is used. */
export function demoDateLine(org: Pick<OrgSettings, 'demoToday' | 'timeZone'>, now: Date): string | null {
  if (!org.demoToday) return null;
  return `🗓 Demo: the bot runs on ${longDay(localDateOf(now, org.timeZone))}, the demo organisation's own date, so what is due and overdue, the chases and the jobs read as they did then.`;
}
