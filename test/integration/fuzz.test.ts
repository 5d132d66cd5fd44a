// Hostile and random input through the bot's real HTTP interface (signed, as Slack would send it):
// slash-command text, modal submissions with random field values and state, button presses with
// random values, type-ahead queries. Whatever arrives: never a 500, never an unexpected error in the
// log (the oracle for a crash the handlers swallowed), never a half-written row.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { connect } from 'node:net';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import { buttonPress, viewSubmission, TEAM } from '../support/slack-payloads.ts';
import { createLogger } from '../../src/log.ts';
import { runs } from '../support/depth.ts';

const PEOPLE = ['Gareth', 'Priya', 'Emma', 'Lucy', 'Nobody'].map(slackId);
const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 40);
/** Random signed bodies per database: a quarter of the full budget in `npm test`, all of it in `npm run test:deep` (test/support/depth.ts). */
const BODIES = runs(100, 400);
// Reproducible in CI; KPI_FUZZ_SEED=random (or a number) explores further while developing.
const SEED = process.env.KPI_FUZZ_SEED === 'random' ? Date.now() : Number(process.env.KPI_FUZZ_SEED ?? 20180205);
fc.configureGlobal({ seed: SEED, numRuns: RUNS });

/** Text people might type, and text nobody should. */
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    "'; DROP TABLE observation; --",
    '<script>alert(1)</script>',
    '<!channel> <@U123> *bold* `code`',
    '\u0000\u0007\u001b[31m',
    '9'.repeat(400),
    '-0',
    '1e309',
    'NaN',
    '0x1F',
    '  ',
    '2017/18 Q5',
    '2017/19 Q3',
    'Feb 30 2018',
    '..%2F..%2Fetc%2Fpasswd',
    '{"indicatorId":1,"periodKey":"2017/18 Q4"}',
    '{"__proto__":{"admin":true}}',
  ),
);
const words = fc.array(fc.oneof(hostile, fc.constantFrom('submit', 'show', 'list', 'mine', 'help', 'exception', 'report', 'close-quarter', 'import', 'md', 'xlsx', 'theme', 'street-cleanliness', 'sickness-absence', '2017/18', 'Q4', 'Q3', 'est', 'prov', '84.5', '101', '-3')), { maxLength: 8 }).map((w) => w.join(' '));
const actionIds = fc.constantFrom('show', 'open-submit', 'open-exception', 'snooze', 'approve-exception', 'return-exception', 'confirm-correction', 'confirm-close-quarter', 'cancel', 'no-such-action');
const formIds = fc.constantFrom('submit', 'exception', 'return-exception', 'confirm-correction', 'import', 'no-such-form');
const fieldIds = fc.constantFrom('indicator', 'period', 'value', 'note', 'flags', 'q0', 'q1', 'q2', 'draft', 'reason', 'comment', 'file');
const stateValue = fc.oneof(
  hostile.map((value) => ({ v: { type: 'plain_text_input', value } })),
  fc.oneof(hostile, fc.integer().map(String)).map((value) => ({ v: { type: 'external_select', selected_option: { value } } })),
  fc.array(hostile, { maxLength: 3 }).map((vs) => ({ v: { type: 'checkboxes', selected_options: vs.map((value) => ({ value })) } })),
  fc.constant({ v: { type: 'plain_text_input', value: null } }),
  fc.constant({}),
);
const formState = fc.oneof(hostile, fc.record({ indicatorId: fc.integer({ min: -5, max: 60 }), periodKey: hostile }).map((o) => JSON.stringify(o)), fc.json());

