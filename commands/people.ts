// /kpi people [sync | edit | merge | retire] — performance admins: how the bot reaches the register's
// people, and who it cannot reach and why; `sync` looks everyone not yet linked up by e-mail now (and
// checks the user ids a People sheet gave). Putting a person right is a file each:
// people-edit.ts, people-merge.ts, people-retire.ts.
import type { Actor, CommandDeps, PlatformName } from '../src/ports.ts';
import type { Block, CommandResult } from '../src/messages/types.ts';
import { context, deferred, header, message, reply, text } from '../src/messages/build.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { syncLines, unreachableLines, unreachablePeople } from '../src/people/unreachable.ts';
import { setupLines } from '../src/services/setup.ts';
import { ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';
import { EDIT_USAGE, peopleEdit } from './people-edit.ts';
import { MERGE_USAGE, peopleMerge } from './people-merge.ts';
import { RETIRE_USAGE, peopleRetire } from './people-retire.ts';

async function overview(deps: CommandDeps): Promise<CommandResult> {
  const people = (await deps.repo.people()).filter((p) => p.active);
  const unreachable = await unreachablePeople(deps);
  const linked = (platform: PlatformName) => people.filter((p) => p.identities[platform]).length;
  const blocks: Block[] = [
    header('People and how the bot reaches them'),
    text(`${people.length} people in the register. ${deps.directory.platforms.map((p) => `Linked on ${p}: ${linked(p)}`).join(' · ')}.`),
  ];
  if (unreachable.length) {
    blocks.push(text(`**The bot cannot reach ${unreachable.length}:**`));
    const lines = unreachableLines(unreachable, 30);
    for (let i = 0; i < lines.length; i += 6) blocks.push(text(lines.slice(i, i + 6).join('\n')));
  } else blocks.push(text('Everyone the bot has needed so far can be reached. 👍'));
  const setup = await setupLines(deps, (await deps.repo.org()).timeZone);
  if (setup.length) blocks.push(text(`**What the bot cannot do as it is set up:**\n${setup.join('\n')}`));
  blocks.push(context('People not linked yet are looked up by e-mail the first time a chase or digest is due. `/kpi people sync` looks everyone up now; fix a person with `/kpi people edit <email> --email <right address>` (or import the People sheet again with the right address); a duplicate with `/kpi people merge`; someone who left with `/kpi people retire`.'));
  return reply('private', message(unreachable.length ? `${unreachable.length} people the bot cannot reach` : 'Everyone can be reached', ...blocks));
}

export async function people(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'people');
  const [first = '', ...rest] = args.trim().split(/\s+/);
  const a = first.toLowerCase();
  if (!a) return overview(deps);
  if (a === 'edit') return peopleEdit(deps, actor, rest.join(' '));
  if (a === 'merge') return peopleMerge(deps, actor, rest.join(' '));
  if (a === 'retire') return peopleRetire(deps, actor, rest.join(' '));
  if (a !== 'sync' || rest.length) throw new ValidationError(`"${args.trim()}" is not something \`/kpi people\` does.`, {}, `Usage: /kpi people [sync] · /kpi ${EDIT_USAGE} · /kpi ${MERGE_USAGE} · /kpi ${RETIRE_USAGE}`);
  // Lookups are paced to the platform's rate limit: answer at once, report when done.
  return deferred(message('Looking people up…', text('Looking up everyone not yet linked, by e-mail. I will tell you what I found.')), async () => {
    const now = deps.clock.now();
    const results = await deps.directory.sync(await deps.repo.people(), now, { force: true });
    const missing = results.flatMap((r) => r.notFound.map((n) => ({ ...n, reason: `${r.label}: ${n.reason}` })));
    const blocks: Block[] = [header('People sync'), text(syncLines(results).join('\n') || 'No chat platform to look people up on.')];
    if (missing.length) blocks.push(text(`**Not found**\n${unreachableLines(missing, 20).join('\n')}`));
    await deps.repo.audit({ at: now, actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'people.sync', entity: 'people', details: results.map((r) => ({ platform: r.platform, found: r.found.length, notFound: r.notFound.length, failed: r.failed.length, linked: r.linked })) });
    return reply('private', message(syncLines(results).join(' '), ...blocks));
  });
}

export const peopleCommand = defineCommand({
  name: 'people',
  usage: 'people [sync | edit <email> … | merge <from> <into> | retire <email> --hand-to <email>]',
  summary: 'who the bot can and cannot reach, and why; `sync` looks everyone up by e-mail; `edit`, `merge` and `retire` put a person right (performance admins)',
  roles: ['admin'],
  run: people,
});
