// /kpi away until <date> — an owner is away: chases for their indicators go to the deputy until then.
// Performance admins can set it for someone else: /kpi away <email> until <date>.
import type { Actor, CommandDeps, PersonRecord } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, literal, message, reply, text } from '../src/messages/build.ts';
import { NotInRegisterError, ValidationError, PermissionError } from '../src/errors.ts';
import { addDays, formatLongDate, localDateOf, parseDay } from '../src/domain/dates.ts';
import { isAdmin } from '../src/services/permissions.ts';
import { defineCommand } from './types.ts';

const USAGE = 'away until <date>';

/** Whose absence: yours, or (performance admins) the person named by e-mail. */
export async function whoIsAway(deps: CommandDeps, actor: Actor, name: string): Promise<PersonRecord> {
  if (!actor.person) throw new NotInRegisterError('You are not in the indicator register, so there is nothing to hand over. Ask your performance team to add you.');
  if (!name) return actor.person;
  if (!isAdmin(actor.person)) throw new PermissionError('Only performance admins can set someone else as away. To set yourself: `/kpi away until <date>`.');
  const p = await deps.repo.personByEmail(name);
  if (!p) throw new ValidationError(`There is nobody with the e-mail ${literal(name)} in the register.`);
  return p;
}

/** Where chases for this person's indicators go while they are away. */
async function handover(deps: CommandDeps, p: PersonRecord): Promise<string> {
  const owned = (await deps.repo.indicators({ personId: p.id })).filter((i) => i.ownerId === p.id);
  if (!owned.length) return 'They own no indicators, so nothing is handed over.';
  const people = new Map((await deps.repo.people()).map((x) => [x.id, x]));
  const to = new Map<string, number>();
  let none = 0;
  for (const i of owned) {
    const d = i.deputyId ?? p.deputyId;
    const who = d ? people.get(d)?.displayName : undefined;
    if (who) to.set(who, (to.get(who) ?? 0) + 1);
    else none++;
  }
  const parts = [...to].map(([who, n]) => `${literal(who)} (${n})`);
  return `Chases for ${owned.length} indicator${owned.length === 1 ? '' : 's'} go to ${parts.length ? parts.join(', ') : 'nobody'} meanwhile${none ? `; ${none} ${none === 1 ? 'has' : 'have'} no deputy, so ${none === 1 ? 'it goes' : 'they go'} to the director` : ''}.`;
}

export async function away(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const m = /^(.*?)\s*\buntil\b\s*(.+)$/i.exec(args.trim());
  if (!m) throw new ValidationError('Until when? e.g. `/kpi away until 5 January`.', {}, `Usage: /kpi ${USAGE}`);
  const person = await whoIsAway(deps, actor, m[1]!.trim());
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const until = parseDay(m[2]!, today);
  if (!until) throw new ValidationError(`"${literal(m[2])}" is not a date I can read.`, {}, 'e.g. 5 January, 05/01/2027, 2027-01-05 or Friday');
  if (until < today) throw new ValidationError(`${formatLongDate(until)} has passed. Give the last day you are away.`);
  if (until > addDays(today, 366)) throw new ValidationError('That is more than a year away. Give the last day of the absence (within a year).');
  await deps.repo.setAbsence(person.id, until);
  await deps.repo.audit({ at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'person.away', entity: 'person', entityId: String(person.id), details: { until } });
  const you = person.id === actor.person!.id;
  const lead = `🌴 ${you ? 'You are' : `${person.displayName} is`} away until ${formatLongDate(until)}.`;
  return reply('private', message(lead, text(`${literal(lead)} ${await handover(deps, person)}`), context(`\`/kpi back\`${you ? '' : ` ${literal(person.email)}`} when ${you ? 'you are' : 'they are'} back earlier.`)));
}

export const awayCommand = defineCommand({
  name: 'away',
  usage: USAGE,
  summary: 'you are away: chases go to your deputy until then',
  examples: ['/kpi away until 5 January'],
  run: away,
});
