// /kpi people edit <email> --email … --name … --deputy … --role … --<platform>-id … — a performance
// admin corrects a person: a mistyped address, a new name, a deputy, a role, the chat account that is
// theirs. The same person (indicators, links, history) afterwards; audited. Routed by commands/people.ts.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, message, reply, text } from '../src/messages/build.ts';
import { editPerson, ID_OPTIONS, readOptions } from '../src/services/people-admin.ts';
import { ValidationError } from '../src/errors.ts';

export const EDIT_USAGE = `people edit <email> [--email <new>] [--name <name>] [--deputy <email>|none] [--role officer|director|admin]${ID_OPTIONS.map((o) => ` [--${o.flag} <id>|none]`).join('')}`;

export async function peopleEdit(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const { words, options } = readOptions(args, ['email', 'name', 'deputy', 'role', 'active', ...ID_OPTIONS.map((o) => o.flag)]);
  if (words.length !== 1) throw new ValidationError('Whom? Give the e-mail address the register has for them, then what to change.', {}, `Usage: /kpi ${EDIT_USAGE}`);
  const ids = Object.fromEntries(ID_OPTIONS.flatMap((o) => (options[o.flag] === undefined ? [] : [[o.platform, options[o.flag]!]])));
  const r = await editPerson(
    deps.repo,
    words[0]!,
    { ...(options.email ? { email: options.email } : {}), ...(options.name ? { name: options.name } : {}), ...(options.deputy ? { deputy: options.deputy } : {}), ...(options.role ? { role: options.role } : {}), ...(options.active ? { active: options.active } : {}), ids },
    { at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` },
  );
  return reply('private', message(r.lines[0]!.replace(/\*\*/g, ''), text(r.lines.join('\n')), context('Audited. `/kpi people` lists everyone and how the bot reaches them.')));
}
