// Slack acknowledgement latency through real HTTP with signature verification: /kpi show and
// /kpi submit at 1 and 50 concurrent requests, against Slack's 3-second limit. The requests come from
// a load generator on its own thread (bench/load-client.ts), as Slack's would come from elsewhere.
// Then: the time until the answer reaches Slack, and the bot's peak memory under the 50-concurrency load.
import { openDatabase } from '../src/db/database.ts';
import { TestClock, withDemo } from '../test/support/app.ts';
import { linkDemoPeopleToSlack, SIGNING_SECRET, slackId, startSlackApp } from '../test/support/slack-app.ts';
import { signSlackRequest, slashCommandBody } from '../test/support/slack-signing.ts';
import { runLoad, type LoadRequest } from './load-client.ts';
import { peakRss, percentile, record, recordText } from './stats.ts';

const SLACK_LIMIT_MS = 3000;
const ofLimit = (ms: number) => `${(ms / SLACK_LIMIT_MS).toFixed(4)} of 3 s`;

export async function benchAck(): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
  await withDemo(db);
  await linkDemoPeopleToSlack(db);
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const s = await startSlackApp(db, clock);
  const background = s.app.slack!.background;
  const commands = {
    show: { user: slackId('Emma'), text: 'show sickness-absence' },
    submit: { user: slackId('Lucy'), text: 'submit sickness-absence 2017/18 Q3 10.4 est bench' },
  };
  let seq = 0;
  const signed = (c: { user: string; text: string }): LoadRequest => {
    const body = slashCommandBody({ text: c.text, user_id: c.user, response_url: s.fake.responseUrl(`bench-${++seq}`) });
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body, Math.floor(clock.now().getTime() / 1000)) } };
  };
  try {
    // Warm up: first requests load code paths, the chart renderer and the database caches.
    for (let i = 0; i < 5; i++) for (const c of Object.values(commands)) await s.slash(c.user, c.text);
    await background.idle();

    for (const [name, c] of Object.entries(commands)) {
      for (const concurrency of [1, 50]) {
        const total = concurrency === 1 ? 100 : 200;
        const requests = Array.from({ length: total }, () => signed(c));
        const { peak, result } = await peakRss(async () => {
          const r = await runLoad(s.url, requests, concurrency);
          // Peak memory includes the work done after the acknowledgements.
          await background.idle();
          return r;
        });
        const p50 = percentile(result.ms, 50);
        const p99 = percentile(result.ms, 99);
        record(`/kpi ${name} ack p50, ${concurrency} concurrent`, p50, ofLimit(p50));
        record(`/kpi ${name} ack p99, ${concurrency} concurrent`, p99, ofLimit(p99), `goal < 0.1; ${total} requests${result.failures ? `, ${result.failures} not 200` : ''}`);
        if (concurrency === 50) recordText(`peak RSS during /kpi ${name} at 50 concurrent`, `${(peak / 1024 / 1024).toFixed(0)} MB`, '—');
      }

      // Until the answer is in Slack, one request at a time: show posts to the channel and uploads its
      // chart; submit answers through the response_url.
      const answers: number[] = [];
      for (let i = 0; i < 30; i++) {
        s.fake.reset();
        const t0 = Date.now();
        const r = await s.slash(c.user, c.text);
        const id = r.responseUrl.split('/').pop();
        const answer = await (name === 'show'
          ? s.fake.waitFor('files.completeUploadExternal', () => true, 10_000)
          : s.fake.waitFor('response_url', (call) => call.args.responseId === id, 10_000));
        answers.push(answer.at - t0);
        await background.idle();
      }
      const what = name === 'show' ? 'message posted + chart uploaded' : 'answer on the response_url';
      record(`/kpi ${name} answered in Slack p50 (${what})`, percentile(answers, 50), ofLimit(percentile(answers, 50)), '30 requests, one at a time');
    }
  } finally {
    await s.stop();
    await db.close();
  }
}
