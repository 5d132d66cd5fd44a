// Where a value came from, as people say it: who gave it (their name, never a platform id), when
// (en-GB, in the organisation's time zone) and the way it came in (chat, import, the command line, the
// HTTP API as its integration: "API: hr-system").
import { formatDateTime } from '../domain/dates.ts';
import type { ObservationRecord, PeriodLockRecord, PersonRecord } from '../ports.ts';
import type { Period } from '../domain/types.ts';
import { quartersReporting } from '../domain/coverage.ts';
import { isChatPlatform, platformLabel } from '../catalogue/platforms.ts';
import { API_SOURCE, integrationSays } from './api-tokens.ts';

/** "chat (<platform>)" with the platform as a sentence names it, "import of register.xlsx (command line)", "the demo data". */
export function wayIn(o: Pick<ObservationRecord, 'source' | 'submittedByLabel'>): string {
  const platform = (o.submittedByLabel ?? '').split(':')[0] ?? '';
  if (o.source.startsWith('import:')) {
    const where = platform === 'cli' ? 'command line' : platformLabel(platform);
    return `import of ${o.source.slice('import:'.length)}${where ? ` (${where})` : ''}`;
  }
  if (o.source === API_SOURCE) return integrationSays(platform === API_SOURCE ? (o.submittedByLabel ?? '').slice(API_SOURCE.length + 1) : 'unknown');
  if (isChatPlatform(o.source)) return `chat (${platformLabel(o.source)})`;
  if (o.source === 'console') return 'the console';
  if (o.source === 'demo') return 'the demo data';
  if (o.source === 'cli') return 'the command line';
  // A calculated indicator's value (src/repo/calculated.ts): "calculated from staff-days-lost, average-fte".
  if (o.source === 'calculated') return o.submittedByLabel ?? 'calculated';
  return o.source;
}

/** The person's name; for a value from no one in the register, what it came from ("the command line", "someone on <platform> not in the register"). */
export function givenBy(o: Pick<ObservationRecord, 'submittedById' | 'submittedByLabel' | 'source'>, people: ReadonlyMap<number, Pick<PersonRecord, 'displayName'>>): string {
  const p = o.submittedById !== null ? people.get(o.submittedById) : undefined;
  if (p) return p.displayName;
  if (o.source === 'calculated') return o.submittedByLabel ?? 'calculated';
  const platform = (o.submittedByLabel ?? '').split(':')[0] ?? '';
  if (platform === 'cli' || o.submittedByLabel === 'cli') return 'the command line';
  // A source system posting with an API token: the integration's name ("API: hr-system").
  if (platform === API_SOURCE && o.source === API_SOURCE) return integrationSays((o.submittedByLabel ?? '').slice(API_SOURCE.length + 1));
  if (o.source === 'demo' || o.submittedByLabel === 'demo') return 'the demo data';
  if (isChatPlatform(platform)) return `someone on ${platformLabel(platform)} not in the register`;
  if (platform === 'console') return 'someone on the console';
  return 'unknown';
}

/** "Lucy Chambers, 4 Dec 2026, 14:05, chat (<platform>)" */
export function provenance(o: ObservationRecord, people: ReadonlyMap<number, Pick<PersonRecord, 'displayName'>>, timeZone: string): string {
  const who = givenBy(o, people);
  const way = wayIn(o);
  return `${who}, ${formatDateTime(o.submittedAt, timeZone)}${way === who ? '' : `, ${way}`}`;
}

/** The sign-off a version came after, when it changed a signed-off period. */
export function changedAfterSignOff(o: Pick<ObservationRecord, 'submittedAt' | 'version'>, lock: PeriodLockRecord | null): boolean {
  return lock !== null && o.version > 1 && o.submittedAt.getTime() > lock.closedAt.getTime();
}

/** The lock covering a period, from a list of locks. */
export function lockFor(locks: readonly PeriodLockRecord[], period: { start: string; end: string }): PeriodLockRecord | null {
  return locks.find((l) => l.periodStart <= period.start && l.periodEnd >= period.end) ?? null;
}

/**
 * The sign-off a version was given after: the latest signed-off quarter whose report covers its
 * period (its own quarter for a month or a quarter; for a year, the quarters that show it) signed
 * off before the version was given. Null when none was.
 */
export function signedOffBefore(o: Pick<ObservationRecord, 'submittedAt'>, locks: readonly PeriodLockRecord[], period: Period, fy: number): PeriodLockRecord | null {
  const keys = new Set(quartersReporting(period, fy).map((q) => q.key));
  const before = locks.filter((l) => keys.has(l.periodKey) && l.closedAt.getTime() < o.submittedAt.getTime());
  return before.sort((a, b) => b.closedAt.getTime() - a.closedAt.getTime())[0] ?? null;
}
