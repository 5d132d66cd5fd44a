// /kpi people retire <email> --hand-to <email> — a performance admin retires someone who left: their
// indicators, deputyships and themes go to the person named; they are no longer chased, linked to a
// chat account, or taken as anyone when they write. Audited. Routed by commands/people.ts.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, message, reply, text } from '../src/messages/build.ts';
import { readOptions, retirePerson } from '../src/services/people-admin.ts';
import { ValidationError } from '../src/errors.ts';

export const RETIRE_USAGE = 'people retire <email> --hand-to <email>';

export async function peopleRetire(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const { words, options } = readOptions(args, ['hand-to']);
  if (words.length !== 1) throw new ValidationError('Whom? Give their e-mail address, and who takes over with --hand-to <email>.', {}, `Usage: /kpi ${RETIRE_USAGE}`);
  const r = await retirePerson(deps.repo, words[0]!, options['hand-to'] ?? null, { at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` });
  return reply('private', message(r.lines[0]!.replace(/\*\*/g, ''), text(r.lines.join('\n')), context('Audited. `/kpi people` lists everyone and how the bot reaches them.')));
}
