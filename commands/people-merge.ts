// /kpi people merge <from-email> <into-email> — a performance admin folds a duplicate person (made by
// a mistyped address, say) into the one to keep: indicators, deputyships, themes, chat links and the
// history they made move; the duplicate stays, inactive, for the audit trail. Routed by commands/people.ts.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, message, reply, text } from '../src/messages/build.ts';
import { mergePeople, readOptions } from '../src/services/people-admin.ts';
import { ValidationError } from '../src/errors.ts';

export const MERGE_USAGE = 'people merge <from-email> <into-email>';

export async function peopleMerge(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const { words } = readOptions(args, []);
  if (words.length !== 2) throw new ValidationError('Give two e-mail addresses: the duplicate, then the person to keep.', {}, `Usage: /kpi ${MERGE_USAGE}`);
  const r = await mergePeople(deps.repo, words[0]!, words[1]!, { at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` });
  return reply('private', message(r.lines[0]!.replace(/\*\*/g, ''), text(r.lines.join('\n')), context('Audited. `/kpi people` lists everyone and how the bot reaches them.')));
}
