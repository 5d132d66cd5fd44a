// API tokens for source systems, as a performance admin makes them (`kpi api-token`, `/kpi api-token`):
// a name for the integration ("hr-system"), the indicators it may write (listed, or one theme's), a
// secret shown once and kept only as its SHA-256, a prefix to tell tokens apart in lists. Shared by the
// CLI, the chat command and the HTTP API (which authenticates with `tokenFor`).
import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '../errors.ts';
import type { ApiScope, ApiTokenRecord, AuditEntry, IndicatorRecord, Repository, ThemeRecord } from '../ports.ts';
import { formatDateTime } from '../domain/dates.ts';
import { findIndicator, requireTheme } from './find-indicator.ts';
import { literal } from '../messages/build.ts';

export const API_TOKEN_USAGE = 'api-token create <name> --indicators <a,b,…> | --theme <theme> · api-token list · api-token revoke <name>';

/** How a token's secret starts: recognisable in a leaked log or a secret scanner. */
const SECRET_START = 'kpi_';
/** The characters of a secret shown in lists. */
const PREFIX_LENGTH = SECRET_START.length + 8;

/** The label a value from this integration is saved under (Observation.submittedByLabel), and the way in said in history. */
export const API_SOURCE = 'api';
export const integrationLabel = (name: string) => `${API_SOURCE}:${name}`;
export const integrationSays = (name: string) => `API: ${name}`;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A name for an integration: lower case letters, digits and hyphens, 2–40 of them ("hr-system"). */
export function checkTokenName(name: string): string {
  const n = name.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(n)) throw new ValidationError(`"${name.trim().slice(0, 60)}" cannot name an API token: use 2–40 lower-case letters, digits and hyphens, e.g. hr-system.`);
  return n;
}

/** The one indicator a source system named by its exact short name or reference (no guessing, unlike chat), or the nearest ones to say. */
export async function exactIndicator(repo: Repository, query: string): Promise<{ indicator: IndicatorRecord } | { suggestions: string[] }> {
  const q = query.trim();
  const refKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const found = q ? await findIndicator(repo, q) : { kind: 'none' as const, suggestions: [] };
  if (found.kind === 'one' && (found.indicator.slug === q.toLowerCase() || (found.indicator.ref !== null && refKey(found.indicator.ref) === refKey(q)))) return { indicator: found.indicator };
  const near = found.kind === 'one' ? [found.indicator] : found.kind === 'many' ? found.matches : found.suggestions;
  return { suggestions: near.slice(0, 5).map((i) => i.slug) };
}

/** The scope asked for: a list of indicators (each by exact short name or reference) or one theme. */
export async function readScope(repo: Repository, o: { indicators?: string; theme?: string }): Promise<ApiScope> {
  if (Boolean(o.indicators?.trim()) === Boolean(o.theme?.trim())) throw new ValidationError('Give the indicators the token may write (--indicators a,b) or a theme (--theme X), one of the two.');
  if (o.theme?.trim()) return { kind: 'theme', themeId: requireTheme(await repo.themes(), o.theme).id };
  const ids: number[] = [];
  const unknown: string[] = [];
  // Separated by commas, since a reference may hold a space ("BV 12", "NI 192"); a piece that is no
  // indicator as a whole but whose words each are one is read as those (`a b` typed for `a, b`).
  for (const piece of o.indicators!.split(',').map((x) => x.trim().replace(/\s+/g, ' ')).filter(Boolean)) {
    const whole = await exactIndicator(repo, piece);
    let found = 'indicator' in whole ? [whole.indicator] : null;
    if (!found && piece.includes(' ')) {
      const each = await Promise.all(piece.split(' ').map((w) => exactIndicator(repo, w)));
      if (each.every((r) => 'indicator' in r)) found = each.map((r) => (r as { indicator: IndicatorRecord }).indicator);
    }
    if (found) {
      for (const ind of found) if (!ids.includes(ind.id)) ids.push(ind.id);
    } else if ('suggestions' in whole) unknown.push(`"${piece}"${whole.suggestions.length ? ` (did you mean ${whole.suggestions.join(', ')}?)` : ''}`);
  }
  if (unknown.length) throw new ValidationError(`No indicator has the short name or reference ${unknown.join('; ')}. Nothing was created.`);
  return { kind: 'indicators', indicatorIds: ids };
}

/** Make a token; the secret is returned once and never stored. */
export async function createApiToken(repo: Repository, name: string, scope: ApiScope, by: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ token: ApiTokenRecord; secret: string }> {
  const secret = SECRET_START + randomBytes(24).toString('hex');
  const token = await repo.api.createToken({ name: checkTokenName(name), prefix: secret.slice(0, PREFIX_LENGTH), hash: sha256(secret), scope, at: by.at }, by);
  return { token, secret };
}

/** The active token a request's `Authorization: Bearer <secret>` names, or why not ('missing', 'unknown', 'revoked'). */
export async function tokenFor(repo: Repository, authorization: string | undefined): Promise<ApiTokenRecord | 'missing' | 'unknown' | 'revoked'> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return 'missing';
  const t = await repo.api.tokenByHash(sha256(m[1]!));
  if (!t) return 'unknown';
  return t.revokedAt ? 'revoked' : t;
}

/** Whether a token may write values for an indicator. */
export function inScope(t: Pick<ApiTokenRecord, 'scope'>, ind: Pick<IndicatorRecord, 'id' | 'themeId'>): boolean {
  return t.scope.kind === 'theme' ? ind.themeId === t.scope.themeId : t.scope.indicatorIds.includes(ind.id);
}

/** "sickness-absence, council-tax-collected" or "the theme Corporate Health", for lists and answers. */
export function describeScope(scope: ApiScope, indicators: ReadonlyMap<number, Pick<IndicatorRecord, 'slug'>>, themes: readonly ThemeRecord[]): string {
  if (scope.kind === 'theme') return `the theme ${themes.find((t) => t.id === scope.themeId)?.name ?? `#${scope.themeId} (removed)`}`;
  return scope.indicatorIds.map((id) => indicators.get(id)?.slug ?? `#${id} (removed)`).join(', ') || 'no indicators';
}

/** One line per token, for `kpi api-token list` and `/kpi api-token list` (markup: `code`). */
export async function tokenLines(repo: Repository, timeZone: string): Promise<string[]> {
  const tokens = await repo.api.tokens();
  if (!tokens.length) return [];
  const indicators = new Map((await repo.indicators({ activeOnly: false })).map((i) => [i.id, i]));
  const themes = await repo.themes();
  return tokens.map(
    (t) =>
      `\`${t.name}\` (${t.prefix}…) — writes ${literal(describeScope(t.scope, indicators, themes))}; made ${formatDateTime(t.createdAt, timeZone)}` +
      (t.revokedAt ? `; **revoked** ${formatDateTime(t.revokedAt, timeZone)}` : ''),
  );
}
