// The HTTP API for source systems end to end: real HTTP to the app (Slack configured, so its one HTTP
// server is up), a real database, tokens made with the admin CLI. A source system posts a quarter of
// values; they are in /kpi show, in /kpi history as given by "API: hr-system" and in the next
// evaluation; a retried POST saves once; an outlier gets chat's question as JSON; out of scope is 403,
// revoked 401, a signed-off quarter 409; the rate limit answers 429 with Retry-After. Every answer is
// checked against the OpenAPI description's schema for it, and the description against the routes.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import { runKpi } from '../support/cli.ts';
import { OPENAPI } from '../../src/http/api.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const LUCY = slackId('Lucy'); // owner of sickness-absence
const PRIYA = slackId('Priya'); // performance admin

type Spec = typeof OPENAPI & { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>> };
const spec = OPENAPI as Spec;

/** The schema the description gives for a response of `path` `method` `status`, compiled once (its refs resolved in the description). */
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(OPENAPI, 'openapi');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
function responseSchema(path: string, method: string, status: number) {
  const r = spec.paths[path]?.[method]?.responses[String(status)];
  if (!r) throw new Error(`the description has no ${status} for ${method.toUpperCase()} ${path}`);
  const at = r.$ref ? `${r.$ref.slice(1)}` : `/${pointer('paths', path, method, 'responses', String(status))}`;
  const resolved = r.$ref ? (spec as unknown as { components: { responses: Record<string, typeof r> } }).components.responses[r.$ref.split('/').at(-1)!]! : r;
  if (!resolved.content?.['application/json']) return null;
  return ajv.compile({ $ref: `openapi#${at}/content/${pointer('application/json')}/schema` });
}

