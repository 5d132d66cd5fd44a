// Teams acknowledgement latency through real HTTP with the SDK's Bot Framework JWT check: "kpi show"
// and "kpi submit" messages at 1 and 50 concurrent requests (Bot Framework gives a bot 15 s to
// answer an activity), the time until the answer reaches the Bot Connector, and a form submitted
// from its card with a wrong value (the answer, the card with the error, is in the HTTP response).
import { openDatabase } from '../src/db/database.ts';
import { TestClock, withDemo } from '../test/support/app.ts';
import { linkDemoPeopleToTeams, personalChat, startTeamsApp } from '../test/support/teams-app.ts';
import { peakRss, percentile, record, recordText } from './stats.ts';

const BOT_FRAMEWORK_LIMIT_MS = 15_000;

export async function benchTeams(): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
  await withDemo(db);
  await linkDemoPeopleToTeams(db);
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const h = await startTeamsApp(db, clock);
  const commands = {
    show: { who: 'Emma Walsh', text: 'show sickness-absence', where: 'channel' as const },
    submit: { who: 'Lucy Chambers', text: 'submit sickness-absence 2017/18 Q3 10.4 est bench', where: 'personal' as const },
  };
  const ratio = (ms: number) => `${(ms / BOT_FRAMEWORK_LIMIT_MS).toFixed(4)} of 15 s`;
  try {
    for (let i = 0; i < 5; i++) for (const c of Object.values(commands)) await h.teams.message(c.who, c.text, c.where);
    await h.settle();

    for (const [name, c] of Object.entries(commands)) {
      for (const concurrency of [1, 50]) {
        const total = concurrency === 1 ? 100 : 200;
        const acks: number[] = [];
        const answers: number[] = [];
        let statusErrors = 0;
        const worker = async (count: number) => {
          for (let i = 0; i < count; i++) {
            const sentAt = Date.now();
            const before = h.connector.calls.length;
            const r = await h.teams.message(c.who, c.text, c.where);
            if (r.status !== 200) statusErrors++;
            acks.push(r.ms);
            if (concurrency === 1) {
              const answer = await h.connector.waitFor('send', (call) => h.connector.calls.indexOf(call) >= before, 10_000).catch(() => null);
              if (answer) answers.push(answer.at - sentAt);
            }
          }
        };
        const { peak } = await peakRss(() => Promise.all(Array.from({ length: concurrency }, () => worker(total / concurrency))));
        record(`Teams "${name}" ack p50, ${concurrency} concurrent`, percentile(acks, 50), ratio(percentile(acks, 50)));
        record(`Teams "${name}" ack p99, ${concurrency} concurrent`, percentile(acks, 99), ratio(percentile(acks, 99)), `${acks.length} requests${statusErrors ? `, ${statusErrors} not 200` : ''}`);
        if (answers.length) record(`Teams "${name}" answered (card at the Bot Connector${name === 'show' ? ', chart stored' : ''}) p50, 1 concurrent`, percentile(answers, 50), ratio(percentile(answers, 50)));
        if (concurrency === 50) recordText(`peak RSS during Teams "${name}" at 50 concurrent`, `${(peak / 1024 / 1024).toFixed(0)} MB`, '—');
        await h.settle();
        h.connector.reset();
      }
    }

    // A form from its card with a wrong value: the answer is the form again, errors beside the fields.
    await h.teams.message('Gareth Lloyd', 'submit');
    const sent = await h.connector.waitFor('send', (call) => call.conversationId === personalChat('Gareth'));
    const card = (sent.body.attachments as { content: { actions: { data: Record<string, unknown> }[] } }[])[0]!.content;
    const data = card.actions.find((a) => a.data.kpi === 'form')!.data;
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } });
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await h.teams.execute('Gareth Lloyd', { ...data, 'f:indicator': String(ind.id), 'f:period': '2017/18 Q3', 'f:value': 'lots' });
      times.push(r.ms);
    }
    record('Teams form submit with a wrong value: card with the error returned, p50', percentile(times, 50), ratio(percentile(times, 50)));
    record('Teams form submit with a wrong value: card with the error returned, p99', percentile(times, 99), ratio(percentile(times, 99)), '100 requests');
  } finally {
    await h.stop();
    await db.close();
  }
}