describe.each(backends('both'))('hostile input on %s', (backend) => {
  let db: TestDatabase;
  let s: SlackHarness;
  const problems: string[] = [];
  /** Warning-level messages, in order. */
  const warnings: string[] = [];
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));

  /** Error-level log lines are bugs: a user error is answered, never logged as an error. */
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        if (entry.level >= 50) problems.push(line.slice(0, 2000));
        else if (entry.level === 40) warnings.push(entry.msg);
      }
      done();
    },
  });

  async function settle() {
    await s.app.idle();
  }

  /** Every value's versions run 1..n with exactly one latest: nothing half-written. */
  async function expectConsistentObservations() {
    const rows = await db.prisma.$queryRawUnsafe<{ bad: bigint }[]>(`
      SELECT count(*) AS bad FROM (
        SELECT indicator_id, period_key FROM observation GROUP BY indicator_id, period_key
        HAVING count(*) FILTER (WHERE latest) <> 1 OR max(version) <> count(*)) g`);
    expect(Number(rows[0]!.bad)).toBe(0);
  }

  const app = useSlackDemo(backend, clock, { log: createLogger('warn', logSink) });
  beforeAll(() => {
    ({ db, s } = app);
  });

  it('slash commands with any text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PEOPLE), words, async (user, text) => {
        const r = await s.slash(user, text);
        expect(r.status).toBe(200);
        await settle();
      }),
    );
    await expectConsistentObservations();
    expect(problems).toEqual([]);
  }, 120_000);

  it('modal submissions with any fields and state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PEOPLE), formIds, fc.dictionary(fieldIds, stateValue, { maxKeys: 6 }), formState, async (user, formId, values, state) => {
        const r = await s.interact(viewSubmission(user, formId, values, state));
        expect(r.status).toBe(200);
        await settle();
      }),
    );
    await expectConsistentObservations();
    expect(problems).toEqual([]);
  }, 120_000);

  it('button presses with any value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PEOPLE), actionIds, formState, async (user, actionId, value) => {
        const r = await s.interact(buttonPress(user, actionId, value));
        expect(r.status).toBe(200);
        await settle();
      }),
    );
    await expectConsistentObservations();
    expect(problems).toEqual([]);
  }, 120_000);

  it('random signed payloads of every shape and size: a 4xx or a 200, never a 500, and memory stays bounded', async () => {
    const types = fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'block_suggestion', 'shortcut', 'message_action', 'event_callback', 'url_verification', 'interactive_message', 'dialog_submission');
    const anything = fc.anything({ maxDepth: 3, withNullPrototype: false, withBigInt: false, withDate: false, withTypedArray: false, withSparseArray: false });
    // Payloads that look like Slack's, with any field missing, of the wrong type, or hostile.
    const mostly = <T,>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: anything });
    const shaped = fc.record(
      {
        type: mostly(types),
        user: mostly(fc.record({ id: mostly(fc.constantFrom(...PEOPLE)) })),
        team: mostly(fc.record({ id: fc.constant(TEAM) })),
        actions: mostly(fc.array(fc.record({ action_id: mostly(actionIds.map((a) => `${a}:0`)), value: mostly(formState), type: fc.constant('button') }, { requiredKeys: ['action_id'] }), { maxLength: 3 })),
        view: mostly(
          fc.record(
            { id: mostly(fc.constant('V1')), type: fc.constant('modal'), callback_id: mostly(formIds), private_metadata: mostly(formState.map((st) => JSON.stringify({ s: st, c: 'C0PERF' }))), state: mostly(fc.record({ values: fc.dictionary(fieldIds, stateValue, { maxKeys: 4 }) })) },
            { requiredKeys: ['id', 'callback_id'] },
          ),
        ),
        event: mostly(fc.record({ type: mostly(fc.constantFrom('app_home_opened', 'message', 'app_mention')), user: mostly(fc.constantFrom(...PEOPLE)), tab: mostly(fc.constant('home')), channel: mostly(fc.constant('D0LUCY')), channel_type: mostly(fc.constant('im')), files: anything }, { requiredKeys: ['type'] })),
        container: anything,
        response_url: mostly(fc.constant('http://127.0.0.1:1/nowhere')),
        trigger_id: anything,
        block_id: mostly(fieldIds),
        action_id: anything,
        value: mostly(hostile),
        challenge: anything,
      },
      { requiredKeys: ['type'] },
    );
    const bodies = fc.oneof(
      { weight: 6, arbitrary: shaped.map((p) => `payload=${encodeURIComponent(JSON.stringify(p))}`) },
      { weight: 2, arbitrary: fc.json().map((j) => `payload=${encodeURIComponent(j)}`) },
      { weight: 1, arbitrary: shaped.map((p) => JSON.stringify(p)).map((b) => ({ b, json: true })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.record({ command: fc.oneof(fc.constant('/kpi'), anything), text: fc.oneof(words, anything), user_id: fc.oneof(fc.constantFrom(...PEOPLE), anything), response_url: anything }, { requiredKeys: [] }).map((f) => new URLSearchParams(Object.entries(f).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()) },
      // Large: a big valid-looking payload, a big field, a body over the limit.
      { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 3_000_000 }).map((n) => `payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: PEOPLE[0] }, view: { callback_id: 'submit', private_metadata: '{}', state: { values: { note: { v: { type: 'plain_text_input', value: 'x'.repeat(n) } } } } } }))}`) },
    );
    let peakRss = process.memoryUsage().rss;
    const startRss = peakRss;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const r = typeof body === 'string' ? await s.post(body) : await s.post(body.b, { contentType: 'application/json' });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status, typeof body === 'string' ? body.slice(0, 300) : body.b.slice(0, 300)).toBeLessThan(500);
        expect(r.text).not.toMatch(/at .*\.ts:\d+|Error:/);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        await settle();
      }),
      { numRuns: BODIES },
    );
    console.log(`fuzz: ${BODIES} random signed bodies on ${backend}: statuses ${JSON.stringify(Object.fromEntries(statuses))}; RSS ${Math.round(startRss / 1e6)} → peak ${Math.round(peakRss / 1e6)} MB`);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(peakRss - startRss).toBeLessThan(300e6);
    await expectConsistentObservations();
    expect(problems).toEqual([]);
  }, 300_000);

  it('a body over the limit gets a 413 and the connection is closed, so what is left of it is never read as a request', async () => {
    const { port } = new URL(s.url);
    for (const size of [2 * 1024 * 1024, 20 * 1024 * 1024]) {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('error', () => {});
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(`POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${size}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent < size && !socket.destroyed; sent += chunk.length) {
        if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 1));
      }
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.toLowerCase()).toContain('connection: close');
    }
    // The server still answers everyone else.
    expect((await s.slash(PEOPLE[0]!, 'help')).status).toBe(200);
  }, 60_000);

  it('a signed request no listener takes (a modal closed, another app\'s command) is answered once its listeners are done, not at Slack\'s 3-second deadline', async () => {
    const before = warnings.length;
    const closed = await s.interact({ type: 'view_closed', user: { id: PEOPLE[0] }, team: { id: TEAM }, api_app_id: 'A0KPI', view: { id: 'V1', type: 'modal', callback_id: 'submit' } });
    const other = await s.post(new URLSearchParams({ command: '/weather', text: 'today', user_id: PEOPLE[0]!, team_id: TEAM }).toString());
    expect([closed.status, other.status]).toEqual([200, 200]);
    expect(warnings.slice(before)).toEqual(['slack request taken by no listener: answered empty', 'slack request taken by no listener: answered empty']);
  });

  it('type-ahead queries, and payloads that are not what Slack sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PEOPLE), hostile, async (user, query) => {
        const r = await s.interact({ type: 'block_suggestion', user: { id: user }, team: { id: TEAM }, api_app_id: 'A0KPI', action_id: 'v', block_id: 'indicator', value: query, view: { id: 'V1', type: 'modal', callback_id: 'submit' } });
        expect(r.status).toBe(200);
        expect(Array.isArray((r.json as { options: unknown[] }).options)).toBe(true);
      }),
    );
    // Signed, but not a shape Slack sends: a clear 4xx or a quiet 200, never a 500.
    const odd = [
      'payload=%7Bnot%20json',
      'payload=' + encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: PEOPLE[0] }, view: { callback_id: 'submit', private_metadata: '{not json', state: { values: {} } } })),
      'payload=' + encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: PEOPLE[0] }, view: { callback_id: 'submit', private_metadata: '[]', state: { values: { period: 'x' } } } })),
      'payload=' + encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: PEOPLE[0] }, actions: [] })),
      'payload=' + encodeURIComponent(JSON.stringify({ type: 'something_new' })),
      'command=%2Fkpi',
      '',
    ];
    for (const body of odd) {
      const r = await s.post(body);
      expect(r.status, body).toBeLessThan(500);
    }
    const json = await s.post('{"type":"event_callback","event":{"type":"app_home_opened"}}', { contentType: 'application/json' });
    expect(json.status).toBeLessThan(500);
    await settle();
    expect(problems).toEqual([]);
  }, 120_000);
});
