// /kpi settings [<name> <value>] — the organisation's rules: shown to anyone who asks, changed by
// performance admins (each change audited). The same settings as an import's Settings sheet.
import type { Actor, CommandDeps, OrgSettings } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, header, literal, message, reply, text } from '../src/messages/build.ts';
import { ValidationError } from '../src/errors.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { findSetting, settingPatch, SETTINGS } from '../src/services/settings.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { defineCommand } from './types.ts';

const USAGE = 'settings [<name> <value>]';

function table(o: OrgSettings): string[] {
  return SETTINGS.map((s) => `\`${s.name}\` — ${s.label}: **${literal(s.show(o))}**`);
}

export async function settings(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(args.trim());
  if (!m) {
    return reply('private', message('Organisation settings', header(`Settings: ${org.name}`), text(table(org).join('\n')), context('Performance admins change one with `/kpi settings <name> <value>`, e.g. `/kpi settings tolerance 5%`.')));
  }
  const def = findSetting(m[1]!);
  if (!def) throw new ValidationError(`There is no setting "${literal(m[1])}".`, {}, `Settings: ${SETTINGS.map((s) => `\`${s.name}\``).join(', ')}.`);
  if (!m[2]!.trim()) return reply('private', message(`${def.label}: ${def.show(org)}`, text(`${def.label}: **${literal(def.show(org))}**`), context(`Change it with \`/kpi settings ${def.name} <value>\` — e.g. ${def.example}.`)));
  ensureAllowed(actor.person, 'settings');
  const r = settingPatch(def, m[2]!, org, localDateOf(deps.clock.now(), org.timeZone));
  if (!r.ok) throw new ValidationError(`${def.label}: ${literal(r.error)}.`, {}, `e.g. \`/kpi settings ${def.name} ${def.example.split(/[ (,]/)[0]}\``);
  const before = def.show(org);
  const updated = await deps.repo.updateOrg(r.patch);
  const after = def.show(updated);
  if (before !== after) {
    await deps.repo.audit({ at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'settings.change', entity: 'organisation', entityId: def.name, details: { before, after } });
  }
  const note =
    def.name === 'financial-year-start' && before !== after
      ? [context('Values already recorded keep their periods; new periods are read with the new year start.')]
      : def.name === 'collect-from' && before !== after
        ? [context('Reminders for periods from then on count from today: nobody is escalated for values that were not asked for before.')]
        : [];
  return reply('private', message(`${def.label}: ${after}`, text(before === after ? `${def.label} is already **${literal(after)}**.` : `✅ ${def.label}: **${literal(after)}** (was ${literal(before)}).`), ...note));
}

export const settingsCommand = defineCommand({
  name: 'settings',
  aliases: ['setting', 'config'],
  usage: USAGE,
  summary: 'the organisation’s rules (tolerance, reminders, exception questions…); performance admins change them',
  examples: ['/kpi settings tolerance 5%'],
  run: settings,
});
