// The shared HTTP server as an operator watches it: one debug line per request (method, path
// without its query, status, time — never a header or a body), a platform route's answer observed
// as its acknowledgement under the surface the route named, and while the process stops, the
// platforms' routes refused with 503 (health still answers).
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { HttpServer } from '../../../src/http/server.ts';
import { NO_OBSERVER, type Observer } from '../../../src/ports.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

function recorder() {
  const acks: { platform: string; surface: string; seconds: number }[] = [];
  const observe: Observer = { ...NO_OBSERVER, acknowledged: (platform, surface, seconds) => void acks.push({ platform, surface, seconds }) };
  return { observe, acks };
}

let server: HttpServer | null = null;
afterEach(async () => {
  await server?.close(100);
  server = null;
});

describe('the HTTP server, watched', () => {
  it('logs every request at debug with its status and time, and no query, header or body', async () => {
    const { log, lines } = capture();
    server = new HttpServer(log);
    server.route('POST', '/slack/events', async (_req, reply) => reply({ status: 200 }), { platform: 'slack' });
    const port = await server.listen(0, '127.0.0.1');
    await fetch(`http://127.0.0.1:${port}/healthz?token=xoxb-secret-in-a-query`);
    await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: { authorization: 'Bearer sekrit' }, body: 'password=hunter2' });
    await fetch(`http://127.0.0.1:${port}/no/such/place`);
    await new Promise((r) => setTimeout(r, 20));
    const requests = lines.filter((l) => l.msg === 'http request');
    expect(requests.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/healthz', 200],
      ['POST', '/slack/events', 200],
      ['GET', '/no/such/place', 404],
    ]);
    for (const l of requests) expect(typeof l.ms).toBe('number');
    const all = JSON.stringify(lines);
    for (const secret of ['xoxb-secret-in-a-query', 'sekrit', 'hunter2']) expect(all).not.toContain(secret);
  });

  it("observes a platform route's answer as its acknowledgement, under the surface the route named", async () => {
    const { observe, acks } = recorder();
    server = new HttpServer(pino({ level: 'silent' }), observe);
    server.route('POST', '/slack/events', async (req, reply) => {
      req.surface = 'command';
      await new Promise((r) => setTimeout(r, 30));
      reply({ status: 200 });
      // Work after the acknowledgement is not part of it.
      await new Promise((r) => setTimeout(r, 200));
    }, { platform: 'slack' });
    server.route('POST', '/api/messages', async (_req, reply) => reply({ status: 401 }), { platform: 'teams' });
    const port = await server.listen(0, '127.0.0.1');
    await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x' });
    await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', body: '{}' });
    await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(acks.map((a) => [a.platform, a.surface])).toEqual([
      ['slack', 'command'],
      ['teams', 'other'],
    ]);
    expect(acks[0]!.seconds).toBeGreaterThanOrEqual(0.025);
    expect(acks[0]!.seconds).toBeLessThan(0.2);
  });

  it("refuses the platforms' requests with 503 while draining, and still answers health", async () => {
    server = new HttpServer(pino({ level: 'silent' }));
    let handled = 0;
    server.route('POST', '/slack/events', async (_req, reply) => {
      handled++;
      reply({ status: 200 });
    }, { platform: 'slack' });
    const port = await server.listen(0, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(200);
    server.drain();
    const refused = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(handled).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
