// Refused Teams requests in the log: one warn line for the first of a kind, then a count a minute
// while they keep coming, and forgotten once they stop; the reason read from the SDK's own words
// only, never from what the sender wrote into the token.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RefusalLog, sdkRefusal, tokenRefusalReason, duringRequest } from '../../../src/platforms/teams/refusals.ts';
import { createLogger } from '../../../src/log.ts';

function setUp() {
  const lines: { level: number; msg: string; repeated?: number; reason?: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  });
  let t = Date.parse('2018-02-05T09:00:00Z');
  const clock = { now: () => new Date(t) };
  const refusals = new RefusalLog(createLogger('info', sink), clock);
  return { lines, refusals, advance: (ms: number) => (t += ms), now: () => t };
}

describe('the refusal log', () => {
  it('writes the first of a kind, counts the rest, says the count a minute on, and forgets a kind that stopped', () => {
    const { lines, refusals, advance, now } = setUp();
    for (let i = 0; i < 25; i++) refusals.refuse('teams: refused a request: no valid Bot Framework token', 'expired', { reason: 'expired' });
    refusals.refuse('teams: refused a request: no valid Bot Framework token', 'not a token', { reason: 'not a token' });
    expect(lines.map((l) => [l.level, l.reason, l.repeated])).toEqual([
      [40, 'expired', undefined],
      [40, 'not a token', undefined],
    ]);
    advance(60_000);
    refusals.flush(now()); // the timer's tick
    expect(lines.slice(2).map((l) => [l.level, l.reason, l.repeated])).toEqual([[40, 'expired', 24]]);
    // Still coming: counted on; none in the next minute: nothing said, and the next one is a first again.
    refusals.refuse('teams: refused a request: no valid Bot Framework token', 'expired', { reason: 'expired' });
    advance(60_000);
    refusals.flush(now());
    expect(lines.slice(3).map((l) => l.repeated)).toEqual([1]);
    advance(60_000);
    refusals.flush(now());
    refusals.refuse('teams: refused a request: no valid Bot Framework token', 'expired', { reason: 'expired' });
    expect(lines.slice(4).map((l) => [l.reason, l.repeated])).toEqual([['expired', undefined]]);
    refusals.stop();
  });

  it('keeps a bounded number of kinds: a flood of new tenants is counted together', () => {
    const { lines, refusals } = setUp();
    for (let i = 0; i < 1000; i++) refusals.refuse('teams: refused an activity from a tenant this bot does not serve', `tenant-${i}`, { tenantId: `tenant-${i}` });
    expect(lines.length).toBe(201);
    refusals.stop();
  });
});

describe('why a token was refused', () => {
  it("is read from the SDK's fixed words, not from an issuer or service URL the sender wrote", () => {
    expect(tokenRefusalReason('JWT verification failed: jwt expired')).toBe('expired');
    expect(tokenRefusalReason("Custom validation failed: Token issuer 'https://evil/jwt expired' does not match allowed issuer 'https://api.botframework.com'")).toBe('not issued by Bot Framework (issuer)');
    expect(tokenRefusalReason('Custom validation failed: Service URL mismatch. Token: https://evil/invalid signature, Expected: https://smba')).toBe('for another service URL');
    expect(tokenRefusalReason('Failed to get signing key: Unable to find a signing key that matches "x"')).toBe('signature not from Bot Framework');
    expect(tokenRefusalReason('something new')).toBe('invalid');
  });

  it('is kept for the request being checked (the first reason given), and the SDK lines are not written', async () => {
    const checked = duringRequest(async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(sdkRefusal('Failed to get signing key: no key')).toBe(true);
      expect(sdkRefusal('JWT verification failed: invalid signature')).toBe(true);
      expect(sdkRefusal('JWT validation failed Invalid token')).toBe(true);
      return 401;
    });
    expect(await checked.result).toBe(401);
    expect(checked.refusal()).toEqual({ reason: 'signature not from Bot Framework', detail: 'Failed to get signing key: no key' });
    expect(sdkRefusal('Error processing activity: boom')).toBe(false); // a real failure stays an error line
  });

  it("is read from the SDK's summary line when no line said why before it (SDK 2.1's Entra-looking issuer)", async () => {
    const entra = duringRequest(async () => {
      expect(sdkRefusal('JWT validation failed Entra inbound token is missing tid')).toBe(true);
      return 401;
    });
    await entra.result;
    expect(entra.refusal().reason).toBe('not issued by Bot Framework (issuer)');
    const unknown = duringRequest(async () => {
      expect(sdkRefusal('JWT validation failed Invalid token')).toBe(true);
      return 401;
    });
    await unknown.result;
    expect(unknown.refusal()).toEqual({ reason: 'invalid', detail: null });
  });
});
