// The ApiStore contract (repo.api): one set of cases on the memory repository and on Prisma over
// PGlite and PostgreSQL — tokens kept by hash with their scope, a name in use refused and a revoked
// one reissued, revoking audited once; an Idempotency-Key claimed once, answered, replayed, released,
// and claimed afresh once it expires.
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT } from '../support/council.ts';

const by = { at: AT, actorId: null, actorLabel: 'test' };
const later = (ms: number) => new Date(AT.getTime() + ms);

describe.each(repositoryBackends())('the API store on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  it('keeps tokens by hash with their scope; a name in use is refused, a revoked one reissued; each change audited', async () => {
    const c = await aCouncil(r.repo);
    const name = `hr-${c.tag}`;
    const made = await r.repo.api.createToken({ name, prefix: 'kpi_aaaa1111', hash: `h1-${c.tag}`, scope: { kind: 'indicators', indicatorIds: [c.absence.id, c.visits.id] }, at: AT }, by);
    expect(made).toMatchObject({ name, prefix: 'kpi_aaaa1111', scope: { kind: 'indicators', indicatorIds: [c.absence.id, c.visits.id] }, createdAt: AT, revokedAt: null });
    expect(await r.repo.api.tokenByHash(`h1-${c.tag}`)).toEqual(made);
    expect(await r.repo.api.tokenByHash(`nothing-${c.tag}`)).toBeNull();
    await expect(r.repo.api.createToken({ name, prefix: 'kpi_bbbb', hash: `h2-${c.tag}`, scope: { kind: 'theme', themeId: c.theme.id }, at: AT }, by)).rejects.toBeInstanceOf(ConflictError);
    const revoked = await r.repo.api.revokeToken(name, { ...by, at: later(1000) });
    expect(revoked).toMatchObject({ name, revokedAt: later(1000) });
    // Again: unchanged, not audited twice.
    expect(await r.repo.api.revokeToken(name, { ...by, at: later(2000) })).toMatchObject({ revokedAt: later(1000) });
    expect(await r.repo.api.revokeToken(`none-${c.tag}`, by)).toBeNull();
    await r.repo.api.claimIdempotencyKey(made.id, 'k1', 'x', AT, later(60_000));
    const again = await r.repo.api.createToken({ name, prefix: 'kpi_cccc', hash: `h3-${c.tag}`, scope: { kind: 'theme', themeId: c.theme.id }, at: later(3000) }, by);
    expect(again).toMatchObject({ id: made.id, name, prefix: 'kpi_cccc', scope: { kind: 'theme', themeId: c.theme.id }, revokedAt: null });
    expect(await r.repo.api.tokenByHash(`h1-${c.tag}`)).toBeNull();
    // Its keys went with the old secret.
    expect(await r.repo.api.claimIdempotencyKey(made.id, 'k1', 'y', later(3000), later(60_000))).toEqual({ kind: 'claimed' });
    expect((await r.repo.api.tokens()).filter((t) => t.name === name)).toHaveLength(1);
    const audit = (await r.auditLog()).filter((e) => e.entity === 'api_token' && e.entityId === name);
    expect(audit.map((e) => e.action)).toEqual(['api-token.create', 'api-token.revoke', 'api-token.create']);
    expect(JSON.stringify(audit)).not.toContain(`h1-${c.tag}`);
  });

  it('claims an Idempotency-Key once; later requests get its answer, or that it is under way; released or expired, it is claimed afresh', async () => {
    const c = await aCouncil(r.repo);
    const t = await r.repo.api.createToken({ name: `k-${c.tag}`, prefix: 'kpi_k', hash: `hk-${c.tag}`, scope: { kind: 'indicators', indicatorIds: [] }, at: AT }, by);
    const other = await r.repo.api.createToken({ name: `o-${c.tag}`, prefix: 'kpi_o', hash: `ho-${c.tag}`, scope: { kind: 'indicators', indicatorIds: [] }, at: AT }, by);
    const expires = later(3600_000);
    expect(await r.repo.api.claimIdempotencyKey(t.id, 'key-1', 'body-a', AT, expires)).toEqual({ kind: 'claimed' });
    expect(await r.repo.api.claimIdempotencyKey(t.id, 'key-1', 'body-a', later(10), expires)).toEqual({ kind: 'under-way', requestHash: 'body-a' });
    // Another token's key of the same name is its own.
    expect(await r.repo.api.claimIdempotencyKey(other.id, 'key-1', 'body-b', AT, expires)).toEqual({ kind: 'claimed' });
    await r.repo.api.answerIdempotencyKey(t.id, 'key-1', 201, { result: 'saved', period: { key: '2017/18 Q3' } });
    expect(await r.repo.api.claimIdempotencyKey(t.id, 'key-1', 'body-c', later(20), expires)).toEqual({ kind: 'answered', requestHash: 'body-a', status: 201, response: { result: 'saved', period: { key: '2017/18 Q3' } } });
    // Released unanswered: claimed again. An answered key is not released.
    await r.repo.api.releaseIdempotencyKey(other.id, 'key-1');
    expect(await r.repo.api.claimIdempotencyKey(other.id, 'key-1', 'body-b', later(30), expires)).toEqual({ kind: 'claimed' });
    await r.repo.api.releaseIdempotencyKey(t.id, 'key-1');
    expect((await r.repo.api.claimIdempotencyKey(t.id, 'key-1', 'body-a', later(40), expires)).kind).toBe('answered');
    // Expired: claimed afresh.
    expect(await r.repo.api.claimIdempotencyKey(t.id, 'key-1', 'body-d', expires, later(7200_000))).toEqual({ kind: 'claimed' });
  });
});
