// `kpi people` lists everyone in the register with their link on each platform and how the last
// message to them went; `kpi people sync` looks everyone not yet linked up by e-mail now (and checks
// the user ids a People sheet gave); `kpi people edit|merge|retire` put a person right (audited) —
// the same as `/kpi people edit|merge|retire` in chat (src/services/people-admin.ts); `kpi people erase`
// erases the personal data of someone who has left, `kpi people export` writes what is held about a person.
import type { Command } from 'commander';
import { PLATFORMS } from '../../platforms/index.ts';
import { commandClock, withDatabase, withServices } from '../context.ts';
import { cliActor } from './import.ts';
import { editPerson, ERASURE, erasePerson, exportPerson, ID_OPTIONS, mergePeople, personNamed, retirePerson, type PersonEditInput } from '../../services/people-admin.ts';
import { FORCE_HELP, outputTarget, writeOutput } from '../output.ts';
import { syncLines, unreachablePeople } from '../../people/unreachable.ts';
import { setupLines } from '../../services/setup.ts';
import { plainMarkup } from '../../messages/markup.ts';
import { formatDate, localDateOf } from '../../domain/dates.ts';

export function addPeopleCommand(program: Command): void {
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
          const links = platforms.map((pl) => `${pl}: ${p.identities[pl] ?? (p.unconfirmed?.[pl] ? `${p.unconfirmed[pl]} (unconfirmed)` : '—')}`).join('  ');
          const l = last.get(p.id);
          const delivery = l ? `last ${l.purpose} ${formatDate(localDateOf(l.at, org.timeZone))} ${l.state}` : 'nothing sent yet';
          const successor = p.successorId ? all.find((x) => x.id === p.successorId) : undefined;
          console.log(`${p.displayName.padEnd(24)} ${(p.email ?? '(no e-mail)').padEnd(36)} ${p.role.padEnd(8)} ${links}  ${delivery}${p.active ? '' : `  (inactive${successor ? `: taken over by ${successor.email}` : ''})`}`);
          const why = unreachable.get(p.id);
          if (why) console.log(`${''.padEnd(25)}cannot be reached: ${why}`);
        }
        console.log(`\n${all.length} people; ${unreachable.size} the bot cannot reach.`);
        const setup = await setupLines(services.deps, org.timeZone);
        if (setup.length) console.log(`\nWhat the bot cannot do as it is set up:\n${setup.map((l) => plainMarkup(l)).join('\n')}`);
      });
    });
  people
    .command('sync')
    .description('look everyone not yet linked up by e-mail now, on every configured chat platform (and check each id a People sheet gave with its platform)')
    .action(async () => {
      await withServices(null, async ({ repo, services }) => {
        const now = services.deps.clock.now();
        const results = await services.directory.sync(await repo.people(), now, { force: true });
        if (!results.length) {
          console.log(`No chat platform is configured to look people up on (set ${PLATFORMS.map((p) => p.settings.hint).join(', or ')}).`);
          return;
        }
        for (const line of syncLines(results)) console.log(plainMarkup(line));
        for (const r of results) {
          for (const n of r.notFound) console.log(`  ${r.label}: not found — ${n.person.displayName} (${n.person.email ?? 'no e-mail'}): ${n.reason}`);
          for (const n of r.failed) console.log(`  ${r.label}: could not ask — ${n.person.displayName}: ${n.reason}`);
        }
      });
    });

  const by = (c: Command) => c.option('--by <email>', 'the performance admin making the change (recorded in the audit log)');

  const edit = people
    .command('edit')
    .description('correct a person: their e-mail address, name, deputy, role or chat account (audited)')
    .argument('<email>', 'the e-mail address the register has for them now')
    .option('--email <new>', 'their right e-mail address: the same person, their indicators and history stay theirs')
    .option('--name <name>', 'their name as the register shows it')
    .option('--deputy <email>', 'who is chased when they cannot be (an e-mail address, or none)')
    .option('--role <role>', 'officer, director or admin (performance admin)')
    .option('--active <yes>', 'yes: bring a retired person back into the register');
  for (const o of ID_OPTIONS) edit.option(`--${o.flag} <id>`, `their ${o.label} user id (confirmed: you say it is theirs), or none to unlink them there`);
  by(edit)
    .addHelpText('after', '\nExample: kpi people edit lucy.chambers@trafford.gov.ukk --email lucy.chambers@trafford.gov.uk\nExit status: 0 changed (or nothing to change), 1 refused (the reason is printed).\n')
    .action(async (email: string, o: Record<string, string | undefined>) => {
      const input: PersonEditInput = {
        ...(o.email !== undefined ? { email: o.email } : {}),
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.deputy !== undefined ? { deputy: o.deputy } : {}),
        ...(o.role !== undefined ? { role: o.role } : {}),
        ...(o.active !== undefined ? { active: o.active } : {}),
        ids: Object.fromEntries(ID_OPTIONS.flatMap((x) => { const v = o[camel(x.flag)]; return v === undefined ? [] : [[x.platform, v]]; })),
      };
      await withDatabase(async ({ repo }) => {
        const actor = await cliActor(repo, o.by);
        const r = await editPerson(repo, email, input, { at: new Date(), actorId: actor.personId, actorLabel: actor.label });
        for (const l of r.lines) console.log(plainMarkup(l));
      });
    });

  by(
    people
      .command('merge')
      .description('fold a duplicate person into the one to keep: indicators, deputyships, themes, chat links and history move; the duplicate is kept inactive (audited)')
      .argument('<from-email>', 'the duplicate (e.g. the one made by a mistyped address)')
      .argument('<into-email>', 'the person to keep'),
  )
    .addHelpText('after', '\nExample: kpi people merge lucy.chambers@trafford.gov.ukk lucy.chambers@trafford.gov.uk\n')
    .action(async (from: string, into: string, o: { by?: string }) => {
      await withDatabase(async ({ repo }) => {
        const actor = await cliActor(repo, o.by);
        const r = await mergePeople(repo, from, into, { at: new Date(), actorId: actor.personId, actorLabel: actor.label });
        for (const l of r.lines) console.log(plainMarkup(l));
      });
    });

  by(
    people
      .command('retire')
      .description('someone who left: their indicators, deputyships and themes go to another person; they are no longer chased or linked (audited)')
      .argument('<email>', 'the person leaving')
      .option('--hand-to <email>', 'who takes over their indicators and themes (needed when they have any)'),
  )
    .addHelpText('after', '\nExample: kpi people retire kate.morgan@trafford.gov.uk --hand-to jamie.fletcher@trafford.gov.uk\n')
    .action(async (email: string, o: { handTo?: string; by?: string }) => {
      await withDatabase(async ({ repo }) => {
        const actor = await cliActor(repo, o.by);
        const r = await retirePerson(repo, email, o.handTo ?? null, { at: new Date(), actorId: actor.personId, actorLabel: actor.label });
        for (const l of r.lines) console.log(plainMarkup(l));
      });
    });

  by(
    people
      .command('erase')
      .description('erase the personal data of someone who has left (retired first): their name, e-mail, chat links and messages go; the council’s record stays, attributed to "a former officer (erased <date>)" (audited, without their data)')
      .argument('<email>', 'the person, retired already')
      .requiredOption('--reason <why>', 'why: an erasure request (and its date), or the council’s retention rule — kept in the audit trail'),
  )
    .addHelpText(
      'after',
      `\nErased: ${ERASURE.erased}.\nKept: ${ERASURE.kept}.\nRewritten: ${ERASURE.rewritten}.\n\nExample: kpi people erase kate.morgan@trafford.gov.uk --reason "erasure request of 3 March 2018"\nExit status: 0 erased (or erased before), 1 refused (the reason is printed: still active, or still owning indicators).\n`,
    )
    .action(async (email: string, o: { reason: string; by?: string }) => {
      await withDatabase(async ({ repo }) => {
        const actor = await cliActor(repo, o.by);
        const clock = await commandClock(repo);
        const r = await erasePerson(repo, email, o.reason, { at: clock.now(), actorId: actor.personId, actorLabel: actor.label });
        for (const l of r.lines) console.log(plainMarkup(l));
      });
    });

  people
    .command('export')
    .description('everything held about a person, as JSON, for a subject-access request: their record and every row that refers to them')
    .argument('<email>', 'the person')
    .requiredOption('--out <file>', 'the JSON file to write (a directory: person-<id>.json in it); a file already there is kept unless --force')
    .option('--force', FORCE_HELP)
    .addHelpText('after', '\nExample: kpi people export lucy.chambers@trafford.gov.uk --out lucy-chambers.json\n')
    .action(async (email: string, o: { out: string; force?: boolean }) => {
      await withDatabase(async ({ repo, config }) => {
        const clock = await commandClock(repo);
        const p = await personNamed(repo, email, 'person to export');
        const target = await outputTarget(`person-${p.id}.json`, config.outDir, o);
        const r = await exportPerson(repo, email, clock.now());
        const written = await writeOutput(target, new TextEncoder().encode(r.json));
        process.stderr.write(`${r.rows} rows about ${r.person.displayName}${written.replaced ? '; replaced the earlier file' : ''}.\n`);
        console.log(written.path);
      });
    });
}

/** Commander's name for an option's value: --slack-id → slackId. */
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
