// The HTTP API for source systems (the HR system, revenues, a data warehouse): POST /api/v1/values,
// GET /api/v1/indicators[/<slug or ref>], and its OpenAPI 3.1 description at /api/openapi.json
// (./openapi.json, kept in the repository and checked against these routes by the tests). Not a chat
// platform: it mounts routes on the one HTTP server beside /readyz and /metrics. Here only the edge:
// the token (Authorization: Bearer, stored hashed: src/services/api-tokens.ts), the per-token rate
// limit, the body's size and shape (zod), the Idempotency-Key (kept in the database, so a retry on
// another replica gets the first answer), JSON in and out. What a value means and whether it may be
// saved is the chat submit's one check (commands/api-values.ts, handed in as `handlers`).
import { z } from 'zod';
import type { ApiTokenRecord, Repository } from '../ports.ts';
import type { Logger } from '../log.ts';
import { sha256, tokenFor } from '../services/api-tokens.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { HttpResponse, HttpServer } from './server.ts';
import description from './openapi.json' with { type: 'json' };

/** The OpenAPI description served at /api/openapi.json. */
export const OPENAPI = description;

/** Largest POST body: a quarter's values for a few hundred indicators fits many times over. */
export const API_BODY_LIMIT = 256 * 1024;
/** Most values in one POST. */
export const API_BATCH_LIMIT = 500;
/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_HOURS = 24;

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What the API does once a request is authenticated and well formed (commands/api-values.ts). */
export interface ApiHandlers {
  postValue(token: ApiTokenRecord, v: PostedValue): Promise<ApiAnswer>;
  listIndicators(token: ApiTokenRecord): Promise<ApiAnswer>;
  showIndicator(token: ApiTokenRecord, query: string): Promise<ApiAnswer>;
}

const valueSchema = z
  .object({
    indicator: z.string().trim().min(1).max(200),
    period: z.string().trim().min(1).max(60),
    value: z.number().finite(),
    note: z.string().max(2000).nullable().optional(),
    estimated: z.boolean().optional(),
    provisional: z.boolean().optional(),
    reason: z.string().max(500).nullable().optional(),
    acceptUnusual: z.boolean().optional(),
  })
  .strict();
export type PostedValue = z.infer<typeof valueSchema>;
const batchSchema = z.object({ values: z.array(valueSchema).min(1).max(API_BATCH_LIMIT) }).strict();

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });
const problem = (status: number, error: string, message: string, more: Record<string, unknown> = {}, headers: Record<string, string> = {}) => json(status, { error, message, ...more }, headers);

/**
 * Requests per token per minute, on this process: a bucket of `perMinute` that refills evenly. A
 * source system that sends its quarter in one batch never meets it; a loop gone wrong does, and gets
 * 429 with the seconds to wait.
 */
export class RateLimiter {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** 0 when the request may go ahead, else the whole seconds to wait. */
  take(tokenId: number): number {
    const now = this.nowMs();
    const b = this.buckets.get(tokenId) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
    b.at = now;
    this.buckets.set(tokenId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60_000) / this.perMinute / 1000));
  }
}

export interface ApiOptions {
  repo: Repository;
  handlers: ApiHandlers;
  log: Logger;
  /** Idempotency-Keys' times (the app's clock). */
  now: () => Date;
  requestsPerMinute: number;
  /** The rate limiter's clock, in ms (tests move it). */
  nowMs?: () => number;
}

