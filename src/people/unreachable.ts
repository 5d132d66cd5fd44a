// Who the bot cannot reach, for the people who can do something about it: performance admins are
// told (once per person, not every day) when a chase had to pass someone over, and can list
// everyone the bot cannot reach any time (`/kpi people`, App Home, their weekly digest).
import { context, header, literal, message, text } from '../messages/build.ts';
import type { Message } from '../messages/types.ts';
import type { Directory, Outbox, PersonRecord, Repository, SyncResult } from '../ports.ts';
import type { Logger } from '../log.ts';
import type { LocalDate } from '../domain/types.ts';

export interface UnreachablePerson {
  person: PersonRecord;
  reason: string;
}

/** Everyone in the register the bot cannot reach, from what it knows (no lookups are made). */
export async function unreachablePeople(deps: { repo: Repository; directory: Directory }): Promise<UnreachablePerson[]> {
  const people = (await deps.repo.people()).filter((p) => p.active);
  const [lookups, last] = await Promise.all([deps.repo.identityLookups(), deps.repo.lastDeliveries()]);
  const out: UnreachablePerson[] = [];
  for (const p of people) {
    const reason = deps.directory.known(p, lookups, last.get(p.id));
    if (reason) out.push({ person: p, reason });
  }
  return out;
}

/** Lines for a list of unreachable people; at most `max`, then a count. */
export function unreachableLines(list: UnreachablePerson[], max = 10): string[] {
  const lines = list.slice(0, max).map((u) => `• **${literal(u.person.displayName)}**${u.person.email ? ` (${literal(u.person.email)})` : ''} — ${literal(u.reason)}`);
  if (list.length > max) lines.push(`…and ${list.length - max} more.`);
  return lines;
}

export function unreachableMessage(list: UnreachablePerson[], lead: string): Message {
  const blocks = [header('⚠️ People the bot cannot reach'), text(lead)];
  const lines = unreachableLines(list, 15);
  for (let i = 0; i < lines.length; i += 5) blocks.push(text(lines.slice(i, i + 5).join('\n')));
  blocks.push(context('Check their e-mail addresses: fix one with `/kpi people edit <address> --email <right address>` (or the People sheet of an import, with the old address in a Previous email column), or ask them to join the workspace. `kpi people sync` looks everyone up again; `/kpi people` lists who cannot be reached.'));
  return message(`${list.length} ${list.length === 1 ? 'person' : 'people'} the bot cannot reach`, ...blocks);
}

/**
 * A chase passed people over because they cannot be reached: tell the performance admins who can
 * be reached, once for each person (a person found again and lost later is news again).
 */
export async function tellAdminsWhoCannotBeReached(
  deps: { repo: Repository; outbox: Outbox; log: Logger; directory: Directory },
  unreachable: Map<number, { person: PersonRecord; reason: string }>,
  purpose: string,
  today: LocalDate,
  now: Date,
): Promise<number> {
  if (!unreachable.size) return 0;
  const ids = [...unreachable.keys()];
  const lookups = await deps.repo.identityLookups(ids);
  const news = [...unreachable.values()].filter((u) => !lookups.some((l) => l.personId === u.person.id && l.reportedAt !== null));
  if (!news.length) return 0;
  const admins = (await deps.repo.people({ role: 'admin' })).filter((a) => a.active && !unreachable.has(a.id));
  const msg = unreachableMessage(
    news,
    `I could not find ${news.length === 1 ? 'this person' : `these ${news.length} people`} on ${deps.directory.platforms.length ? 'any chat platform the bot uses' : 'a chat platform'}, so ${purpose === 'weekly-digest' ? 'their digest could not be sent' : 'their reminders went to the next person in line (deputy, then director)'}:`,
  );
  let told = 0;
  for (const a of admins) {
    if (await deps.outbox.enqueue({ key: `unreachable:${purpose}:${today}:person:${a.id}`, purpose: 'unreachable-people', to: { kind: 'person', personId: a.id }, message: msg }, now)) told++;
  }
  if (told) await deps.repo.markLookupsReported(news.map((u) => u.person.id), [...deps.directory.platforms], now);
  else deps.log.warn({ people: news.map((u) => u.person.id) }, 'people the bot cannot reach, and no performance admin to tell');
  return told;
}

/** What a people sync found, in lines: per platform, then who was not found and why. */
export function syncLines(results: SyncResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const total = r.linked + r.found.length + r.notFound.length + r.failed.length;
    lines.push(`**${r.label}**: ${r.linked + r.found.length} of ${total} reachable — ${r.found.length} found now, ${r.linked} already linked, ${r.notFound.length} not found${r.failed.length ? `, ${r.failed.length} could not be asked (tried again later)` : ''}.`);
  }
  return lines;
}
