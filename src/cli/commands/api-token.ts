// `kpi api-token create <name> --indicators a,b | --theme X`, `kpi api-token list`, `kpi api-token
// revoke <name>`: the tokens source systems post values with (the HTTP API, docs/performance-team.md,
// "API for source systems"). The secret is printed once (or written to --out, readable by its owner
// only; a file already there is kept unless --force) and kept only as its SHA-256. The same as `/kpi api-token` in chat; audited.
import { chmod, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { checkTokenName, createApiToken, describeScope, readScope, tokenLines } from '../../services/api-tokens.ts';
import { plainMarkup } from '../../messages/markup.ts';
import { organisationClock } from '../../demo/clock.ts';
import { systemClock } from '../../ports.ts';
import { withDatabase } from '../context.ts';
import { FORCE_HELP, outputTarget } from '../output.ts';
import { cliActor } from './import.ts';

export function addApiTokenCommand(program: Command): void {
  const cmd = program.command('api-token').description('API tokens for source systems (the HTTP API): create, list, revoke');

  cmd
    .command('create')
    .description('make a token for a named integration, scoped to some indicators or to a theme; prints the secret once')
    .argument('<name>', 'the integration, e.g. hr-system (lower-case letters, digits and hyphens); shown as "API: <name>" on its values')
    .option('--indicators <list>', 'the indicators it may write, by short name or reference, comma-separated')
    .option('--theme <theme>', "the theme whose indicators it may write (instead of --indicators)")
    .option('--by <email>', 'the performance admin making it (recorded in the audit log)')
    .option('--out <path>', 'write the secret to this file (readable by its owner only) instead of printing it: a file, or a directory to write <name>.token into; a file already there is kept unless --force')
    .option('--force', FORCE_HELP)
    .action(async (name: string, opts: { indicators?: string; theme?: string; by?: string; out?: string; force?: boolean }) => {
      // Where the secret goes is settled before the token is made: a file that must be kept stops it here.
      const target = opts.out !== undefined ? await outputTarget(`${checkTokenName(name)}.token`, '.', { out: opts.out, force: opts.force === true }) : null;
      await withDatabase(async ({ repo }) => {
        const actor = await cliActor(repo, opts.by);
        if (opts.by && !actor.isAdmin) throw new UserError(`${opts.by} is not a performance admin: only performance admins make API tokens.`);
        const scope = await readScope(repo, opts);
        const at = organisationClock(await repo.org(), systemClock).now();
        const { token, secret } = await createApiToken(repo, checkTokenName(name), scope, { at, actorId: actor.personId, actorLabel: actor.label });
        const indicators = new Map((await repo.indicators({ activeOnly: false })).map((i) => [i.id, i]));
        const what = `API token ${token.name} (${token.prefix}…) made: it may write ${describeScope(token.scope, indicators, await repo.themes())}.`;
        if (target) {
          try {
            await writeFile(target.path, secret + '\n', { mode: 0o600, flag: target.replace ? 'w' : 'wx' });
            await chmod(target.path, 0o600);
          } catch (e) {
            await repo.api.revokeToken(token.name, { at, actorId: actor.personId, actorLabel: actor.label });
            throw new UserError(`Cannot write ${target.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the token was revoked at once, as its secret was shown nowhere. Run the command again with another --out.`);
          }
          console.log(`${what}\nThe secret is in ${target.path}, readable by its owner only (shown nowhere else; kept only as a hash).`);
        } else console.log(`${what}\n\n${secret}\n\nShown once: put it in the source system now as "Authorization: Bearer <token>". It is kept only as a hash.`);
      });
    });

  cmd
    .command('list')
    .description('every token: its name, prefix, what it may write, when it was made and revoked')
    .action(async () => {
      await withDatabase(async ({ repo }) => {
        const lines = await tokenLines(repo, (await repo.org()).timeZone);
        console.log(lines.length ? lines.map((l) => plainMarkup(l)).join('\n') : 'No API tokens yet: kpi api-token create <name> --indicators <a,b>.');
      });
    });

  cmd
    .command('revoke')
    .description('refuse a token from now on (401); the values it gave stay')
    .argument('<name>', 'the token, as `kpi api-token list` names it')
    .option('--by <email>', 'the performance admin revoking it (recorded in the audit log)')
    .action(async (name: string, opts: { by?: string }) => {
      await withDatabase(async ({ repo }) => {
        const actor = await cliActor(repo, opts.by);
        if (opts.by && !actor.isAdmin) throw new UserError(`${opts.by} is not a performance admin: only performance admins revoke API tokens.`);
        const at = organisationClock(await repo.org(), systemClock).now();
        const t = await repo.api.revokeToken(name.trim().toLowerCase(), { at, actorId: actor.personId, actorLabel: actor.label });
        if (!t) throw new UserError(`There is no API token called ${name}. kpi api-token list shows them.`);
        console.log(`API token ${t.name} (${t.prefix}…) is revoked: requests with it get 401 from now on. Its values stay, shown as given by "API: ${t.name}".`);
      });
    });
}