export function mountApi(http: HttpServer, o: ApiOptions): void {
  const limiter = new RateLimiter(o.requestsPerMinute, o.nowMs);

  /** The token, or the answer that refuses the request (401, 429). */
  async function authenticate(authorization: string | undefined): Promise<ApiTokenRecord | HttpResponse> {
    const t = await tokenFor(o.repo, authorization);
    const bearer = { 'www-authenticate': 'Bearer realm="kpi-bot"' };
    if (t === 'missing') return problem(401, 'unauthorized', 'Send the API token as "Authorization: Bearer <token>". A performance admin makes one with kpi api-token create.', {}, bearer);
    if (t === 'unknown') return problem(401, 'unauthorized', 'That API token is not known (mistyped, or made on another installation). A performance admin can list the tokens with kpi api-token list.', {}, bearer);
    if (t === 'revoked') return problem(401, 'unauthorized', 'That API token has been revoked. A performance admin can make a new one with kpi api-token create.', {}, bearer);
    const wait = limiter.take(t.id);
    if (wait) return problem(429, 'rate-limited', `Too many requests for the token ${t.name}: at most ${o.requestsPerMinute} a minute. Try again in ${wait} s, or send values in a batch ({"values": [...]}).`, { retryAfterSeconds: wait }, { 'retry-after': String(wait) });
    return t;
  }

  /** Run a handler; the database not answering is 503 with Retry-After, not a 500. */
  async function guarded(reply: (r: HttpResponse) => void, fn: () => Promise<HttpResponse>): Promise<void> {
    try {
      reply(await fn());
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      o.log.warn({ err: (e as Error).message }, 'api: the database did not answer');
      // It may have stopped after a value was saved: a retry then finds it "already saved", never a second version.
      reply(problem(503, 'unavailable', 'The database is not answering just now. Send the request again in a minute, with the same Idempotency-Key: a value it saved before it stopped is then answered as already saved, never saved twice.', {}, { 'retry-after': '30' }));
    }
  }

  http.route('GET', '/api/openapi.json', async (_req, reply) => reply(json(200, OPENAPI, { 'cache-control': 'public, max-age=300' })));

  http.route('GET', '/api/v1/indicators', async (req, reply) =>
    guarded(reply, async () => {
      const t = await authenticate(req.headers.authorization);
      if (!('id' in t)) return t;
      const a = await o.handlers.listIndicators(t);
      return json(a.status, a.body);
    }),
  );

  http.routePrefix('GET', '/api/v1/indicators/', async (req, reply) =>
    guarded(reply, async () => {
      const t = await authenticate(req.headers.authorization);
      if (!('id' in t)) return t;
      let query: string;
      try {
        query = decodeURIComponent(req.path.slice('/api/v1/indicators/'.length));
      } catch {
        return problem(400, 'bad-request', 'The indicator in the path is not valid URL encoding.');
      }
      const a = await o.handlers.showIndicator(t, query);
      return json(a.status, a.body);
    }),
  );

  http.route(
    'POST',
    '/api/v1/values',
    async (req, reply) =>
      guarded(reply, async () => {
        const t = await authenticate(req.headers.authorization);
        if (!('id' in t)) return t;
        let parsed: unknown;
        try {
          parsed = JSON.parse(req.rawBody);
        } catch {
          return problem(400, 'bad-json', 'The body is not JSON. Send {"indicator": "sickness-absence", "period": "2017/18 Q3", "value": 8.4}, or {"values": [ … ]}.');
        }
        const one = valueSchema.safeParse(parsed);
        const many = one.success ? null : batchSchema.safeParse(parsed);
        if (!one.success && !many?.success) {
          // Said for the shape the body looks like it meant: a batch when it has "values".
          const issues = (parsed !== null && typeof parsed === 'object' && 'values' in parsed ? many!.error! : one.error).issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          return problem(422, 'invalid-body', `The body is not a value or a batch of values: ${issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; ')}.`, { issues });
        }
        const key = req.headers['idempotency-key'];
        const idemKey = Array.isArray(key) ? key[0] : key;
        if (idemKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idemKey)) return problem(400, 'bad-idempotency-key', 'An Idempotency-Key is 1–200 visible ASCII characters, e.g. a UUID.');
        const run = async (): Promise<{ status: number; body: unknown }> => {
          if (one.success) return o.handlers.postValue(t, one.data);
          const results: Record<string, unknown>[] = [];
          for (const [index, v] of many!.data!.values.entries()) {
            const a = await o.handlers.postValue(t, v);
            // The answer this value alone would have had: its HTTP status beside its body (whose `status` is the RAG status).
            results.push({ index, httpStatus: a.status, ...a.body });
          }
          const count = (f: (s: number) => boolean) => results.filter((r) => f(r.httpStatus as number)).length;
          return { status: 200, body: { saved: count((s) => s === 201), alreadySaved: count((s) => s === 200), refused: count((s) => s >= 400), results } };
        };
        if (idemKey === undefined) {
          const a = await run();
          return json(a.status, a.body);
        }
        const hash = sha256(JSON.stringify(parsed));
        const at = o.now();
        const claim = await o.repo.api.claimIdempotencyKey(t.id, idemKey, hash, at, new Date(at.getTime() + IDEMPOTENCY_HOURS * 3600_000));
        if (claim.kind !== 'claimed' && claim.requestHash !== hash) {
          return problem(422, 'idempotency-key-reused', `The Idempotency-Key ${idemKey} was used with a different body in the last ${IDEMPOTENCY_HOURS} hours. Use a new key for a new request; nothing was saved.`);
        }
        if (claim.kind === 'under-way') return problem(409, 'idempotency-key-in-use', `A request with the Idempotency-Key ${idemKey} is still being answered. Try again in a moment for its answer.`, {}, { 'retry-after': '1' });
        if (claim.kind === 'answered') return json(claim.status, claim.response, { 'idempotent-replayed': 'true' });
        let a: { status: number; body: unknown };
        try {
          a = await run();
        } catch (e) {
          // Not answered: a retry with the key runs again (what was saved is then "already saved").
          await o.repo.api.releaseIdempotencyKey(t.id, idemKey).catch(() => undefined);
          throw e;
        }
        await o.repo.api.answerIdempotencyKey(t.id, idemKey, a.status, a.body);
        return json(a.status, a.body);
      }),
    { bodyLimit: API_BODY_LIMIT },
  );
}
