// The values API's handlers (commands/api-values.ts) on the memory repository: a posted value goes
// through the chat submit's one check — saved with "API: <name>" as who gave it, the same refusals and
// the same plausibility question as JSON, a signed-off quarter a conflict, the token's scope kept.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { listIndicators, postValue, showIndicator } from '../../../commands/api-values.ts';
import { createApiToken, inScope, sha256, tokenFor } from '../../../src/services/api-tokens.ts';
import { provenance } from '../../../src/services/provenance.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import type { ApiTokenRecord } from '../../../src/ports.ts';

describe('the values API', () => {
  const b = useBot();
  const by = () => ({ at: b.clock.now(), actorId: b.council.admin.id, actorLabel: 'test' });
  const hr = async (): Promise<ApiTokenRecord> => (await createApiToken(b.repo, 'hr-system', { kind: 'indicators', indicatorIds: [b.council.absence.id] }, by())).token;
  const versions = (periodKey: string) => b.repo.observationVersions(b.council.absence.id, periodKey);

  it('saves a value as the integration, says the period in full and the status as chat does, and history says "API: hr-system"', async () => {
    const { absence } = b.council;
    const r = await postValue(b.deps, await hr(), { indicator: absence.slug, period: '2017/18 Q4', value: 8.2, estimated: true, note: 'from payroll' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ result: 'saved', indicator: absence.slug, period: { key: '2017/18 Q4', inFull: '2017/18 Q4 (Jan–Mar 2018)' }, value: 8.2, estimated: true, version: 1, status: 'green' });
    expect(String(r.body.explanation)).not.toMatch(/\*\*/);
    const [saved] = await versions('2017/18 Q4');
    expect(saved).toMatchObject({ value: 8.2, estimated: true, note: 'from payroll', source: 'api', submittedById: null, submittedByLabel: 'api:hr-system' });
    expect(provenance(saved!, new Map(), 'Europe/London')).toBe('API: hr-system, 5 Feb 2018, 09:00');
    const history = said(await runSlashCommand(b.deps, b.as(b.council.owner), `/kpi history ${absence.slug}`));
    expect(history).toContain('API: hr-system');
  });

  it('reads periods as chat reads them, by reference too, and says a value sent again is already saved', async () => {
    const { absence } = b.council;
    const t = await hr();
    const first = await postValue(b.deps, t, { indicator: absence.slug, period: 'Q4 2017/18', value: 8.2 });
    expect(first.body).toMatchObject({ result: 'saved', period: { key: '2017/18 Q4' } });
    const again = await postValue(b.deps, t, { indicator: absence.slug, period: '2017/18 Q4', value: 8.2 });
    expect(again).toMatchObject({ status: 200, body: { result: 'already-saved', version: 1 } });
    expect(await versions('2017/18 Q4')).toHaveLength(1);
    const corrected = await postValue(b.deps, t, { indicator: absence.slug, period: '2017/18 Q4', value: 8.3, reason: 'payroll re-run' });
    expect(corrected).toMatchObject({ status: 201, body: { result: 'corrected', version: 2, replaced: { version: 1, value: 8.2 } } });
    expect((await versions('2017/18 Q4'))[0]).toMatchObject({ value: 8.3, correctionReason: 'payroll re-run' });
  });

  it('refuses with the reasons chat gives: a period not begun, a period not of the indicator, an unknown indicator', async () => {
    const { absence } = b.council;
    const t = await hr();
    const notBegun = await postValue(b.deps, t, { indicator: absence.slug, period: '2018/19 Q1', value: 8 });
    expect(notBegun).toMatchObject({ status: 422, body: { error: 'invalid', fields: { period: expect.stringContaining('2018/19 Q1 has not started yet (today is 5 Feb 2018)') } } });
    const month = await postValue(b.deps, t, { indicator: absence.slug, period: 'Sep 2017', value: 8 });
    expect(month).toMatchObject({ status: 422, body: { error: 'invalid' } });
    expect(String(month.body.message)).toContain(`"Sep 2017" is a month (Sep 2017), but ${absence.name} is reported quarterly`);
    const unknown = await postValue(b.deps, t, { indicator: 'absense', period: '2017/18 Q4', value: 8 });
    expect(unknown).toMatchObject({ status: 422, body: { error: 'unknown-indicator' } });
    // No guessing: part of a name is not the indicator, as it would be in chat.
    expect((await postValue(b.deps, t, { indicator: absence.slug.slice(0, 5), period: '2017/18 Q4', value: 8 })).body.error).toBe('unknown-indicator');
    expect(await versions('2017/18 Q4')).toEqual([]);
  });

  it('takes any finite JSON number, however JavaScript would write it (1e-7 is 0.0000001, not "not a number")', async () => {
    const t = await hr();
    const small = await postValue(b.deps, t, { indicator: b.council.absence.slug, period: '2017/18 Q4', value: 1e-7, acceptUnusual: true });
    expect(small).toMatchObject({ status: 201, body: { result: 'saved', value: 1e-7 } });
  });

  it('says back a period given without its year that could be misread, as chat does, and saves nothing', async () => {
    const { absence } = b.council;
    const r = await postValue(b.deps, await hr(), { indicator: absence.slug, period: 'Q4', value: 8.2 });
    const chat = said(await runSlashCommand(b.deps, b.as(b.council.owner), `/kpi submit ${absence.slug} Q4 8.2`));
    expect(r).toMatchObject({ status: 422, body: { error: 'period-unclear', period: { key: '2017/18 Q4', inFull: '2017/18 Q4 (Jan–Mar 2018)' } } });
    // The reason in chat's words, then what to send.
    expect(chat).toContain('"Q4" reads as 2017/18 Q4 (Jan–Mar 2018), which has not ended yet');
    expect(String(r.body.message)).toContain('"Q4" reads as 2017/18 Q4 (Jan–Mar 2018), which has not ended yet');
    expect(String(r.body.message)).toMatch(/Send the period with its year \(e\.g\. 2017\/18 Q4\)\.$/);
    expect(await versions('2017/18 Q4')).toEqual([]);
  });

  it('asks the plausibility question chat asks, as JSON, and saves only with acceptUnusual', async () => {
    const { absence } = b.council;
    const t = await hr();
    const ask = await postValue(b.deps, t, { indicator: absence.slug, period: '2017/18 Q3', value: 104.9 });
    expect(ask).toMatchObject({ status: 422, body: { error: 'unusual-value', question: '104.9 days is 10× the 10.49 days it replaces. Save 104.9 days anyway, or change it?', period: { key: '2017/18 Q3', inFull: '2017/18 Q3 (Oct–Dec 2017)' } } });
    expect(await versions('2017/18 Q3')).toHaveLength(1);
    const saved = await postValue(b.deps, t, { indicator: absence.slug, period: '2017/18 Q3', value: 104.9, acceptUnusual: true, reason: 'really' });
    expect(saved).toMatchObject({ status: 201, body: { result: 'corrected', value: 104.9 } });
  });

  it('refuses a signed-off quarter with 409 and an indicator out of the token’s scope with 403, saving nothing', async () => {
    const { absence, cleanliness, admin } = b.council;
    const t = await hr();
    const out = await postValue(b.deps, t, { indicator: cleanliness.slug, period: '2017/18 Q3', value: 80 });
    expect(out).toMatchObject({ status: 403, body: { error: 'out-of-scope', message: `The token hr-system may not write ${cleanliness.slug}: it writes ${absence.slug}. A performance admin can make a token that does (kpi api-token create).` } });
    const q = periodFromKey('2017/18 Q3');
    await b.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: admin.id, actorLabel: 'test', at: b.clock.now() });
    const locked = await postValue(b.deps, t, { indicator: absence.slug, period: '2017/18 Q3', value: 9, reason: 'late figures' });
    expect(locked).toMatchObject({ status: 409, body: { error: 'signed-off' } });
    expect(String(locked.body.message)).toContain('2017/18 Q3 was signed off on 5 Feb 2018');
    expect(await versions('2017/18 Q3')).toHaveLength(1);
  });

  it('a theme token writes its theme’s indicators; the list says which are writable; one indicator shows its values and who gave them', async () => {
    const { absence, theme } = b.council;
    const { token } = await createApiToken(b.repo, 'warehouse', { kind: 'theme', themeId: theme.id }, by());
    expect(inScope(token, absence)).toBe(absence.themeId === theme.id);
    const list = await listIndicators(b.deps, await hr());
    const rows = list.body.indicators as { slug: string; writable: boolean }[];
    expect(rows.find((r) => r.slug === absence.slug)?.writable).toBe(true);
    expect(rows.filter((r) => r.writable)).toHaveLength(1);
    await postValue(b.deps, token, { indicator: absence.slug, period: '2017/18 Q4', value: 8.2 });
    const one = await showIndicator(b.deps, token, absence.slug);
    expect(one.status).toBe(200);
    expect((one.body.values as { given: string }[]).at(-1)?.given).toMatch(/^API: warehouse, /);
    expect((await showIndicator(b.deps, token, 'no-such')).status).toBe(404);
  });

  it('authenticates by the secret’s hash only, and refuses a revoked token', async () => {
    const { token, secret } = await createApiToken(b.repo, 'hr-system', { kind: 'indicators', indicatorIds: [] }, by());
    expect(secret).toMatch(/^kpi_[0-9a-f]{48}$/);
    expect(token.prefix).toBe(secret.slice(0, 12));
    expect(JSON.stringify(b.repo.store.t.apiTokens)).not.toContain(secret);
    expect(b.repo.store.t.apiTokens[0]!.hash).toBe(sha256(secret));
    expect(await tokenFor(b.repo, `Bearer ${secret}`)).toMatchObject({ name: 'hr-system' });
    expect(await tokenFor(b.repo, undefined)).toBe('missing');
    expect(await tokenFor(b.repo, 'Bearer kpi_nothing')).toBe('unknown');
    await b.repo.api.revokeToken('hr-system', by());
    expect(await tokenFor(b.repo, `Bearer ${secret}`)).toBe('revoked');
  });
});

describe('the values API, for an indicator with nothing to check a value against', () => {
  const b = useBot({
    register: (tag) => ({ indicators: [{ slug: `events-${tag}`, name: `Be Responsible events held ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: 'events', polarity: 'higher', frequency: 'quarterly', decimals: 0 }] }),
  });

  it('saves it and says, as chat does, that it could not be checked for plausibility', async () => {
    const events = (await b.repo.indicatorBySlug(`events-${b.council.tag}`))!;
    const { token } = await createApiToken(b.repo, 'events-system', { kind: 'indicators', indicatorIds: [events.id] }, { at: b.clock.now(), actorId: null, actorLabel: 'test' });
    const r = await postValue(b.deps, token, { indicator: events.slug, period: '2017/18 Q3', value: 161 });
    expect(r).toMatchObject({ status: 201, body: { result: 'saved', unchecked: `Not checked for plausibility: ${events.slug} has no earlier values, and no target, earlier version or similar indicators to compare it with.` } });
  });
});
