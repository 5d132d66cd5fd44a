// The Teams SDK app on our shared HTTP server: its JWT check on /api/messages (through a small
// adapter that only carries bytes), its log lines on our logger, and the messenger the outbox sends
// through (also usable without the inbound side, for the CLI).
import { App, type IHttpServerAdapter, type HttpMethod, type HttpRouteHandler } from '@microsoft/teams.apps';
import { PUBLIC, withOverrides } from '@microsoft/teams.api';
import type { ILogger } from '@microsoft/teams.common';
import type { TeamsConfig } from './settings.ts';
import type { Logger } from '../../log.ts';
import type { ChartRenderer, Clock, Repository, TransportStores } from '../../ports.ts';
import type { HttpServer } from '../../http/server.ts';
import { ConversationStore } from './conversations.ts';
import { HostedFiles } from './hosted-files.ts';
import { TeamsMessenger } from './messenger.ts';
import { DEFAULT_RETRY } from './retry.ts';
import { clientCredentialsTokenProvider } from './token.ts';
import { duringRequest, sdkRefusal, type RefusalLog } from './refusals.ts';

export type { TeamsConfig } from './settings.ts';

/**
 * The SDK's log lines go to our logger (so secrets are redacted and levels respected) — except its
 * lines about a refused token, which it logs as errors: the transport writes one warn line per
 * refusal instead, with the reason they give (./refusals.ts).
 */
function sdkLogger(log: Logger, name = 'teams-sdk'): ILogger {
  const l = log.child({ component: name });
  const text = (m: unknown[]) => m.map((x) => (x instanceof Error ? x.message : typeof x === 'string' ? x : JSON.stringify(x))).join(' ').slice(0, 2000);
  const unlessRefusal = (write: (t: string) => void) => (...m: unknown[]) => {
    const t = text(m);
    if (!sdkRefusal(t)) write(t);
  };
  const logger: ILogger = {
    debug: (...m: unknown[]) => l.debug(text(m)),
    info: (...m: unknown[]) => l.info(text(m)),
    warn: unlessRefusal((t) => l.warn(t)),
    error: unlessRefusal((t) => l.error(t)),
    trace: (...m: unknown[]) => l.trace(text(m)),
    log: (level, ...m: unknown[]) => (level === 'warn' || level === 'error' ? unlessRefusal((t) => l[level](t))(...m) : l[level](text(m))),
    child: (child: string) => sdkLogger(log, `${name}/${child}`),
  };
  return logger;
}

/** An activity's type (an invoke's name with it), as a metrics label: letters and slashes only, short. */
function activitySurface(type: unknown, name: unknown): string {
  const word = (v: unknown) => (typeof v === 'string' && /^[A-Za-z][A-Za-z/]{0,39}$/.test(v) ? v : 'other');
  return type === 'invoke' ? `invoke ${word(name)}` : word(type);
}

/**
 * The SDK's transport seam, on our shared server: parse the JSON body, hand it with the headers to
 * the SDK (which validates the JWT, runs the handlers and returns the answer), write the answer.
 */
class SharedServerAdapter implements IHttpServerAdapter {
  constructor(
    private readonly http: HttpServer,
    private readonly refusals: RefusalLog,
  ) {}

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    this.http.route(method, path, async (req, reply) => {
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Unreadable body' });
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Not an activity' });
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
      const checked = duringRequest(() => handler({ body, headers }));
      const res = await checked.result;
      // What the activity was, for the acknowledgement's metrics: only once its token is accepted (an unsigned request names no series).
      const { type, name } = body as { type?: unknown; name?: unknown };
      req.surface = res.status === 401 ? 'refused' : activitySurface(type, name);
      if (res.status === 401) {
        const { reason, detail } = checked.refusal();
        this.refusals.refuse('teams: refused a request: no valid Bot Framework token', reason, { reason, ...(detail ? { detail } : {}), ...(typeof type === 'string' ? { type: type.slice(0, 40) } : {}) });
      }
      reply({
        status: res.status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: res.body === undefined ? '' : JSON.stringify(res.body),
      });
    }, { platform: 'teams' });
  }
}

/**
 * The SDK app: its JWT check on /api/messages (when `http` is given, refusals written by `refusals`)
 * and its Bot Connector client.
 */
export function createTeamsApp(config: TeamsConfig, http: { server: HttpServer; refusals: RefusalLog } | null, log: Logger): App {
  const cloud = withOverrides(PUBLIC, {
    ...(config.openIdMetadataUrl ? { openIdMetadataUrl: config.openIdMetadataUrl } : {}),
    ...(config.loginUrl ? { loginEndpoint: config.loginUrl } : {}),
  });
  const homeTenant = config.tenantId ?? (config.allowedTenants.length === 1 ? config.allowedTenants[0] : undefined);
  return new App({
    clientId: config.appId,
    // Microsoft Entra through MSAL, unless the token endpoint is overridden (see token.ts).
    ...(config.loginUrl
      ? { token: clientCredentialsTokenProvider({ loginUrl: config.loginUrl, clientId: config.appId, clientSecret: config.appPassword, defaultTenant: homeTenant ?? cloud.loginTenant }) }
      : { clientSecret: config.appPassword }),
    ...(config.tenantId ? { tenantId: config.tenantId } : {}),
    cloud,
    serviceUrl: config.serviceUrl,
    httpServerAdapter: http ? new SharedServerAdapter(http.server, http.refusals) : { registerRoute: () => {} },
    // Never from the environment: every request must carry a valid token.
    dangerouslyAllowUnauthenticatedRequests: false,
    logger: sdkLogger(log),
    client: { timeout: 20_000 },
  });
}

export interface TeamsMessengerDeps {
  stores: TransportStores;
  repo: Repository;
  charts: ChartRenderer;
  publicUrl: string;
  /** How long files sent in cards can be downloaded (KPI_FILE_RETENTION_DAYS). */
  fileRetentionDays: number;
  clock: Clock;
  log: Logger;
}

/** The messenger the outbox sends through; also usable without the inbound side (the job CLI). */
export function createTeamsMessenger(app: App, config: TeamsConfig, d: TeamsMessengerDeps): { messenger: TeamsMessenger; store: ConversationStore; hosted: HostedFiles } {
  const store = new ConversationStore(d.stores.references);
  const hosted = new HostedFiles(d.stores.hostedFiles, d.charts, d.publicUrl, d.clock, d.fileRetentionDays);
  const messenger = new TeamsMessenger({
    // The SDK's client for another region's service URL, sharing the app's HTTP client and token provider.
    apiFor: (serviceUrl) => app.api.fromServiceUrl({ serviceUrl }),
    store,
    hosted,
    repo: d.repo,
    appId: config.appId,
    allowedTenants: config.allowedTenants,
    defaultServiceUrl: config.serviceUrl,
    retry: { ...DEFAULT_RETRY, baseMs: config.retryBaseMs },
    log: d.log,
  });
  return { messenger, store, hosted };
}

