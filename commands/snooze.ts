// "Snooze for N days" on an alert: no new alerts for the indicator until then (changes are still recorded).
import { z } from 'zod';
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { say } from '../src/messages/build.ts';
import { canSubmit, isAdmin } from '../src/services/permissions.ts';
import { NotFoundError, PermissionError } from '../src/errors.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { indicatorIdSchema, parseJson } from './payload.ts';
import { defineCommand } from './types.ts';

const snoozeSchema = z.object({ indicatorId: indicatorIdSchema, days: z.number().int().min(1).max(90) });

export async function snoozeIndicator(deps: CommandDeps, actor: Actor, raw: string): Promise<CommandResult> {
  const { indicatorId, days } = parseJson(snoozeSchema, raw);
  const ind = await deps.repo.indicator(indicatorId);
  if (!ind) throw new NotFoundError('That indicator no longer exists.');
  const p = actor.person;
  if (!(canSubmit(p, ind) || isAdmin(p) || (p && ind.directorId === p.id))) {
    throw new PermissionError(`Only the owner, deputy, director or a performance admin can snooze alerts for ${ind.slug}.`);
  }
  const now = deps.clock.now();
  const until = new Date(now.getTime() + days * 86_400_000);
  await deps.repo.snooze(ind.id, until, p!.id);
  await deps.repo.audit({ at: now, actorId: p!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'alert.snooze', entity: 'indicator', entityId: String(ind.id), details: { days } });
  const org = await deps.repo.org();
  return say(`🔕 Alerts for **${ind.slug}** are snoozed until ${formatDate(localDateOf(until, org.timeZone))}. Status changes are still recorded and shown in /kpi show.`);
}

export const snoozeCommand = defineCommand({
  name: 'snooze',
  actions: {
    /** value: JSON { indicatorId, days } */
    snooze: snoozeIndicator,
  },
});
