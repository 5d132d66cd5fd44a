// Teams' settings: the bot's app id and password, the tenant(s) it serves, and overrides for tests
// and sovereign clouds. Teams needs KPI_PUBLIC_URL too (charts in cards are served from it).
import { z } from 'zod';
import { optionalString } from '../../env.ts';
import { definePlatformSettings } from '../core/settings.ts';
import { DEFAULT_RETRY } from './retry.ts';

const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  /** The tenant the bot is registered in (TEAMS_TENANT_ID): its tokens come from there. */
  tenantId: string | undefined;
  /**
   * The tenants the bot serves (TEAMS_TENANT_ID and TEAMS_ALLOWED_TENANTS, lower case, never empty):
   * activities from any other are refused, and 1:1 chats are only started in these.
   */
  allowedTenants: string[];
  /** Bot Connector service for proactive messages to conversations never seen (default: Microsoft's). */
  serviceUrl: string;
  /** Overrides for tests and sovereign clouds: where inbound tokens' keys and outbound tokens come from. */
  openIdMetadataUrl: string | undefined;
  loginUrl: string | undefined;
  /** The first back-off after a Bot Connector 5xx, 408 or dropped connection, doubled each retry (TEAMS_RETRY_BASE_MS: tests only). */
  retryBaseMs: number;
}

export const teamsSettings = definePlatformSettings({
  env: {
    TEAMS_APP_ID: optionalString,
    TEAMS_APP_PASSWORD: optionalString,
    TEAMS_TENANT_ID: optionalString.pipe(z.string().regex(TENANT_GUID, 'a Microsoft Entra tenant id (a GUID)').optional()),
    TEAMS_ALLOWED_TENANTS: optionalString.pipe(
      z
        .string()
        .transform((s) => s.split(/[\s,;]+/).filter(Boolean).map((t) => t.toLowerCase()))
        .pipe(z.array(z.string().regex(TENANT_GUID, 'Microsoft Entra tenant ids (GUIDs), separated by commas')).min(1))
        .optional(),
    ),
    TEAMS_SERVICE_URL: optionalString.pipe(z.url('a URL such as https://smba.trafficmanager.net/teams/').optional()),
    // The SDK finds the signing keys next to it (…/openidconfiguration → …/keys), as Bot Framework publishes them.
    TEAMS_OPENID_METADATA_URL: optionalString.pipe(
      z
        .url('a URL ending /.well-known/openidconfiguration')
        .regex(/\/openidconfiguration$/, 'a URL ending /.well-known/openidconfiguration')
        .optional(),
    ),
    TEAMS_LOGIN_URL: optionalString.pipe(z.url('a URL such as https://login.microsoftonline.com').optional()),
    TEAMS_RETRY_BASE_MS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'milliseconds, e.g. 500')
        .transform(Number)
        .optional(),
    ),
  },
  hint: 'TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID',
  problems(has) {
    const out = [];
    if (has('TEAMS_APP_ID') !== has('TEAMS_APP_PASSWORD')) {
      out.push({ name: has('TEAMS_APP_ID') ? 'TEAMS_APP_PASSWORD' : 'TEAMS_APP_ID', message: 'TEAMS_APP_ID and TEAMS_APP_PASSWORD go together' });
    }
    if (has('TEAMS_APP_ID') && has('TEAMS_APP_PASSWORD') && !has('KPI_PUBLIC_URL')) {
      out.push({ name: 'KPI_PUBLIC_URL', message: 'required with Teams: the https:// address Teams reaches this bot at (charts in cards are served from it)' });
    }
    if (has('TEAMS_APP_ID') && has('TEAMS_APP_PASSWORD') && !has('TEAMS_TENANT_ID') && !has('TEAMS_ALLOWED_TENANTS')) {
      out.push({
        name: 'TEAMS_TENANT_ID',
        message: "required with Teams: the council's Microsoft Entra tenant id (or TEAMS_ALLOWED_TENANTS for a bot that serves several); activities from any other tenant are refused",
      });
    }
    return out;
  },
  read(e): TeamsConfig | null {
    if (!e.TEAMS_APP_ID || !e.TEAMS_APP_PASSWORD) return null;
    return {
      appId: e.TEAMS_APP_ID,
      appPassword: e.TEAMS_APP_PASSWORD,
      tenantId: e.TEAMS_TENANT_ID,
      allowedTenants: [...new Set([...(e.TEAMS_TENANT_ID ? [e.TEAMS_TENANT_ID.toLowerCase()] : []), ...(e.TEAMS_ALLOWED_TENANTS ?? [])])],
      serviceUrl: e.TEAMS_SERVICE_URL ?? 'https://smba.trafficmanager.net/teams/',
      openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL,
      loginUrl: e.TEAMS_LOGIN_URL,
      retryBaseMs: e.TEAMS_RETRY_BASE_MS ?? DEFAULT_RETRY.baseMs,
    };
  },
});
