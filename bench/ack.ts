// Slack acknowledgement latency through real HTTP with signature verification: /kpi show and
// /kpi submit at 1 and 50 concurrent requests, against Slack's 3-second limit; the time until the
// answer reaches Slack; and the bot's peak memory under the 50-concurrency load.
import { openDatabase } from '../src/db/database.ts';
import { TestClock, withDemo } from '../test/support/app.ts';
import { linkDemoPeopleToSlack, slackId, startSlackApp } from '../test/support/slack-app.ts';
import { peakRss, percentile, record, recordText } from './stats.ts';

const SLACK_LIMIT_MS = 3000;

export async function benchAck(): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
  await withDemo(db);
  await linkDemoPeopleToSlack(db);
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const s = await startSlackApp(db, clock);
  const commands = {
    show: { user: slackId('Emma'), text: 'show sickness-absence' },
    submit: { user: slackId('Lucy'), text: 'submit sickness-absence 2017/18 Q3 10.4 est bench' },
  };
  try {
    // Warm up: first requests load code paths, the chart renderer and the database caches.
    for (let i = 0; i < 5; i++) for (const c of Object.values(commands)) await s.slash(c.user, c.text);
    await new Promise((r) => setTimeout(r, 1000));

    for (const [name, c] of Object.entries(commands)) {
      for (const concurrency of [1, 50]) {
        const total = concurrency === 1 ? 100 : 200;
        const acks: number[] = [];
        const answers: number[] = [];
        let statusErrors = 0;
        const worker = async (count: number) => {
          for (let i = 0; i < count; i++) {
            const sentAt = Date.now();
            const uploadsBefore = s.fake.callsTo('files.completeUploadExternal').length;
            const r = await s.slash(c.user, c.text);
            if (r.status !== 200) statusErrors++;
            acks.push(r.ms);
            if (concurrency === 1) {
              // show answers in the channel (chat.postMessage, then this request's chart upload);
              // submit answers through this request's response_url.
              const id = r.responseUrl.split('/').pop();
              const answer =
                name === 'show'
                  ? await s.fake.waitFor('files.completeUploadExternal', (call) => s.fake.callsTo('files.completeUploadExternal').indexOf(call) >= uploadsBefore, 10_000).catch(() => null)
                  : await s.fake.waitFor('response_url', (call) => call.args.responseId === id, 10_000).catch(() => null);
              const done = answer?.at ?? 0;
              if (done) answers.push(done - sentAt);
            }
          }
        };
        const run = () => Promise.all(Array.from({ length: concurrency }, () => worker(total / concurrency)));
        const { peak } = await peakRss(run);
        const p50 = percentile(acks, 50);
        const p99 = percentile(acks, 99);
        record(`/kpi ${name} ack p50, ${concurrency} concurrent`, p50, `${(p50 / SLACK_LIMIT_MS).toFixed(4)} of 3 s`);
        record(`/kpi ${name} ack p99, ${concurrency} concurrent`, p99, `${(p99 / SLACK_LIMIT_MS).toFixed(4)} of 3 s`, `goal < 0.1; ${acks.length} requests${statusErrors ? `, ${statusErrors} not 200` : ''}`);
        if (answers.length) {
          record(`/kpi ${name} answered in Slack p50 (${name === 'show' ? 'message + chart uploaded' : 'response_url'}), 1 concurrent`, percentile(answers, 50), `${(percentile(answers, 50) / SLACK_LIMIT_MS).toFixed(3)} of 3 s`);
        }
        if (concurrency === 50) recordText(`peak RSS during /kpi ${name} at 50 concurrent`, `${(peak / 1024 / 1024).toFixed(0)} MB`, '—');
        // Let background work (answers, chart uploads) finish before the next round.
        await new Promise((r) => setTimeout(r, 2000));
        s.fake.reset();
      }
    }
  } finally {
    await s.stop();
    await db.close();
  }
}
