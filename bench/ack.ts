// Acknowledgement latency, Slack and Teams, through real HTTP with signature / JWT checks, against
// the bare libraries measured in the same run: a bare Bolt app and a bare Teams SDK app that only
// acknowledge, with the bot's receiver settings (bench/servers). The bot and each floor run in
// processes of their own; the requests come from one load generator on its own thread
// (bench/load-client.ts), as Slack's and Bot Framework's come from elsewhere; the fake Slack and
// the fake Bot Connector answer from the bench's process. Each floor is measured just before the
// bot, at the same concurrency, so each ratio compares like with like. With `busy`, a CPU-burning
// process per core runs throughout (bench/busy.ts), floors included.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { SIGNING_SECRET, slackId } from '../test/support/slack-app.ts';
import { signSlackRequest, slashCommandBody } from '../test/support/slack-signing.ts';
import { personalChat, startTeamsFakes, TeamsClient, type Where } from '../test/support/teams-app.ts';
import { runLoad, type LoadRequest, type LoadResult } from './load-client.ts';
import { startServer, type BenchServer } from './servers/control.ts';
import { startBusyNeighbour, type BusyNeighbour } from './busy.ts';
import { percentile, record, recordText } from './stats.ts';

const NOW = '2018-02-05T09:00:00Z';
const SLACK_LIMIT_MS = 3000;
const BOT_FRAMEWORK_LIMIT_MS = 15_000;
const GOAL = 3;

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const requestsFor = (concurrency: number) => (concurrency === 1 ? 100 : 200);

export interface AckOptions {
  busy: boolean;
}

/** The rows for one command at one concurrency: p50 and p99 against the floor and the platform's limit, and the bot's peak memory. */
function report(what: string, floorName: string, bot: LoadResult, floor: LoadResult, concurrency: number, limitMs: number, memory: BotMemory, suffix: string): void {
  const limit = limitMs === SLACK_LIMIT_MS ? '3 s' : '15 s';
  for (const p of [50, 99]) {
    const b = percentile(bot.ms, p);
    const f = percentile(floor.ms, p);
    const failures = bot.failures ? `, ${bot.failures} not 200` : '';
    record(
      `${what} ack p${p}, ${concurrency} concurrent${suffix}`,
      b,
      `${(b / f).toFixed(1)}× ${floorName} (${ms(f)}); ${(b / limitMs).toFixed(3)} of ${limit}`,
      p === 99 ? `goal ≤ ${GOAL}× ${floorName}; ${bot.ms.length} requests${failures}` : '',
    );
  }
  if (concurrency === 50) recordText(`peak RSS of the bot during ${what} at 50 concurrent${suffix}`, `${memory.peakMb.toFixed(0)} MB`, `${(memory.peakMb / 600).toFixed(2)} of 600 MB`, `goal ≤ 1; PGlite in process; main thread's JS heap after it ${memory.heapMb.toFixed(0)} MB`);
}

interface BotMemory {
  /** Peak RSS of the bot's process over the load and the work after it. */
  peakMb: number;
  /** The main thread's JavaScript heap once the work is done. */
  heapMb: number;
}

/** Load the bot, with its memory over the load and the work after it. */
async function loadBot(bot: BenchServer, url: string, requests: LoadRequest[], concurrency: number): Promise<{ result: LoadResult; memory: BotMemory }> {
  bot.resetPeak();
  const result = await runLoad(url, requests, concurrency);
  await bot.call('idle');
  const { heapUsed } = await bot.call<NodeJS.MemoryUsage>('memory');
  return { result, memory: { peakMb: bot.peakRssMb(), heapMb: heapUsed / 1024 ** 2 } };
}

async function withNeighbour<T>(busy: boolean, fn: (suffix: string) => Promise<T>): Promise<T> {
  let neighbour: BusyNeighbour | null = null;
  if (busy) neighbour = startBusyNeighbour();
  try {
    return await fn(neighbour ? `, busy neighbour (${neighbour.processes} CPU-bound processes)` : '');
  } finally {
    await neighbour?.stop();
  }
}

