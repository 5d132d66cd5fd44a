// `kpi people` lists everyone in the register with their link on each platform and how the last
// message to them went; `kpi people sync` looks everyone not yet linked up by e-mail now.
import type { Command } from 'commander';
import { PLATFORMS } from '../../platforms/index.ts';
import { withServices } from '../context.ts';
import { syncLines, unreachablePeople } from '../../services/reach.ts';
import { stripMarkup } from '../../messages/build.ts';
import { formatDate, localDateOf } from '../../domain/dates.ts';

export function registerPeople(program: Command): void {
  const people = program.command('people').description('everyone in the register and how the bot reaches them');
  people
    .command('list', { isDefault: true })
    .description('each person: their link on each platform, the last message to them, and why they cannot be reached')
    .action(async () => {
      await withServices(null, async ({ repo, services }) => {
        const [all, last, org] = await Promise.all([repo.people(), repo.lastDeliveries(), repo.org()]);
        const unreachable = new Map((await unreachablePeople(services.deps)).map((u) => [u.person.id, u.reason]));
        const platforms = services.directory.platforms;
        for (const p of all) {
          const links = platforms.map((pl) => `${pl}: ${p.identities[pl] ?? '—'}`).join('  ');
          const l = last.get(p.id);
          const delivery = l ? `last ${l.purpose} ${formatDate(localDateOf(l.at, org.timeZone))} ${l.state}` : 'nothing sent yet';
          console.log(`${p.displayName.padEnd(24)} ${(p.email ?? '(no e-mail)').padEnd(36)} ${p.role.padEnd(8)} ${links}  ${delivery}${p.active ? '' : '  (inactive)'}`);
          const why = unreachable.get(p.id);
          if (why) console.log(`${''.padEnd(25)}cannot be reached: ${why}`);
        }
        console.log(`\n${all.length} people; ${unreachable.size} the bot cannot reach.`);
      });
    });
  people
    .command('sync')
    .description('look everyone not yet linked up by e-mail now, on every configured chat platform')
    .action(async () => {
      await withServices(null, async ({ repo, services }) => {
        const now = services.deps.clock.now();
        const results = await services.directory.sync(await repo.people(), now, { force: true });
        if (!results.length) {
          console.log(`No chat platform is configured to look people up on (set ${PLATFORMS.map((p) => p.settings.hint).join(', or ')}).`);
          return;
        }
        for (const line of syncLines(results)) console.log(stripMarkup(line));
        for (const r of results) {
          for (const n of r.notFound) console.log(`  ${r.label}: not found — ${n.person.displayName} (${n.person.email ?? 'no e-mail'}): ${n.reason}`);
          for (const n of r.failed) console.log(`  ${r.label}: could not ask — ${n.person.displayName}: ${n.reason}`);
        }
      });
    });
}
