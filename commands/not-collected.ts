// /kpi not-collected — a performance admin marks a period "not collected" for an indicator, a theme's
// indicators or every indicator, with the reason (`/kpi not-collected physical-inactivity 2016/17
// survey not run that year`), takes the mark back (`/kpi not-collected undo …`), or lists the marks
// (no arguments). A marked period is never chased; `/kpi show` and the quarterly report say why it
// has no value. Each change is audited. The same as `kpi not-collected` on the command line.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, header, message, reply, say, text } from '../src/messages/build.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { applyNotCollected, NOT_COLLECTED_USAGE, notCollectedLines, readNotCollected } from '../src/services/not-collected.ts';
import { defineCommand } from './types.ts';

export async function notCollected(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'not-collected');
  const org = await deps.repo.org();
  if (!args.trim()) {
    const lines = await notCollectedLines(deps.repo, org);
    if (!lines.length) return say('No period is marked not collected. Mark one with `/kpi not-collected <indicator | theme <name> | all> <period> <reason>`.');
    const blocks = [header('Periods not collected'), ...Array.from({ length: Math.ceil(lines.length / 10) }, (_, i) => text(lines.slice(i * 10, i * 10 + 10).join('\n')))];
    return reply('private', message(`${lines.length} period${lines.length === 1 ? '' : 's'} marked not collected`, ...blocks.slice(0, 30), context('Undo one with `/kpi not-collected undo <indicator | theme <name> | all> <period>`.')));
  }
  const req = await readNotCollected(deps.repo, args, org.fyStartMonth);
  const person = actor.person!;
  return say(await applyNotCollected(deps.repo, req, { personId: person.id, name: person.displayName, label: `${actor.platform}:${actor.userId}` }, deps.clock.now()));
}

export const notCollectedCommand = defineCommand({
  name: 'not-collected',
  aliases: ['notcollected', 'not-collecting'],
  usage: NOT_COLLECTED_USAGE,
  summary: 'mark a period “not collected”, with why: never chased, and the report says so (performance admins)',
  examples: ['/kpi not-collected physical-inactivity 2016/17 survey not run that year', '/kpi not-collected undo physical-inactivity 2016/17'],
  roles: ['admin'],
  run: notCollected,
});
