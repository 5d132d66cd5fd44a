// What a refused Teams request leaves in the log: one warn line each, saying why (no token, expired,
// forged, another bot's, another tenant's…), never an error line or a stack, and identical lines
// rate-limited — the first of a kind, then a count a minute — so an attack cannot flood the log.
// Tokens up to five minutes past their expiry are accepted: the SDK's documented clock tolerance.
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { FOREIGN_TENANT_ID, useTeamsDemo } from '../support/teams-app.ts';
import { createLogger } from '../../src/log.ts';

interface LogLine {
  level: number;
  msg: string;
  reason?: string;
  repeated?: number;
  err?: { stack?: string };
  tenantId?: string;
}

describe.each(backends('pglite'))('Teams refusals on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  const demo = useTeamsDemo(backend, clock, { log: createLogger('info', sink) });
  beforeEach(async () => {
    // Each test starts a minute after the last: what an earlier one counted is said and forgotten.
    clock.advance(61_000);
    await demo.h.teams.post(demo.h.teams.activity('message', 'Lucy Chambers', 'personal', { text: 'help' }));
    await demo.h.settle();
    lines.length = 0;
  });
  const message = (tenant?: string) => (tenant ? demo.h.teams.fromTenant(tenant) : demo.h.teams).activity('message', 'Lucy Chambers', 'personal', { text: 'mine' });
  const refusalLines = () => lines.filter((l) => l.level >= 40);

  it('writes one warn line per refusal, with the reason, and no error line or stack: 15 attacks, 15 lines', async () => {
    const { issuer } = demo.h.fakes;
    const url = demo.h.connector.serviceUrl;
    const mixed = message();
    (mixed.channelData as { tenant: { id: string } }).tenant.id = FOREIGN_TENANT_ID;
    const none = message();
    delete (none.conversation as { tenantId?: string }).tenantId;
    (none as { channelData: unknown }).channelData = {};
    const tenants = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', FOREIGN_TENANT_ID];
    const callsBefore = demo.h.connector.calls.length;
    const attacks: [number, Promise<{ status: number }>][] = [];
    const attack = (status: number, p: () => Promise<{ status: number }>) => attacks.push([status, p()]);
    attack(401, () => demo.h.teams.post(message(), { token: false }));
    attack(401, () => demo.h.teams.post(message(), { token: 'not-a-jwt' }));
    attack(401, () => demo.h.teams.post(message(), { token: issuer.botToken(url, { key: 'rogue' }) }));
    attack(401, () => demo.h.teams.post(message(), { token: issuer.botToken(url, { claims: { aud: 'some-other-bot' } }) }));
    attack(401, () => demo.h.teams.post(message(), { token: issuer.botToken(url, { claims: { iss: 'https://sts.windows.net/evil/' } }) }));
    attack(401, () => demo.h.teams.post(message(), { token: issuer.botToken(url, { expiresInSeconds: -600 }) }));
    attack(401, () => demo.h.teams.post(message(), { token: issuer.botToken('https://smba.trafficmanager.net/evil/') }));
    attack(401, () => demo.h.teams.post(message(), { token: issuer.botToken(url, { claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }) }));
    for (const t of tenants) attack(403, () => demo.h.teams.post(message(t)));
    attack(403, () => demo.h.teams.post(mixed));
    attack(403, () => demo.h.teams.post(none));
    attack(400, () => demo.h.teams.post({ ...message(), from: 'nobody' }));
    const statuses = [];
    for (const [, p] of attacks) statuses.push((await p).status);
    await demo.h.settle();
    expect(statuses).toEqual(attacks.map(([s]) => s));
    const refused = refusalLines();
    console.log(`teams refusals on ${backend}: ${attacks.length} attacks, ${refused.length} warn-or-worse lines (${refused.filter((l) => l.level >= 50).length} error-level)`);
    expect(refused.filter((l) => l.level >= 50)).toEqual([]);
    expect(refused.filter((l) => l.err?.stack !== undefined)).toEqual([]);
    expect(refused).toHaveLength(15);
    expect(refused.slice(0, 8).map((l) => l.reason)).toEqual([
      'no token',
      'not a token',
      'signature not from Bot Framework',
      'not for this bot (audience)',
      'not issued by Bot Framework (issuer)',
      'expired',
      'for another service URL',
      'not valid yet',
    ]);
    expect(refused.slice(8, 12).map((l) => l.tenantId)).toEqual(tenants);
    expect(refused.slice(8, 14).every((l) => l.msg === 'teams: refused an activity from a tenant this bot does not serve')).toBe(true);
    expect(refused[14]!.msg).toBe('teams: activity not understood');
    expect(demo.h.connector.calls.length).toBe(callsBefore); // nothing answered, nothing looked up
  });

  it('rate-limits identical lines: the first of a kind, then how many more each minute', async () => {
    const { issuer } = demo.h.fakes;
    const url = demo.h.connector.serviceUrl;
    for (let i = 0; i < 40; i++) {
      expect((await demo.h.teams.post(message(), { token: issuer.botToken(url, { expiresInSeconds: -600 }) })).status).toBe(401);
      expect((await demo.h.teams.post(message(FOREIGN_TENANT_ID))).status).toBe(403);
    }
    await demo.h.settle();
    expect(refusalLines().map((l) => [l.msg, l.reason ?? l.tenantId, l.repeated])).toEqual([
      ['teams: refused a request: no valid Bot Framework token', 'expired', undefined],
      ['teams: refused an activity from a tenant this bot does not serve', FOREIGN_TENANT_ID, undefined],
    ]);
    clock.advance(61_000);
    // A minute later, the next of a kind says how many were not written.
    await demo.h.teams.post(message(), { token: issuer.botToken(url, { expiresInSeconds: -600 }) });
    await demo.h.settle();
    expect(refusalLines().map((l) => [l.reason ?? l.tenantId, l.repeated])).toEqual([
      ['expired', undefined],
      [FOREIGN_TENANT_ID, undefined],
      ['expired', 39],
      [FOREIGN_TENANT_ID, 39],
    ]);
    expect(refusalLines().every((l) => l.level === 40)).toBe(true);
  });

  it('accepts a token up to five minutes past its expiry (the SDK’s clock tolerance), and refuses one later', async () => {
    const { issuer } = demo.h.fakes;
    const url = demo.h.connector.serviceUrl;
    expect((await demo.h.teams.post(demo.h.teams.activity('message', 'Lucy Chambers', 'personal', { text: 'help' }), { token: issuer.botToken(url, { expiresInSeconds: -240 }) })).status).toBe(200);
    expect((await demo.h.teams.post(message(), { token: issuer.botToken(url, { expiresInSeconds: -360 }) })).status).toBe(401);
    await demo.h.settle();
    expect(refusalLines().map((l) => l.reason)).toEqual(['expired']);
  });
});
