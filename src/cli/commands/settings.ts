// `kpi settings [<name> <value>]`: the organisation's settings, shown or changed (audited) — the same
// as `/kpi settings` in chat and an import's Settings sheet.
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { findSetting, settingPatch, SETTINGS } from '../../services/settings.ts';
import { localDateOf } from '../../domain/dates.ts';
import { commandClock, withDatabase } from '../context.ts';
import { cliActor } from './import.ts';

export function addSettingsCommand(program: Command): void {
  program
    .command('settings')
    .description('show the organisation’s settings, or change one')
    .argument('[name]', SETTINGS.map((s) => s.name).join(' | '))
    .argument('[value...]', 'the new value, e.g. 5%')
    .option('--by <email>', 'who is changing it (recorded in the audit log)')
    .addHelpText('after', `\nSettings:\n${SETTINGS.map((s) => `  ${s.name.padEnd(22)} ${s.label} (e.g. ${s.example})`).join('\n')}\n`)
    .action(async (name: string | undefined, value: string[], o: { by?: string }) => {
      await withDatabase(async ({ repo }) => {
        const org = await repo.org();
        if (!name) {
          for (const s of SETTINGS) console.log(`${s.name.padEnd(22)} ${s.show(org)}`);
          return;
        }
        const def = findSetting(name);
        if (!def) throw new UserError(`There is no setting "${name}".`, `Settings: ${SETTINGS.map((s) => s.name).join(', ')}`);
        if (!value.length) {
          console.log(`${def.label}: ${def.show(org)}`);
          return;
        }
        const now = (await commandClock(repo)).now();
        const r = settingPatch(def, value.join(' '), org, localDateOf(now, org.timeZone));
        if (!r.ok) throw new UserError(`${def.label}: ${r.error}.`, `e.g. kpi settings ${def.name} ${def.example.split(/[ (,]/)[0]}`);
        const before = def.show(org);
        const after = def.show(await repo.updateOrg(r.patch));
        const by = await cliActor(repo, o.by);
        if (before !== after) await repo.audit({ at: now, actorId: by.personId, actorLabel: by.label, action: 'settings.change', entity: 'organisation', entityId: def.name, details: { before, after } });
        console.log(before === after ? `${def.label} is already ${after}.` : `${def.label}: ${after} (was ${before}).`);
      });
    });
}
