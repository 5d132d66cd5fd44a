// The bot's own token for calling the Bot Connector service when TEAMS_LOGIN_URL points somewhere
// other than Microsoft Entra (tests; a token endpoint behind a proxy). Normally the SDK gets the
// token with MSAL; MSAL refuses plain-http authorities and first asks login.microsoftonline.com to
// "discover" any authority it does not know, so for an overridden endpoint this does the same
// OAuth 2.0 client-credentials request itself (RFC 6749 §4.4, as Bot Framework documents it),
// caching the token until five minutes before it expires.
import { z } from 'zod';

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

export interface ClientCredentialsOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** Used when the SDK asks for no particular tenant. */
  defaultTenant: string;
  now?: () => number;
}

export function clientCredentialsTokenProvider(o: ClientCredentialsOptions): (scope: string | string[], tenantId?: string) => Promise<string> {
  const now = o.now ?? Date.now;
  const cache = new Map<string, { token: string; until: number }>();
  return async (scope, tenantId) => {
    const scopes = Array.isArray(scope) ? scope.join(' ') : scope;
    const tenant = tenantId ?? o.defaultTenant;
    const key = `${tenant} ${scopes}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.token;
    const res = await fetch(`${o.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret, scope: scopes }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`Teams: the token endpoint refused the bot's credentials (HTTP ${res.status})`);
    const body = tokenResponse.parse(await res.json());
    cache.set(key, { token: body.access_token, until: now() + Math.max(0, body.expires_in - 300) * 1000 });
    return body.access_token;
  };
}