export async function benchAck(o: AckOptions): Promise<void> {
  const fake = await FakeSlack.start();
  const env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_BOT_USER_ID: 'UBOT', SLACK_BOT_ID: 'BBOT' };
  const [bot, bare] = await Promise.all([startServer('./bot.ts', { platform: 'slack', env, now: NOW }), startServer('./bare-bolt.ts', { signingSecret: SIGNING_SECRET })]);
  const botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
  const bareUrl = `http://127.0.0.1:${bare.port}/slack/events`;
  const commands = {
    show: { user: slackId('Emma'), text: 'show sickness-absence' },
    submit: { user: slackId('Lucy'), text: 'submit sickness-absence 2017/18 Q3 10.4 est bench' },
  };
  let seq = 0;
  // The bot checks signatures against its clock (the demo's date); bare Bolt against the real one.
  const signed = (c: { user: string; text: string }, at: number): LoadRequest => {
    const body = slashCommandBody({ text: c.text, user_id: c.user, response_url: fake.responseUrl(`bench-${++seq}`) });
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body, Math.floor(at / 1000)) } };
  };
  const botTime = Date.parse(NOW);
  const post = (r: LoadRequest) => fetch(botUrl, { method: 'POST', headers: r.headers, body: r.body }).then((res) => res.text());
  try {
    // Warm up: code paths, the chart thread, the database's caches; and the floor's.
    for (let i = 0; i < 5; i++) for (const c of Object.values(commands)) await post(signed(c, botTime));
    await bot.call('idle');
    await runLoad(bareUrl, Array.from({ length: 50 }, () => signed(commands.show, Date.now())), 10);

    await withNeighbour(o.busy, async (suffix) => {
      for (const [name, c] of Object.entries(commands)) {
        for (const concurrency of [1, 50]) {
          const n = requestsFor(concurrency);
          const floor = await runLoad(bareUrl, Array.from({ length: n }, () => signed(c, Date.now())), concurrency);
          const { result, memory } = await loadBot(bot, botUrl, Array.from({ length: n }, () => signed(c, botTime)), concurrency);
          report(`/kpi ${name}`, 'bare Bolt', result, floor, concurrency, SLACK_LIMIT_MS, memory, suffix);
        }
        // Until the answer is in Slack, one request at a time: show posts to the channel and uploads
        // its chart; submit answers through the response_url.
        const answers: number[] = [];
        for (let i = 0; i < 30; i++) {
          fake.reset();
          const r = signed(c, botTime);
          const id = new URLSearchParams(r.body).get('response_url')!.split('/').pop();
          const t0 = Date.now();
          await post(r);
          const answer = await (name === 'show'
            ? fake.waitFor('files.completeUploadExternal', () => true, 10_000)
            : fake.waitFor('response_url', (call) => call.args.responseId === id, 10_000));
          answers.push(answer.at - t0);
          await bot.call('idle');
        }
        const what = name === 'show' ? 'message posted + chart uploaded' : 'answer on the response_url';
        const p50 = percentile(answers, 50);
        record(`/kpi ${name} answered in Slack p50 (${what})${suffix}`, p50, `${(p50 / SLACK_LIMIT_MS).toFixed(3)} of 3 s`, '30 requests, one at a time');
      }
    });
  } finally {
    await Promise.all([bot.stop(), bare.stop()]);
    await fake.stop();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function benchTeams(o: AckOptions): Promise<void> {
  const fakes = await startTeamsFakes();
  const port = await freePort();
  const [bot, bare] = await Promise.all([startServer('./bot.ts', { platform: 'teams', env: fakes.env, now: NOW }), startServer('./bare-teams.ts', { env: fakes.env, port })]);
  const client = new TeamsClient(`http://127.0.0.1:${bot.port}/api/messages`, fakes);
  const bareClient = new TeamsClient(`http://127.0.0.1:${bare.port}/api/messages`, fakes);
  // Bot Framework sends the same token on every request until it expires.
  const token = fakes.issuer.botToken(fakes.connector.serviceUrl);
  const activity = (on: TeamsClient, c: { who: string; text: string; where: Where }): LoadRequest => ({
    body: JSON.stringify(on.messageActivity(c.who, c.text, c.where)),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  const commands = {
    show: { who: 'Emma Walsh', text: 'show sickness-absence', where: 'channel' as const },
    submit: { who: 'Lucy Chambers', text: 'submit sickness-absence 2017/18 Q3 10.4 est bench', where: 'personal' as const },
  };
  const ratio = (v: number) => `${(v / BOT_FRAMEWORK_LIMIT_MS).toFixed(4)} of 15 s`;
  try {
    for (let i = 0; i < 5; i++) for (const c of Object.values(commands)) await client.message(c.who, c.text, c.where);
    await bot.call('idle');
    await runLoad(bareClient.url, Array.from({ length: 50 }, () => activity(bareClient, commands.show)), 10);

    await withNeighbour(o.busy, async (suffix) => {
      for (const [name, c] of Object.entries(commands)) {
        for (const concurrency of [1, 50]) {
          const n = requestsFor(concurrency);
          const floor = await runLoad(bareClient.url, Array.from({ length: n }, () => activity(bareClient, c)), concurrency);
          const { result, memory } = await loadBot(bot, client.url, Array.from({ length: n }, () => activity(client, c)), concurrency);
          report(`Teams "${name}"`, 'bare Teams SDK', result, floor, concurrency, BOT_FRAMEWORK_LIMIT_MS, memory, suffix);
          fakes.connector.reset();
        }
        // Until the card is at the Bot Connector, one at a time.
        const answers: number[] = [];
        for (let i = 0; i < 30; i++) {
          fakes.connector.reset();
          const t0 = Date.now();
          await client.message(c.who, c.text, c.where);
          const answer = await fakes.connector.waitFor('send', () => true, 10_000);
          answers.push(answer.at - t0);
          await bot.call('idle');
        }
        const p50 = percentile(answers, 50);
        record(`Teams "${name}" answered (card at the Bot Connector${name === 'show' ? ', chart stored' : ''}) p50${suffix}`, p50, ratio(p50), '30 requests, one at a time');
      }

      // A form from its card with a wrong value: the answer is the form again, errors beside the fields.
      fakes.connector.reset();
      await client.message('Gareth Lloyd', 'submit');
      const sent = await fakes.connector.waitFor('send', (call) => call.conversationId === personalChat('Gareth'));
      const card = (sent.body.attachments as { content: { actions: { data: Record<string, unknown> }[] } }[])[0]!.content;
      const data = card.actions.find((a) => a.data.kpi === 'form')!.data;
      const indicatorId = await bot.call<number>('indicatorId', 'street-cleanliness');
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const r = await client.execute('Gareth Lloyd', { ...data, 'f:indicator': String(indicatorId), 'f:period': '2017/18 Q3', 'f:value': 'lots' });
        times.push(r.ms);
      }
      record(`Teams form submit with a wrong value: card with the error returned, p50${suffix}`, percentile(times, 50), ratio(percentile(times, 50)));
      record(`Teams form submit with a wrong value: card with the error returned, p99${suffix}`, percentile(times, 99), ratio(percentile(times, 99)), '100 requests, one at a time');
    });
  } finally {
    await Promise.all([bot.stop(), bare.stop()]);
    await fakes.stop();
  }
}
