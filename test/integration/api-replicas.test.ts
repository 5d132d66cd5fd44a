// The values API behind a load balancer: two bot processes' apps on one database. A source system's
// POST and its retries, with one Idempotency-Key, reach either replica, at once or one after the
// other: the value is saved once, and every answer is the first one (or "still being answered" while
// it is). The key is kept in the database (api_idempotency), so this holds on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { startSlackApp, type SlackHarness } from '../support/slack-app.ts';
import { runKpi } from '../support/cli.ts';
import { blinking, type BlinkingDatabase } from '../support/blinking-database.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';

describe.each(backends('both'))('the values API on two replicas (%s)', (backend) => {
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  let db: TestDatabase;
  let replicas: SlackHarness[] = [];
  let secret: string;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db);
    replicas = await Promise.all([startSlackApp(db, clock), startSlackApp(db, clock)]);
    secret = /\b(kpi_[0-9a-f]{48})\b/.exec((await runKpi(db, ['api-token', 'create', 'hr-system', '--indicators', 'sickness-absence,street-cleanliness'])).stdout)![1]!;
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await db?.close();
  });

  const post = async (replica: number, body: unknown, key: string) => {
    const res = await fetch(`http://127.0.0.1:${replicas[replica]!.app.port}/api/v1/values`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', json: (await res.json()) as Record<string, unknown> };
  };

  it('saves once when the same POST reaches both replicas at once, and a later retry on either gets the first answer', async () => {
    const body = { indicator: 'sickness-absence', period: '2017/18 Q4', value: 9.8 };
    const answers = await Promise.all([post(0, body, 'q4-absence'), post(1, body, 'q4-absence'), post(0, body, 'q4-absence'), post(1, body, 'q4-absence')]);
    // One request did the work; the others got its answer, or were told it was still being answered.
    const first = answers.filter((a) => a.status === 201 && !a.replayed);
    expect(first).toHaveLength(1);
    for (const a of answers.filter((x) => x !== first[0])) {
      if (a.status === 409) expect(a.json).toMatchObject({ error: 'idempotency-key-in-use' });
      else expect(a).toMatchObject({ status: 201, replayed: true, json: first[0]!.json });
    }
    for (const replica of [0, 1]) expect(await post(replica, body, 'q4-absence')).toMatchObject({ status: 201, replayed: true, json: first[0]!.json });
    expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'sickness-absence' } } })).toBe(1);
    // The key with another body, on the other replica: refused, nothing saved.
    expect(await post(1, { ...body, value: 9.9 }, 'q4-absence')).toMatchObject({ status: 422, json: { error: 'idempotency-key-reused' } });
    expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'sickness-absence' } } })).toBe(1);
  });

  it('saves one version when two different keys carry the same new value at once: the other is told it is already saved', async () => {
    const body = { indicator: 'street-cleanliness', period: '2017/18 Q4', value: 86.1 };
    const answers = await Promise.all([post(0, body, 'a-1'), post(1, body, 'b-1')]);
    expect(answers.map((a) => [a.status, a.json.result]).sort()).toEqual([
      [200, 'already-saved'],
      [201, 'saved'],
    ]);
    expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'street-cleanliness' } } })).toBe(1);
  });
});

describe('the values API while the database does not answer', () => {
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  let raw: TestDatabase;
  let b: BlinkingDatabase;
  let app: SlackHarness;
  let secret: string;
  beforeAll(async () => {
    raw = await createTestDatabase('pglite');
    await withDemo(raw);
    b = blinking(raw);
    app = await startSlackApp(b.db, clock);
    secret = /\b(kpi_[0-9a-f]{48})\b/.exec((await runKpi(raw, ['api-token', 'create', 'hr-system', '--indicators', 'sickness-absence'])).stdout)![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await raw?.close();
  });

  it('answers 503 with Retry-After, and the retry with the same key saves the value once', async () => {
    const send = () =>
      fetch(`http://127.0.0.1:${app.app.port}/api/v1/values`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'idempotency-key': 'q4' },
        body: JSON.stringify({ indicator: 'sickness-absence', period: '2017/18 Q4', value: 9.8 }),
      });
    b.down();
    let res: Response;
    try {
      res = await send();
    } finally {
      b.up();
    }
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toMatchObject({ error: 'unavailable', message: expect.stringContaining('never saved twice') });
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(await raw.prisma.observation.count({ where: { periodKey: '2017/18 Q4', source: 'api' } })).toBe(1);
  });
});

describe('Idempotency-Keys kept no longer than a day', () => {
  it('forgets every token’s expired keys when any key is claimed', async () => {
    const db = await createTestDatabase('pglite');
    try {
      const repo = new PrismaRepository(db.prisma);
      const by = { at: new Date('2018-04-20T09:00:00Z'), actorId: null, actorLabel: 'test' };
      const a = await repo.api.createToken({ name: 'a-system', prefix: 'kpi_a', hash: 'ha', scope: { kind: 'indicators', indicatorIds: [] }, at: by.at }, by);
      const b = await repo.api.createToken({ name: 'b-system', prefix: 'kpi_b', hash: 'hb', scope: { kind: 'indicators', indicatorIds: [] }, at: by.at }, by);
      const day = (n: number) => new Date(by.at.getTime() + n * 86_400_000);
      await repo.api.claimIdempotencyKey(b.id, 'old', 'x', day(0), day(1));
      await repo.api.claimIdempotencyKey(a.id, 'new', 'y', day(2), day(3));
      expect(await db.prisma.apiIdempotency.findMany({ select: { tokenId: true, key: true } })).toEqual([{ tokenId: a.id, key: 'new' }]);
    } finally {
      await db.close();
    }
  });
});