describe.each(backends('pglite'))('the values API on %s', (backend) => {
  // After 2017/18 Q4 has ended: its values are due.
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  const app = useSlackDemo(backend, clock, { env: { KPI_API_REQUESTS_PER_MINUTE: '40' } });
  let db: TestDatabase;
  let s: SlackHarness;
  let base: string;
  let hr: string;
  beforeAll(async () => {
    ({ db, s } = app);
    base = `http://127.0.0.1:${s.app.port}`;
    const made = await runKpi(db, ['api-token', 'create', 'hr-system', '--indicators', 'sickness-absence,street-cleanliness,highway-inspections']);
    expect(made.code).toBe(0);
    hr = /\b(kpi_[0-9a-f]{48})\b/.exec(made.stdout)![1]!;
    // The statuses as they were before the source system posted (the baseline the next evaluation compares with).
    await s.app.runner.run('evaluate-statuses', clock.now());
  });

  /** A request with a token; the answer checked against the description's schema for it. */
  async function call(method: 'GET' | 'POST', path: string, o: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string>; specPath?: string } = {}) {
    const token = o.token === undefined ? hr : o.token;
    const res = await fetch(base + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(o.body !== undefined || o.raw ? { 'content-type': 'application/json' } : {}), ...o.headers },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : o.raw ? { body: o.raw } : {}),
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : null;
    const validate = responseSchema(o.specPath ?? path, method.toLowerCase(), res.status);
    if (validate && !validate(json)) throw new Error(`${method} ${path} ${res.status} does not match the description: ${ajv.errorsText(validate.errors)}\n${text}`);
    return { status: res.status, json: json ?? {}, headers: res.headers };
  }

  const quarter = {
    values: [
      { indicator: 'sickness-absence', period: '2017/18 Q4', value: 9.8, note: 'from the payroll extract' },
      { indicator: 'street-cleanliness', period: 'Q4 2017/18', value: 86.1, provisional: true },
      { indicator: 'highway-inspections', period: '2017/18 Q4', value: 97.2 },
    ],
  };

  it('takes a quarter of values in one batch, saves each once even when retried, and says each period in full', async () => {
    const first = await call('POST', '/api/v1/values', { body: quarter, headers: { 'idempotency-key': 'hr-2017-18-q4' } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ saved: 3, alreadySaved: 0, refused: 0 });
    const results = first.json.results as Record<string, unknown>[];
    expect(results.map((r) => [r.indicator, r.httpStatus, (r.period as { inFull: string }).inFull])).toEqual([
      ['sickness-absence', 201, '2017/18 Q4 (Jan–Mar 2018)'],
      ['street-cleanliness', 201, '2017/18 Q4 (Jan–Mar 2018)'],
      ['highway-inspections', 201, '2017/18 Q4 (Jan–Mar 2018)'],
    ]);
    expect(results[0]).toMatchObject({ result: 'saved', value: 9.8, version: 1, status: 'red' });
    // The retry (the network dropped the answer): the first answer again, nothing saved twice.
    const retry = await call('POST', '/api/v1/values', { body: quarter, headers: { 'idempotency-key': 'hr-2017-18-q4' } });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    const saved = await db.prisma.observation.findMany({ where: { periodKey: '2017/18 Q4', source: 'api' } });
    expect(saved).toHaveLength(3);
    expect(new Set(saved.map((o) => o.submittedByLabel))).toEqual(new Set(['api:hr-system']));
    // The same key with another body is refused, saving nothing.
    const reused = await call('POST', '/api/v1/values', { body: { values: [{ ...quarter.values[0]!, value: 9.9 }] }, headers: { 'idempotency-key': 'hr-2017-18-q4' } });
    expect(reused).toMatchObject({ status: 422, json: { error: 'idempotency-key-reused' } });
    // Without a key, the same value again is "already saved", not a second version.
    const again = await call('POST', '/api/v1/values', { body: quarter.values[0] });
    expect(again).toMatchObject({ status: 200, json: { result: 'already-saved', version: 1 } });
    expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', source: 'api' } })).toBe(3);
  });

  it('shows the values in /kpi show and /kpi history, as given by "API: hr-system", and the next evaluation judges them', async () => {
    await s.slash(LUCY, 'show sickness-absence');
    const shown = JSON.stringify((await s.fake.waitFor('chat.postMessage')).args);
    expect(shown).toContain('9.8 days');
    expect(shown).toContain('2017/18 Q4');
    s.fake.reset();
    await s.slash(LUCY, 'history sickness-absence');
    const history = JSON.stringify((await s.fake.waitFor('response_url')).args);
    expect(history).toContain('API: hr-system');
    const r = await s.app.runner.run('evaluate-statuses', clock.now());
    expect(r.outcome).toBe('ok');
    const ids = (await db.prisma.indicator.findMany({ where: { slug: { in: ['sickness-absence', 'street-cleanliness', 'highway-inspections'] } }, select: { id: true } })).map((i) => i.id);
    const changes = await db.prisma.statusChange.findMany({ where: { indicatorId: { in: ids }, periodKey: '2017/18 Q4' } });
    expect(changes.length).toBeGreaterThan(0);
    // As GET /api/v1/indicators/<slug> reads them back.
    const one = await call('GET', '/api/v1/indicators/sickness-absence', { specPath: '/api/v1/indicators/{indicator}' });
    expect(one.status).toBe(200);
    expect((one.json.values as { period: { key: string }; given: string }[]).at(-1)).toMatchObject({ period: { key: '2017/18 Q4' }, given: expect.stringMatching(/^API: hr-system, 20 Apr 2018, 10:00/) });
  });

  it('asks about an outlier as chat does, in JSON, and saves it only when told to', async () => {
    const ask = await call('POST', '/api/v1/values', { body: { indicator: 'sickness-absence', period: '2017/18 Q4', value: 98 } });
    expect(ask.status).toBe(422);
    expect(ask.json).toMatchObject({ error: 'unusual-value', indicator: 'sickness-absence', value: 98, period: { key: '2017/18 Q4', inFull: '2017/18 Q4 (Jan–Mar 2018)' } });
    expect(String(ask.json.question)).toMatch(/^98 days is .* Save 98 days anyway, or change it\?$/);
    // The same question, word for word, as /kpi submit asks it in chat.
    await s.slash(LUCY, 'submit sickness-absence 2017/18 Q4 98');
    const chat = JSON.stringify((await s.fake.waitFor('response_url')).args);
    expect(chat).toContain(JSON.stringify(String(ask.json.question)).slice(1, -1));
    expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'sickness-absence' } } })).toBe(1);
  });

  it('refuses an indicator out of scope (403), a revoked or unknown token (401), a signed-off quarter (409) and bad bodies, saving nothing', async () => {
    const out = await call('POST', '/api/v1/values', { body: { indicator: 'council-tax-collected', period: '2017/18 Q4', value: 97.1 } });
    expect(out).toMatchObject({ status: 403, json: { error: 'out-of-scope', indicator: 'council-tax-collected' } });
    expect(String(out.json.message)).toContain('The token hr-system may not write council-tax-collected');
    expect((await call('GET', '/api/v1/indicators', { token: null })).status).toBe(401);
    expect((await call('GET', '/api/v1/indicators', { token: 'kpi_not-a-token' })).json).toMatchObject({ error: 'unauthorized' });
    // Q3 signed off: a value for it is a conflict with the register, said as chat says it.
    const q3 = periodFromKey('2017/18 Q3');
    const priya = await db.prisma.person.findFirstOrThrow({ where: { role: 'admin' } });
    await s.app.deps.repo.closePeriod({ periodKey: q3.key, periodStart: q3.start, periodEnd: q3.end, closedById: priya.id, actorLabel: `slack:${PRIYA}`, at: clock.now() });
    const locked = await call('POST', '/api/v1/values', { body: { indicator: 'sickness-absence', period: '2017/18 Q3', value: 10.2, reason: 'late returns' } });
    expect(locked).toMatchObject({ status: 409, json: { error: 'signed-off' } });
    expect(String(locked.json.message)).toContain('2017/18 Q3 was signed off on 20 Apr 2018');
    expect((await call('POST', '/api/v1/values', { raw: '{"indicator": ' })).json).toMatchObject({ error: 'bad-json' });
    const bad = await call('POST', '/api/v1/values', { body: { indicator: 'sickness-absence', period: '2017/18 Q4', value: '9.8' } });
    expect(bad).toMatchObject({ status: 422, json: { error: 'invalid-body', issues: [{ path: 'value' }] } });
    const big = await fetch(`${base}/api/v1/values`, { method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'application/json' }, body: JSON.stringify({ values: Array.from({ length: 3000 }, () => quarter.values[0]) }) });
    expect(big.status).toBe(413);
    // Revoked with the CLI: refused from then on.
    expect((await runKpi(db, ['api-token', 'revoke', 'hr-system'])).code).toBe(0);
    const revoked = await call('POST', '/api/v1/values', { body: quarter.values[0] });
    expect(revoked).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
    expect(String(revoked.json.message)).toContain('revoked');
    expect(await db.prisma.observation.count({ where: { source: 'api' } })).toBe(3);
  });

  it('limits each token’s requests a minute, with Retry-After', async () => {
    const made = await runKpi(db, ['api-token', 'create', 'warehouse', '--theme', 'housing-growth']);
    const token = /\b(kpi_[0-9a-f]{48})\b/.exec(made.stdout)![1]!;
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | null = null;
    for (let i = 0; i < 41; i++) {
      last = await call('GET', '/api/v1/indicators', { token });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 40).every((x) => x === 200)).toBe(true);
    expect(last).toMatchObject({ status: 429, json: { error: 'rate-limited' } });
    const wait = Number(last!.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    // Another token is not held up; after the wait this one is served again.
    const other = /\b(kpi_[0-9a-f]{48})\b/.exec((await runKpi(db, ['api-token', 'create', 'revenues', '--indicators', 'council-tax-collected'])).stdout)![1]!;
    expect((await call('GET', '/api/v1/indicators', { token: other })).status).toBe(200);
    clock.advance(wait * 1000);
    expect((await call('GET', '/api/v1/indicators', { token })).status).toBe(200);
  });

  it('writes the secret to --out, readable by its owner only, keeps a file already there, and lists tokens without their secrets', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kpi-api-token-'));
    try {
      const made = await runKpi(db, ['api-token', 'create', 'revenues-system', '--indicators', 'council-tax-collected', '--out', `${dir}/`]);
      expect(made.code).toBe(0);
      const file = path.join(dir, 'revenues-system.token');
      expect(made.stdout).toContain(`The secret is in ${file}, readable by its owner only`);
      const secret = readFileSync(file, 'utf8').trim();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(made.stdout).not.toContain(secret);
      expect((await call('GET', '/api/v1/indicators', { token: secret })).status).toBe(200);
      // The file is kept: nothing made.
      const again = await runKpi(db, ['api-token', 'create', 'other-system', '--theme', 'housing-growth', '--out', file]);
      expect(again.code).toBe(1);
      expect(again.stderr + again.stdout).toContain('already exists: it was kept');
      const list = await runKpi(db, ['api-token', 'list']);
      expect(list.stdout).toContain(`revenues-system (${secret.slice(0, 12)}…) — writes council-tax-collected`);
      expect(list.stdout).not.toContain('other-system');
      expect(list.stdout).not.toMatch(/kpi_[0-9a-f]{48}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a token in Slack for an admin, the secret said only to them (ephemeral), never posted in the channel', async () => {
    s.fake.reset();
    await s.slash(PRIYA, 'api-token create chat-made --indicators recycling-rate', { channel: 'C0PERF' });
    const answer = await s.fake.waitFor('response_url');
    const secret = /\b(kpi_[0-9a-f]{48})\b/.exec(JSON.stringify(answer.args))?.[1];
    expect(secret).toBeDefined();
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    await s.app.idle();
    expect(s.fake.calls.filter((c) => c.method !== 'response_url' && JSON.stringify(c.args).includes(secret!))).toEqual([]);
    expect((await call('GET', '/api/v1/indicators', { token: secret })).status).toBe(200);
    // Not an admin: refused, nothing made.
    s.fake.reset();
    await s.slash(LUCY, 'api-token create mine --indicators sickness-absence');
    expect(JSON.stringify((await s.fake.waitFor('response_url')).args)).toContain('only performance admins can make, list or revoke API tokens');
    expect(await db.prisma.apiToken.count({ where: { name: 'mine' } })).toBe(0);
  });

  it('answers random and hostile bodies with a refusal that says why, never a 500, always as the description says', async () => {
    const token = /\b(kpi_[0-9a-f]{48})\b/.exec((await runKpi(db, ['api-token', 'create', 'fuzz-system', '--theme', 'housing-growth'])).stdout)![1]!;
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('council-tax-collected', 'sickness-absence', '2017/18 Q4', 'Q4', 'Dec 2017', '2017/18', 'last quarter', '<!channel>', '=1+1', '\u202e', ''));
    const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -1, 1e21, 97.1, 86.28));
    const value = fc.record({ indicator: text, period: text, value: number, note: fc.option(text), estimated: fc.boolean(), acceptUnusual: fc.boolean() }, { requiredKeys: [] });
    const body = fc.oneof(value, fc.record({ values: fc.array(value, { maxLength: 4 }) }), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        clock.advance(2000);
        const r = await call('POST', '/api/v1/values', { token, body: b });
        expect([200, 201, 403, 409, 422]).toContain(r.status);
        if (r.status >= 400) expect(typeof r.json.message).toBe('string');
      }),
      { seed: 20180420, numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 40) },
    );
  });

  it('serves its OpenAPI 3.1 description, which is valid and names exactly the routes the server answers', async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served).toEqual(OPENAPI);
    const v = new Validator();
    const verdict = await v.validate(served as Record<string, unknown>);
    expect(verdict.errors ?? []).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(v.version).toBe('3.1');
    // Every path and method described is mounted, and every API route mounted is described.
    const described = Object.entries(spec.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p.replace(/\{[^}]+\}$/, '*')}`));
    const mounted = s.app.routes.filter((r) => r.split(' ')[1]!.startsWith('/api/')).map((r) => r.replace(/\/\*$/, '/*'));
    expect(new Set(mounted)).toEqual(new Set(described.map((d) => d.replace(/\/\*$/, '/*'))));
    // And each answers (not 404 or 405) over HTTP.
    for (const d of described) {
      const [method, p] = d.split(' ') as [string, string];
      const r = await fetch(base + p.replace('*', 'sickness-absence'), { method, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
      expect([404, 405], d).not.toContain(r.status);
    }
  });
});
