// /kpi back — an owner is back: chases come to them again. Performance admins: /kpi back <email>.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { literal, say } from '../src/messages/build.ts';
import { whoIsAway } from './away.ts';
import { defineCommand } from './types.ts';

export async function back(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const person = await whoIsAway(deps, actor, args.trim());
  const you = person.id === actor.person!.id;
  if (!person.absentUntil) return say(`${you ? 'You were' : `${literal(person.displayName)} was`} not marked as away: nothing changed.`);
  await deps.repo.setAbsence(person.id, null);
  await deps.repo.audit({ at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'person.back', entity: 'person', entityId: String(person.id) });
  return say(`👋 Welcome back${you ? '' : `, ${literal(person.displayName)}`}. Chases for ${you ? 'your' : 'their'} indicators come to ${you ? 'you' : 'them'} again.`);
}

export const backCommand = defineCommand({
  name: 'back',
  usage: 'back',
  summary: 'you are back from being away',
  run: back,
});
