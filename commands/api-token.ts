// /kpi api-token — a performance admin makes, lists and revokes the tokens source systems post values
// with (the HTTP API, src/http/api.ts): `/kpi api-token create hr-system --indicators sickness-absence,
// staff-turnover` (or `--theme <theme>`), `/kpi api-token list`, `/kpi api-token revoke hr-system`.
// The secret is shown once, and only privately to the admin who made it; never in a channel. The same
// as `kpi api-token` on the command line; audited.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, header, message, reply, say, text } from '../src/messages/build.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { API_TOKEN_USAGE, checkTokenName, createApiToken, describeScope, readScope, tokenLines } from '../src/services/api-tokens.ts';
import { ValidationError } from '../src/errors.ts';
import { literal } from '../src/messages/build.ts';
import { defineCommand } from './types.ts';

const USAGE = `Usage: /kpi ${API_TOKEN_USAGE}`;

/** "create hr-system --indicators a,b" → its name and options. */
function readCreate(words: string[]): { name: string; indicators?: string; theme?: string } {
  const [name, ...rest] = words;
  if (!name || name.startsWith('--')) throw new ValidationError('Name the integration the token is for, e.g. `/kpi api-token create hr-system --indicators sickness-absence`.', {}, USAGE);
  const out: { name: string; indicators?: string; theme?: string } = { name };
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!.toLowerCase();
    const value: string[] = [];
    while (i + 1 < rest.length && !rest[i + 1]!.startsWith('--')) value.push(rest[++i]!);
    if (w === '--indicators' || w === '--indicator') out.indicators = value.join(' ');
    else if (w === '--theme') out.theme = value.join(' ');
    else throw new ValidationError(`I do not know the option ${literal(rest[i] ?? w)}.`, {}, USAGE);
  }
  return out;
}

export async function apiToken(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'api-tokens');
  const [verb = 'list', ...words] = args.trim().split(/\s+/).filter(Boolean);
  const org = await deps.repo.org();
  const by = { at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` };
  switch (verb.toLowerCase()) {
    case 'list': {
      const lines = await tokenLines(deps.repo, org.timeZone);
      if (!lines.length) return say('No API tokens yet. Make one with `/kpi api-token create <name> --indicators <a,b> | --theme <theme>`.');
      return reply('private', message(`${lines.length} API token${lines.length === 1 ? '' : 's'}`, header('API tokens'), text(lines.join('\n')), context('Values a token posts show as given by “API: <name>”. Revoke one with `/kpi api-token revoke <name>`.')));
    }
    case 'create': {
      const o = readCreate(words);
      const name = checkTokenName(o.name);
      const scope = await readScope(deps.repo, o);
      const { token, secret } = await createApiToken(deps.repo, name, scope, by);
      const indicators = new Map((await deps.repo.indicators({ activeOnly: false })).map((i) => [i.id, i]));
      return reply(
        'private',
        message(
          `API token ${token.name} made: it is shown only here, once.`,
          text(`🔑 API token **${token.name}** made. It may write ${literal(describeScope(token.scope, indicators, await deps.repo.themes()))}; its values show as given by “API: ${token.name}”.`),
          text(`\`${secret}\``),
          context('Shown once, only to you: copy it into the source system now (as `Authorization: Bearer <token>`). It is kept only as a hash, so it cannot be shown again; if it is lost, revoke it and make another.'),
        ),
      );
    }
    case 'revoke': {
      const name = words[0];
      if (!name) throw new ValidationError('Which token? `/kpi api-token revoke <name>` (see `/kpi api-token list`).', {}, USAGE);
      const t = await deps.repo.api.revokeToken(name.toLowerCase(), by);
      if (!t) throw new ValidationError(`There is no API token called ${literal(name)}. \`/kpi api-token list\` shows them.`);
      return say(`API token **${t.name}** (${t.prefix}…) is revoked: requests with it are refused (401) from now on. The values it gave stay, shown as given by “API: ${t.name}”.`);
    }
    default:
      throw new ValidationError(`I do not know \`api-token ${literal(verb)}\`.`, {}, USAGE);
  }
}

export const apiTokenCommand = defineCommand({
  name: 'api-token',
  aliases: ['api-tokens'],
  usage: API_TOKEN_USAGE,
  summary: 'make, list or revoke the tokens source systems post values with (performance admins; the secret is shown only to you)',
  examples: ['/kpi api-token create hr-system --indicators sickness-absence', '/kpi api-token list', '/kpi api-token revoke hr-system'],
  roles: ['admin'],
  run: apiToken,
});
