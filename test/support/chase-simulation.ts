// Run the chase jobs as the scheduler would (09:00 and 09:30, Monday to Friday) over a number of weeks
// on the memory repository, and say who got how many items on which day and at which level (owner,
// deputy, director): what a council sees in its first weeks. Everyone is reachable on Slack, as after
// `kpi people sync` found them all.
import type { MemoryRepository } from './memory/repository.ts';
import type { MemoryOutbox } from './memory/outbox.ts';
import type { JobDeps, ReminderKind } from '../../src/ports.ts';
import { addDays, isWeekend } from '../../src/domain/dates.ts';
import type { LocalDate } from '../../src/domain/types.ts';
import { chaseData } from '../../jobs/chase-data.ts';
import { chaseExceptions } from '../../jobs/chase-exceptions.ts';
import type { TestClock } from './clock.ts';

export interface ChaseDay {
  day: LocalDate;
  kind: ReminderKind;
  /** Per recipient: their name and role, and the items they were sent at each level. */
  recipients: { name: string; role: string; owner: number; deputy: number; director: number }[];
}

export interface ChaseWeeks {
  days: ChaseDay[];
  /** Items of a kind sent on one day (or within [from, to]), by level. */
  items(kind: ReminderKind, from: LocalDate, to?: LocalDate): { owner: number; deputy: number; director: number; people: number };
  /** Who was sent director-level items within [from, to]. */
  escalatedToDirectors(kind: ReminderKind, from: LocalDate, to: LocalDate): string[];
}

/** Link everyone in the register on Slack (as a people sync that found them all). */
export async function linkEveryone(repo: MemoryRepository, at: Date): Promise<void> {
  for (const p of await repo.people()) if (!p.identities.slack) await repo.linkPlatformUser(p.id, 'slack', `U${p.id}`, { linkedBy: 'lookup', at });
}

/** Run chase-data (09:00) and chase-exceptions (09:30) every weekday from `start` for `weeks` weeks. */
export async function simulateChases(b: { deps: JobDeps; repo: MemoryRepository; outbox: MemoryOutbox; clock: TestClock }, start: LocalDate, weeks: number): Promise<ChaseWeeks> {
  const people = new Map((await b.repo.people()).map((p) => [p.id, p]));
  const ids = (await b.repo.indicators()).map((i) => i.id);
  const days: ChaseDay[] = [];
  for (let day = start; day < addDays(start, 7 * weeks); day = addDays(day, 1)) {
    if (isWeekend(day)) continue;
    for (const [kind, at, run] of [['data', '09:00', chaseData], ['exception', '09:30', chaseExceptions]] as const) {
      b.clock.set(`${day}T${at}:00Z`);
      await run(b.deps, b.clock.now());
      const sent = (await b.repo.reminders(kind, ids)).filter((r) => r.sentOn === day);
      const by = new Map<number, ChaseDay['recipients'][number]>();
      for (const r of sent) {
        const p = people.get(r.personId)!;
        const row = by.get(r.personId) ?? { name: p.displayName, role: p.role, owner: 0, deputy: 0, director: 0 };
        row[r.level === 0 ? 'owner' : r.level === 1 ? 'deputy' : 'director']++;
        by.set(r.personId, row);
      }
      days.push({ day, kind, recipients: [...by.values()] });
    }
  }
  const within = (kind: ReminderKind, from: LocalDate, to: LocalDate) => days.filter((d) => d.kind === kind && d.day >= from && d.day <= to);
  return {
    days,
    items(kind, from, to = from) {
      const ds = within(kind, from, to);
      const sum = (k: 'owner' | 'deputy' | 'director') => ds.reduce((s, d) => s + d.recipients.reduce((t, r) => t + r[k], 0), 0);
      return { owner: sum('owner'), deputy: sum('deputy'), director: sum('director'), people: new Set(ds.flatMap((d) => d.recipients.map((r) => r.name))).size };
    },
    escalatedToDirectors(kind, from, to) {
      return [...new Set(within(kind, from, to).flatMap((d) => d.recipients.filter((r) => r.director > 0).map((r) => r.name)))].sort();
    },
  };
}
