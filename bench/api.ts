// Values per second through the HTTP API for source systems, against the chat submit path in the same
// run (the floor: `/kpi submit <indicator> <period> <value>` run by the command router, in process, as
// a performance admin, on the same database). Each path saves 200 new values of a generated register
// (monthly indicators with 24 values each; every value its indicator's latest, so none is asked
// about): the API's handler in process, over HTTP one POST per value, and batches of 50 — in rounds
// of 50 values per path, one path after the other, so a busy neighbour weighs on each alike.
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { HttpServer } from '../src/http/server.ts';
import { mountApi } from '../src/http/api.ts';
import { listIndicators, postValue, showIndicator } from '../commands/api-values.ts';
import { runSlashCommand } from '../commands/router.ts';
import { createApiToken } from '../src/services/api-tokens.ts';
import type { Actor, PersonRecord } from '../src/ports.ts';
import { benchDatabase, type BenchBackend } from './databases.ts';
import { generateRegister } from './register.ts';
import { benchServices } from './services.ts';
import { recordText, time } from './stats.ts';

const NOW = new Date('2026-05-10T09:00:00Z');
const N = 200;
const PERIOD = 'Apr 2026';

export async function benchApi(backend: BenchBackend): Promise<void> {
  const db = await benchDatabase(backend);
  const http = new HttpServer(silentLogger);
  try {
    await generateRegister(db.prisma, { indicators: 5 * N, periods: 24, directors: 10 });
    const deps = benchServices(db.prisma, NOW);
    const admin = await db.prisma.person.create({ data: { displayName: 'Bench Admin', email: 'admin@bench.example', role: 'admin' } });
    const person = (await deps.repo.person(admin.id)) as PersonRecord;
    const actor: Actor = { platform: 'slack', userId: 'UADMIN', person };
    const latest = new Map((await db.prisma.$queryRawUnsafe<{ slug: string; value: number }[]>(`SELECT i.slug, o.value::float8 AS value FROM indicator i JOIN observation o ON o.indicator_id = i.id AND o.latest AND o.period_key = '2026-03'`)).map((r) => [r.slug, r.value]));
    const group = (g: number) => Array.from({ length: N }, (_, i) => `bench-${g * N + i + 1}`);
    const { token, secret } = await createApiToken(deps.repo, 'bench-system', { kind: 'indicators', indicatorIds: (await db.prisma.indicator.findMany({ select: { id: true } })).map((i) => i.id) }, { at: NOW, actorId: admin.id, actorLabel: 'bench' });
    mountApi(http, {
      repo: deps.repo,
      log: silentLogger,
      now: () => NOW,
      requestsPerMinute: loadConfig({}, process.cwd()).apiRequestsPerMinute * 1000,
      handlers: { postValue: (t, v) => postValue(deps, t, v), listIndicators: (t) => listIndicators(deps, t), showIndicator: (t, q) => showIndicator(deps, t, q) },
    });
    const port = await http.listen(0, '127.0.0.1');
    const post = async (body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/values`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as { result?: string; saved?: number };
      if (res.status >= 300) throw new Error(`the API answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    };
    const value = (slug: string) => ({ indicator: slug, period: PERIOD, value: latest.get(slug)! });

    // Warm up both paths (code, the database's caches) on the fifth group's first values.
    const warm = group(4);
    for (let i = 0; i < 10; i++) await runSlashCommand(deps, actor, `/kpi submit ${warm[i]} ${PERIOD} ${latest.get(warm[i]!)}`);
    for (let i = 10; i < 20; i++) await post(value(warm[i]!));

    // Interleaved in rounds of 50, so that a neighbour's load falls on every path alike.
    const ROUND = 50;
    const total = { chat: 0, inProcess: 0, overHttp: 0, batch: 0 };
    for (let r = 0; r < N / ROUND; r++) {
      const slice = (g: number) => group(g).slice(r * ROUND, (r + 1) * ROUND);
      total.chat += (
        await time(async () => {
          for (const slug of slice(0)) {
            const a = await runSlashCommand(deps, actor, `/kpi submit ${slug} ${PERIOD} ${latest.get(slug)}`);
            if (a.kind !== 'message' || !a.message.text.startsWith('Saved')) throw new Error(`chat did not save ${slug}: ${JSON.stringify(a).slice(0, 300)}`);
          }
        })
      ).ms;
      total.inProcess += (
        await time(async () => {
          for (const slug of slice(1)) {
            const a = await postValue(deps, token, value(slug));
            if (a.status !== 201) throw new Error(`the API handler did not save ${slug}: ${JSON.stringify(a.body)}`);
          }
        })
      ).ms;
      total.overHttp += (
        await time(async () => {
          for (const slug of slice(2)) await post(value(slug));
        })
      ).ms;
      const batch = await time(() => post({ values: slice(3).map(value) }));
      if (batch.result.saved !== ROUND) throw new Error(`the batch saved ${batch.result.saved} of ${ROUND}`);
      total.batch += batch.ms;
    }
    const chat = { ms: total.chat };
    const inProcess = { ms: total.inProcess };
    const overHttp = { ms: total.overHttp };
    const batch = { ms: total.batch };
    const saved = await db.prisma.observation.count({ where: { periodKey: '2026-04' } });
    if (saved !== 4 * N + 20) throw new Error(`expected ${4 * N + 20} values for ${PERIOD}, found ${saved}`);

    const perSecond = (ms: number) => (N * 1000) / ms;
    const floor = perSecond(chat.ms);
    const line = (what: string, ms: number, note: string) => recordText(what, `${perSecond(ms).toFixed(0)} values/s`, `${(perSecond(ms) / floor).toFixed(2)}× chat submit`, note);
    recordText(`floor: /kpi submit, in process (${backend})`, `${floor.toFixed(0)} values/s`, '1×', `${N} values, one at a time, ${(chat.ms / N).toFixed(1)} ms each`);
    line(`API handler, in process (${backend})`, inProcess.ms, `${N} values, one at a time, ${(inProcess.ms / N).toFixed(1)} ms each`);
    line(`POST /api/v1/values, one value per request (${backend})`, overHttp.ms, `${N} requests, one at a time, ${(overHttp.ms / N).toFixed(1)} ms each`);
    line(`POST /api/v1/values, batches of 50 (${backend})`, batch.ms, `${N / 50} requests, ${(batch.ms / (N / 50) / 1000).toFixed(2)} s each`);
  } finally {
    await http.close();
    await db.close();
  }
}
