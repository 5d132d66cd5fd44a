// The Repository contract: one set of cases, run on the memory repository and on the Prisma one on
// PGlite and PostgreSQL. Whatever a handler or job can observe through the port must be the same on
// each — so a unit test on memory says what the bot does on a database. Each case builds its own
// council (aCouncil: its own people, theme and indicators), so cases share a database safely.
import { describe, expect, it } from 'vitest';
import type { NewObservation } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT } from '../support/council.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { registerSchema, LockedPeriodError, UnusualValuesError } from '../../src/register/types.ts';
import { ConflictError, LockedPeriodSaveError, PermissionError } from '../../src/errors.ts';
import { StaleReportError } from '../../src/services/exception-states.ts';
import { DEFAULT_ORG } from '../../src/repo/defaults.ts';

const value = (indicatorId: number, periodKey: string, v: number, over: Partial<NewObservation> = {}): NewObservation => {
  const p = periodFromKey(periodKey);
  return {
    indicatorId, periodKey: p.key, periodStart: p.start, periodEnd: p.end, value: v, estimated: false, provisional: false, note: null, source: 'test',
    submittedById: null, submittedByLabel: 'test', submittedAt: AT, replacesVersion: null, ...over,
  };
};

describe.each(repositoryBackends())('the Repository on %s', (backend: RepositoryBackend) => {
  const clock = new TestClock(AT);
  const r = useRepository(backend, clock);

  describe('people', () => {
    it('finds a person by e-mail whatever its case and spaces, and lists people by name, by role or id', async () => {
      const c = await aCouncil(r.repo);
      expect((await r.repo.personByEmail(`  OWNER-${c.tag}@Council.Example `))?.id).toBe(c.owner.id);
      expect(await r.repo.personByEmail(`nobody-${c.tag}@council.example`)).toBeNull();
      const ids = [c.officer.id, c.admin.id, c.owner.id];
      expect((await r.repo.people({ ids })).map((p) => p.displayName)).toEqual([c.admin, c.officer, c.owner].map((p) => p.displayName));
      expect((await r.repo.people({ role: 'admin' })).map((p) => p.id)).toContain(c.admin.id);
      expect((await r.repo.people({ role: 'admin' })).every((p) => p.role === 'admin')).toBe(true);
      expect(c.owner).toMatchObject({ role: 'officer', deputyId: c.deputy.id, absentUntil: null, active: true, identities: {} });
    });

    it('links a platform user once: linked, already, and a conflict either way round changes nothing', async () => {
      const c = await aCouncil(r.repo);
      const how = { linkedBy: 'lookup' as const, at: AT };
      expect(await r.repo.linkPlatformUser(c.owner.id, 'slack', `U-${c.tag}`, how)).toBe('linked');
      expect(await r.repo.linkPlatformUser(c.owner.id, 'slack', `U-${c.tag}`, how)).toBe('already');
      expect(await r.repo.linkPlatformUser(c.deputy.id, 'slack', `U-${c.tag}`, how)).toBe('conflict');
      expect(await r.repo.linkPlatformUser(c.owner.id, 'slack', `U2-${c.tag}`, how)).toBe('conflict');
      expect(await r.repo.linkPlatformUser(c.owner.id, 'teams', `aad-${c.tag}`, how)).toBe('linked');
      expect(await r.repo.linkPlatformUser(c.owner.id, 'console', 'anything', how)).toBe('already');
      expect((await r.repo.person(c.owner.id))?.identities).toEqual({ slack: `U-${c.tag}`, teams: `aad-${c.tag}` });
      expect((await r.repo.personByPlatformUser('slack', `U-${c.tag}`))?.id).toBe(c.owner.id);
      expect(await r.repo.personByPlatformUser('slack', `U2-${c.tag}`)).toBeNull();
      expect((await r.repo.person(c.deputy.id))?.identities).toEqual({});
    });

    it('takes people on the console by e-mail, name or a platform id', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.linkPlatformUser(c.officer.id, 'slack', `UO-${c.tag}`, { linkedBy: 'cli', at: AT });
      expect((await r.repo.personByPlatformUser('console', `owner-${c.tag}@COUNCIL.example`))?.id).toBe(c.owner.id);
      expect((await r.repo.personByPlatformUser('console', c.deputy.displayName.toLowerCase()))?.id).toBe(c.deputy.id);
      expect((await r.repo.personByPlatformUser('console', `UO-${c.tag}`))?.id).toBe(c.officer.id);
      expect(await r.repo.personByPlatformUser('console', `nobody ${c.tag}`)).toBeNull();
    });

    it('keeps an absence until it is cleared', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.setAbsence(c.owner.id, '2018-03-01');
      expect((await r.repo.person(c.owner.id))?.absentUntil).toBe('2018-03-01');
      await r.repo.setAbsence(c.owner.id, null);
      expect((await r.repo.person(c.owner.id))?.absentUntil).toBeNull();
    });
  });

  describe('correcting people', () => {
    const by = { at: AT, actorId: null, actorLabel: 'cli:priya@council.example' };
    const write = (reg: unknown) => r.repo.writeRegister(registerSchema.parse(reg), { source: 'import:people.xlsx', at: AT, actorId: null, actorLabel: 'cli' });
    const audits = async (action: string, entityId: number) => (await r.auditLog()).filter((a) => a.action === action && a.entityId === String(entityId));

    it('keeps an id from a sheet unconfirmed: nobody is taken as it, a confirmed link replaces it, and a sheet never replaces a confirmed one', async () => {
      const c = await aCouncil(r.repo);
      await write({ people: [{ displayName: c.owner.displayName, email: c.owner.email, identities: { slack: `ULUCY-${c.tag}` } }] });
      expect(await r.repo.person(c.owner.id)).toMatchObject({ identities: {}, unconfirmed: { slack: `ULUCY-${c.tag}` } });
      expect(await r.repo.personByPlatformUser('slack', `ULUCY-${c.tag}`)).toBeNull();
      // The person's own first contact (their real id) replaces the placeholder.
      expect(await r.repo.linkPlatformUser(c.owner.id, 'slack', `UREAL-${c.tag}`, { linkedBy: 'first-contact', at: AT })).toBe('linked');
      const owner = await r.repo.person(c.owner.id);
      expect(owner?.identities).toEqual({ slack: `UREAL-${c.tag}` });
      expect(owner?.unconfirmed).toBeUndefined();
      // The same sheet again changes nothing: the confirmed link stands.
      await write({ people: [{ displayName: c.owner.displayName, email: c.owner.email, identities: { slack: `ULUCY-${c.tag}` } }] });
      expect((await r.repo.person(c.owner.id))?.identities).toEqual({ slack: `UREAL-${c.tag}` });
      // Someone else's unconfirmed id gives way to the person the platform confirmed it is.
      await write({ people: [{ displayName: c.deputy.displayName, email: c.deputy.email, identities: { slack: `UOFFICER-${c.tag}` } }] });
      expect(await r.repo.linkPlatformUser(c.officer.id, 'slack', `UOFFICER-${c.tag}`, { linkedBy: 'lookup', at: AT })).toBe('linked');
      expect((await r.repo.person(c.deputy.id))?.unconfirmed).toBeUndefined();
      // And an unconfirmed id the platform denies is forgotten.
      await write({ people: [{ displayName: c.director.displayName, email: c.director.email, identities: { slack: `UNOBODY-${c.tag}` } }] });
      await r.repo.forgetUnconfirmed(c.director.id, 'slack');
      expect((await r.repo.person(c.director.id))?.unconfirmed).toBeUndefined();
    });

    it('changes an address given the one it had: the same person, their indicators still theirs, audited; twice changes nothing', async () => {
      const c = await aCouncil(r.repo);
      const fixed = `owner.fixed-${c.tag}@council.example`;
      const reg = { people: [{ displayName: c.owner.displayName, email: fixed, previousEmail: c.owner.email }] };
      const s = await write(reg);
      expect(s).toMatchObject({ people: { created: 0, updated: 1 }, emailChanges: [{ name: c.owner.displayName, from: c.owner.email, to: fixed }] });
      expect(await r.repo.personByEmail(c.owner.email!)).toBeNull();
      expect((await r.repo.personByEmail(fixed))?.id).toBe(c.owner.id);
      expect((await r.repo.indicator(c.absence.id))?.ownerId).toBe(c.owner.id);
      expect(await audits('person.edit', c.owner.id)).toMatchObject([{ actorLabel: 'cli', details: { changes: { email: { from: c.owner.email, to: fixed } }, source: 'import:people.xlsx' } }]);
      expect(await write(reg)).toMatchObject({ people: { created: 0, updated: 0 }, emailChanges: [] });
    });

    it('edits a person (audited): a new address forgets old lookups; an address or id that is someone else’s is refused', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.recordLookup(c.owner.id, 'slack', 'not_found', 'no Slack member has the e-mail', AT);
      await r.repo.linkPlatformUser(c.deputy.id, 'slack', `UDEP-${c.tag}`, { linkedBy: 'lookup', at: AT });
      const fixed = `owner-${c.tag}@council.example.org`;
      const p = await r.repo.editPerson(c.owner.id, { email: fixed, displayName: 'Olu Adeyemi', deputyId: null, role: 'director', identities: { teams: `aad-${c.tag}` } }, by);
      expect(p).toMatchObject({ id: c.owner.id, email: fixed, displayName: 'Olu Adeyemi', deputyId: null, role: 'director', identities: { teams: `aad-${c.tag}` } });
      expect(await r.repo.identityLookups([c.owner.id])).toEqual([]);
      const [edit] = await audits('person.edit', c.owner.id);
      expect(edit).toMatchObject({ actorLabel: by.actorLabel, details: { changes: { email: { from: c.owner.email, to: fixed }, displayName: { to: 'Olu Adeyemi' }, deputyId: { from: c.deputy.id, to: null }, role: { from: 'officer', to: 'director' }, 'teams id': { from: null, to: `aad-${c.tag}` } } } });
      await expect(r.repo.editPerson(c.owner.id, { email: c.officer.email! }, by)).rejects.toThrow(ConflictError);
      await expect(r.repo.editPerson(c.owner.id, { identities: { slack: `UDEP-${c.tag}` } }, by)).rejects.toThrow(/already/);
      expect((await r.repo.person(c.owner.id))?.email).toBe(fixed);
      // Nothing to change: nothing audited.
      await r.repo.editPerson(c.owner.id, { displayName: 'Olu Adeyemi' }, by);
      expect(await audits('person.edit', c.owner.id)).toHaveLength(1);
    });

    it('merges a duplicate into the person kept: indicators, deputyships, themes, links and history move; the duplicate stays, inactive (audited)', async () => {
      const c = await aCouncil(r.repo);
      // The owner's address was mistyped; an import with the right one made a second person, who wrote to the bot.
      const right = `owner-${c.tag}@council.example.org`;
      await write({ people: [{ displayName: c.owner.displayName, email: right }] });
      const kept = (await r.repo.personByEmail(right))!;
      await r.repo.linkPlatformUser(kept.id, 'slack', `UREAL-${c.tag}`, { linkedBy: 'first-contact', at: AT });
      await r.repo.editPerson(c.officer.id, { deputyId: c.owner.id }, by);
      await r.repo.saveObservation(value(c.absence.id, '2017/18 Q3', 10.3, { submittedById: c.owner.id, replacesVersion: 1, correctionReason: 'recount' }));
      const h = await r.repo.mergePeople(c.owner.id, kept.id, by);
      expect(h).toMatchObject({ indicatorsOwned: 2, indicatorsDeputised: 0, deputyFor: 1, identitiesMoved: [], values: 1 });
      expect(await r.repo.indicator(c.absence.id)).toMatchObject({ ownerId: kept.id, deputyId: c.deputy.id });
      expect((await r.repo.indicator(c.cleanliness.id))?.ownerId).toBe(kept.id);
      expect(await r.repo.person(c.owner.id)).toMatchObject({ active: false, successorId: kept.id, deputyId: null, identities: {} });
      // The owner's deputy is the kept person's now; the officer's deputy was the duplicate, and is the kept person.
      expect(await r.repo.person(kept.id)).toMatchObject({ active: true, deputyId: c.deputy.id, identities: { slack: `UREAL-${c.tag}` } });
      expect((await r.repo.person(c.officer.id))?.deputyId).toBe(kept.id);
      expect((await r.repo.observationVersions(c.absence.id, '2017/18 Q3'))[0]?.submittedById).toBe(kept.id);
      expect(await audits('person.merge', c.owner.id)).toMatchObject([{ actorLabel: by.actorLabel, details: { person: { email: c.owner.email }, into: { id: kept.id, email: right }, indicatorsOwned: 2, values: 1 } }]);
      // A director merged into them: the theme follows; a link the kept person already has there is dropped, the others move.
      await r.repo.linkPlatformUser(c.director.id, 'slack', `UDIR-${c.tag}`, { linkedBy: 'lookup', at: AT });
      await r.repo.linkPlatformUser(c.director.id, 'teams', `aad-dir-${c.tag}`, { linkedBy: 'roster', at: AT });
      expect(await r.repo.mergePeople(c.director.id, kept.id, by)).toMatchObject({ themesDirected: 1, identitiesMoved: ['teams'], identitiesDropped: [{ platform: 'slack', userId: `UDIR-${c.tag}` }] });
      expect((await r.repo.themes()).find((t) => t.id === c.theme.id)?.directorId).toBe(kept.id);
      expect(await r.repo.personByPlatformUser('slack', `UDIR-${c.tag}`)).toBeNull();
      expect((await r.repo.personByPlatformUser('teams', `aad-dir-${c.tag}`))?.id).toBe(kept.id);
    });

    it('retires a person: indicators, deputyships and themes handed over, links removed, inactive and no longer found by their id (audited)', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.linkPlatformUser(c.owner.id, 'slack', `UOWN-${c.tag}`, { linkedBy: 'lookup', at: AT });
      const h = await r.repo.retirePerson(c.owner.id, c.deputy.id, by);
      expect(h).toMatchObject({ indicatorsOwned: 2, indicatorsDeputised: 0, identitiesMoved: ['slack'] });
      // The deputy owns the absence indicator now, and is not their own deputy.
      expect(await r.repo.indicator(c.absence.id)).toMatchObject({ ownerId: c.deputy.id, deputyId: null });
      expect(await r.repo.person(c.owner.id)).toMatchObject({ active: false, successorId: c.deputy.id, identities: {}, deputyId: null });
      expect(await r.repo.personByPlatformUser('slack', `UOWN-${c.tag}`)).toBeNull();
      expect(await audits('person.retire', c.owner.id)).toMatchObject([{ actorLabel: by.actorLabel, details: { person: { id: c.owner.id }, handedTo: { id: c.deputy.id }, indicatorsOwned: 2 } }]);
      // A deputy retiring: their deputyships go to the person named, an indicator with no owner too.
      await write({ indicators: [{ slug: `orphan-${c.tag}`, name: 'No owner yet', polarity: 'higher', frequency: 'annual', deputyEmail: c.officer.email }] });
      await r.repo.editPerson(c.admin.id, { deputyId: c.officer.id }, by);
      expect(await r.repo.retirePerson(c.officer.id, c.director.id, by)).toMatchObject({ indicatorsOwned: 1, indicatorsDeputised: 1, deputyFor: 1 });
      expect((await r.repo.indicatorBySlug(`orphan-${c.tag}`))?.deputyId).toBe(c.director.id);
      expect((await r.repo.indicator(c.visits.id))?.ownerId).toBe(c.director.id);
      // Someone with nothing to hand over: their deputyships just end.
      await r.repo.editPerson(c.officer.id, { active: true }, by);
      await r.repo.editPerson(c.officer.id, { deputyId: c.admin.id }, by);
      expect(await r.repo.retirePerson(c.admin.id, null, by)).toMatchObject({ deputyFor: 1 });
      expect((await r.repo.person(c.officer.id))?.deputyId).toBeNull();
    });
  });

  describe('looking people up', () => {
    const t0 = new Date('2018-02-01T10:00:00Z');
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    const opts = (now: Date, force = false) => ({ notFoundBefore: new Date(now.getTime() - 24 * 3600_000), failedBefore: new Date(now.getTime() - 15 * 60_000), claimUntil: new Date(now.getTime() + 60_000), force });

    it('gives a lookup to one claimer at a time, and asks again about a not-found only after a day', async () => {
      const c = await aCouncil(r.repo);
      const id = c.officer.id;
      expect(await r.repo.claimLookup(id, 'slack', 'a', t0, opts(t0))).toBe(true);
      expect(await r.repo.claimLookup(id, 'slack', 'b', at(0.5), opts(at(0.5)))).toBe(false);
      expect(await r.repo.claimLookup(id, 'teams', 'b', at(0.5), opts(at(0.5)))).toBe(true);
      await r.repo.recordLookup(id, 'slack', 'not_found', 'no Slack member', at(1));
      expect(await r.repo.claimLookup(id, 'slack', 'b', at(2), opts(at(2)))).toBe(false);
      expect(await r.repo.claimLookup(id, 'slack', 'b', at(2), opts(at(2), true))).toBe(true);
      await r.repo.recordLookup(id, 'slack', 'not_found', 'still not', at(3));
      expect(await r.repo.claimLookup(id, 'slack', 'b', at(60 * 25), opts(at(60 * 25)))).toBe(true);
      const [slack] = (await r.repo.identityLookups([id])).filter((l) => l.platform === 'slack');
      expect(slack).toEqual({ personId: id, platform: 'slack', outcome: 'not_found', detail: 'still not', lookedUpAt: at(3), reportedAt: null });
    });

    it('asks again after a failure within minutes; a report is marked, and found again clears it', async () => {
      const c = await aCouncil(r.repo);
      const id = c.officer.id;
      await r.repo.recordLookup(id, 'slack', 'failed', 'Slack is down', t0);
      expect(await r.repo.claimLookup(id, 'slack', 'a', at(5), opts(at(5)))).toBe(false);
      expect(await r.repo.claimLookup(id, 'slack', 'a', at(16), opts(at(16)))).toBe(true);
      await r.repo.recordLookup(id, 'slack', 'not_found', 'gone', at(17));
      await r.repo.markLookupsReported([id], ['slack'], at(18));
      expect((await r.repo.identityLookups([id]))[0]?.reportedAt).toEqual(at(18));
      await r.repo.recordLookup(id, 'slack', 'found', null, at(19));
      expect((await r.repo.identityLookups([id]))[0]).toMatchObject({ outcome: 'found', reportedAt: null });
    });
  });

  describe('the outbox and deliveries', () => {
    it('queues a key once, says who could not be reached, and gives each person their last delivery', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.linkPlatformUser(c.owner.id, 'slack', `UOWN-${c.tag}`, { linkedBy: 'cli', at: AT });
      const msg = { text: 'hello', blocks: [] };
      expect(await r.outbox.enqueue({ key: `k1-${c.tag}`, purpose: 'chase-data', to: { kind: 'person', personId: c.owner.id }, message: msg }, AT)).toBe(true);
      expect(await r.outbox.enqueue({ key: `k1-${c.tag}`, purpose: 'chase-data', to: { kind: 'person', personId: c.owner.id }, message: msg }, AT)).toBe(false);
      expect(await r.outbox.has(`k1-${c.tag}`)).toBe(true);
      await r.outbox.enqueue({ key: `k2-${c.tag}`, purpose: 'weekly-digest', to: { kind: 'person', personId: c.director.id }, message: msg }, AT);
      await r.delivered(`k1-${c.tag}`, { state: 'sent', at: new Date('2018-02-01T09:05:00Z') });
      const last = await r.repo.lastDeliveries([c.owner.id, c.director.id, c.officer.id]);
      expect(last.get(c.owner.id)).toEqual({ personId: c.owner.id, platform: 'slack', state: 'sent', purpose: 'chase-data', at: new Date('2018-02-01T09:05:00Z'), error: null });
      expect(last.get(c.director.id)).toMatchObject({ platform: null, state: 'undeliverable', purpose: 'weekly-digest', at: AT });
      expect(last.get(c.director.id)?.error).toContain(c.director.displayName);
      expect(last.has(c.officer.id)).toBe(false);
    });

    it('counts a reminder only when its message was not given up or undeliverable; each (kind, indicator, period, day) once', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.linkPlatformUser(c.owner.id, 'slack', `UR-${c.tag}`, { linkedBy: 'cli', at: AT });
      const msg = { text: 'chase', blocks: [] };
      for (const k of ['sent', 'dead', 'pending']) await r.outbox.enqueue({ key: `${k}-${c.tag}`, purpose: 'chase-data', to: { kind: 'person', personId: c.owner.id }, message: msg }, AT);
      await r.outbox.enqueue({ key: `lost-${c.tag}`, purpose: 'chase-data', to: { kind: 'person', personId: c.director.id }, message: msg }, AT);
      await r.delivered(`sent-${c.tag}`, { state: 'sent', at: AT });
      await r.delivered(`dead-${c.tag}`, { state: 'dead', error: 'channel_not_found' });
      const base = { kind: 'data' as const, indicatorId: c.absence.id, personId: c.owner.id, level: 0 };
      const rows = [
        { ...base, periodKey: '2017/18 Q3', sentOn: '2018-02-01', messageKey: `sent-${c.tag}` },
        { ...base, periodKey: '2017/18 Q3', sentOn: '2018-02-01', messageKey: `pending-${c.tag}` },
        { ...base, periodKey: '2017/18 Q3', sentOn: '2018-02-02', messageKey: `dead-${c.tag}` },
        { ...base, periodKey: '2017/18 Q3', sentOn: '2018-02-03', messageKey: `pending-${c.tag}` },
        { ...base, periodKey: '2017/18 Q3', sentOn: '2018-02-04', messageKey: `lost-${c.tag}`, personId: c.director.id, level: 2 },
        { ...base, periodKey: '2017/18 Q2', sentOn: '2018-02-01', messageKey: null },
      ];
      expect(await r.repo.recordReminders(rows)).toBe(5);
      expect(await r.repo.recordReminders(rows.slice(0, 1))).toBe(0);
      const counted = await r.repo.reminders('data', [c.absence.id]);
      expect(counted.map((x) => [x.periodKey, x.sentOn, x.messageKey])).toEqual([
        ['2017/18 Q3', '2018-02-01', `sent-${c.tag}`],
        ['2017/18 Q3', '2018-02-03', `pending-${c.tag}`],
        ['2017/18 Q2', '2018-02-01', null],
      ]);
      expect(await r.repo.reminders('exception', [c.absence.id])).toEqual([]);
      // Who was reminded since a day: only by a message that was not given up or undeliverable.
      const since = await r.repo.peopleRemindedSince('2018-02-02');
      expect([since.has(c.owner.id), since.has(c.director.id)]).toEqual([true, false]);
      expect((await r.repo.peopleRemindedSince('2018-02-04')).has(c.owner.id)).toBe(false);
    });
  });

  describe('channel subscriptions', () => {
    it('keeps one subscription per channel and scope: created, unchanged, updated, removed', async () => {
      const c = await aCouncil(r.repo);
      const ch = `C-${c.tag}`;
      const sub = { platform: 'slack' as const, channelId: ch, themeId: c.theme.id, indicatorId: null, events: ['red' as const], channelName: 'perf', createdById: c.admin.id };
      expect(await r.repo.subscribe(sub)).toBe('created');
      expect(await r.repo.subscribe({ ...sub, events: ['red', 'red'], channelName: null })).toBe('unchanged');
      expect(await r.repo.subscribe({ ...sub, events: ['recovered', 'red'] })).toBe('updated');
      expect(await r.repo.subscribe({ ...sub, themeId: null, indicatorId: c.absence.id, events: [] })).toBe('created');
      expect(await r.repo.channelSubscriptions({ platform: 'slack', channelId: ch })).toEqual([
        { platform: 'slack', channelId: ch, themeId: c.theme.id, indicatorId: null, events: ['recovered', 'red'], channelName: 'perf' },
        { platform: 'slack', channelId: ch, themeId: null, indicatorId: c.absence.id, events: [], channelName: 'perf' },
      ]);
      expect(await r.repo.channelSubscriptions({ platform: 'teams', channelId: ch })).toEqual([]);
      expect(await r.repo.unsubscribe('slack', ch, { themeId: c.theme.id, indicatorId: null })).toBe(true);
      expect(await r.repo.unsubscribe('slack', ch, { themeId: c.theme.id, indicatorId: null })).toBe(false);
      expect((await r.repo.channelSubscriptions({ channelId: ch })).map((s) => s.indicatorId)).toEqual([c.absence.id]);
    });
  });

  describe('indicators', () => {
    it('reads an indicator with its theme and director, by id or by slug in any case', async () => {
      const c = await aCouncil(r.repo);
      expect(c.absence).toMatchObject({ ref: `BV ${c.tag} 12i`, themeId: c.theme.id, themeName: `Theme ${c.tag}`, ownerId: c.owner.id, deputyId: c.deputy.id, directorId: c.director.id, unit: 'days', polarity: 'lower', frequency: 'quarterly', decimals: 2, tolerance: null, maintainedBand: null, baseline: { value: null, period: null, text: null } });
      expect(await r.repo.indicator(c.absence.id)).toEqual(c.absence);
      expect(await r.repo.indicatorBySlug(c.absence.slug.toUpperCase())).toEqual(c.absence);
      expect(await r.repo.indicatorBySlug(`nothing-${c.tag}`)).toBeNull();
    });

    it('lists by theme, owner or deputy, or director; the inactive only when asked', async () => {
      const c = await aCouncil(r.repo, (tag) => ({ indicators: [{ slug: `retired-${tag}`, name: 'Retired', polarity: 'none', frequency: 'annual', active: false }] }));
      const slugs = (l: { slug: string }[]) => l.map((i) => i.slug);
      expect(slugs(await r.repo.indicators({ themeId: c.theme.id }))).toEqual([c.absence.slug, c.cleanliness.slug, c.visits.slug]);
      expect(slugs(await r.repo.indicators({ personId: c.deputy.id }))).toEqual([c.absence.slug]);
      expect(slugs(await r.repo.indicators({ personId: c.owner.id }))).toEqual([c.absence.slug, c.cleanliness.slug]);
      expect(slugs(await r.repo.indicators({ directorId: c.director.id }))).toEqual([c.absence.slug, c.cleanliness.slug, c.visits.slug]);
      expect(slugs(await r.repo.indicators())).not.toContain(`retired-${c.tag}`);
      expect(slugs(await r.repo.indicators({ activeOnly: false }))).toContain(`retired-${c.tag}`);
      const all = await r.repo.indicators();
      const themeOrder = all.map((i) => i.themeId ?? Infinity);
      expect(themeOrder).toEqual([...themeOrder].sort((a, b) => a - b));
    });

    it('ranks what a person typed: the slug, then the reference without its spaces, then parts of the name', async () => {
      const c = await aCouncil(r.repo);
      const slugs = async (q: string, filter = {}) => (await r.repo.searchIndicators(q, 10, filter)).map((i) => i.slug);
      expect(await slugs(c.absence.slug)).toEqual([c.absence.slug]);
      expect(await slugs(`bv${c.tag}12i`)).toEqual([c.absence.slug]);
      expect(await slugs(`library ${c.tag}`)).toEqual([c.visits.slug]);
      expect(await slugs(`${c.tag}`, { themeId: c.theme.id })).toEqual([c.absence.slug, c.cleanliness.slug, c.visits.slug]);
      expect(await slugs(`visits-${c.tag}`, { personId: c.owner.id })).toEqual([]);
      expect(await slugs('', { themeId: c.theme.id })).toEqual([c.absence.slug, c.cleanliness.slug, c.visits.slug]);
      expect(await slugs(`zzz-${c.tag}`)).toEqual([]);
    });
  });

  describe('values', () => {
    it('keeps every version of a period; the history has the latest of each, oldest period first', async () => {
      const c = await aCouncil(r.repo);
      const first = await r.repo.saveObservation(value(c.cleanliness.id, '2017/18 Q2', 80, { submittedById: c.owner.id, submittedByLabel: 'slack:UO' }));
      expect(first).toMatchObject({ indicatorId: c.cleanliness.id, periodKey: '2017/18 Q2', version: 1, value: 80, correctionReason: null, submittedById: c.owner.id, submittedByLabel: 'slack:UO', submittedAt: AT });
      await r.repo.saveObservation(value(c.cleanliness.id, '2017/18 Q1', 79));
      const second = await r.repo.saveObservation(value(c.cleanliness.id, '2017/18 Q2', 81.5, { replacesVersion: 1, correctionReason: 'resurvey', estimated: true, note: 'spring' }));
      expect(second).toMatchObject({ version: 2, value: 81.5, estimated: true, note: 'spring', correctionReason: 'resurvey' });
      const h = await r.repo.history(c.cleanliness.id);
      expect(h.observations.map((o) => [o.periodKey, o.version, o.value])).toEqual([
        ['2017/18 Q1', 1, 79],
        ['2017/18 Q2', 2, 81.5],
      ]);
      expect(h.targets).toEqual([{ indicatorId: c.cleanliness.id, periodKey: '2017/18 Q4', value: 85, amberFloor: 82, text: null }]);
      expect((await r.repo.observationVersions(c.cleanliness.id, '2017/18 Q2')).map((o) => o.version)).toEqual([2, 1]);
      const many = await r.repo.histories([c.cleanliness.id, c.visits.id, 999_999]);
      expect([...many.keys()]).toEqual([c.cleanliness.id, c.visits.id, 999_999]);
      expect(many.get(999_999)).toEqual({ observations: [], targets: [] });
      expect(many.get(c.visits.id)?.observations).toHaveLength(9);
      const audit = (await r.auditLog()).filter((a) => a.entity === 'observation' && (a.details as { indicatorId?: number }).indicatorId === c.cleanliness.id);
      expect(audit.map((a) => a.action)).toEqual(['observation.submit', 'observation.submit', 'observation.correct']);
      expect(audit[2]).toMatchObject({ entityId: String(second.id), details: { periodKey: '2017/18 Q2', version: 2, value: 81.5, reason: 'resurvey', estimated: true } });
    });

    it('refuses a save that names a stale version, or replaces a value that is not there', async () => {
      const c = await aCouncil(r.repo);
      await expect(r.repo.saveObservation(value(c.absence.id, '2017/18 Q3', 9, { replacesVersion: null }))).rejects.toThrow(/now version 1/);
      await expect(r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 9, { replacesVersion: 1 }))).rejects.toThrow(ConflictError);
      await expect(r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 9, { replacesVersion: 1 }))).rejects.toThrow(/no longer there/);
      expect((await r.repo.observationVersions(c.absence.id, '2017/18 Q3')).map((o) => o.value)).toEqual([10.49]);
    });

    it('checks in the save that the submitter may still submit: owner, deputy or an active admin', async () => {
      const c = await aCouncil(r.repo);
      const by = (id: number) => ({ submittedById: id, submittedByLabel: `test:${id}` });
      await expect(r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 9, by(c.officer.id)))).rejects.toThrow(PermissionError);
      await expect(r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 9, by(c.director.id)))).rejects.toThrow(/can no longer submit/);
      expect((await r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 9, by(c.deputy.id)))).version).toBe(1);
      expect((await r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 9.1, { ...by(c.admin.id), replacesVersion: 1 }))).version).toBe(2);
      await expect(r.repo.saveObservation(value(999_999, '2017/18 Q4', 9, by(c.admin.id)))).rejects.toThrow(PermissionError);
    });
  });

  describe('sign-off', () => {
    // Each case signs off its own financial year: locks cover every indicator.
    it('signs a quarter off once, with the values it had, and locks its months too', async () => {
      const c = await aCouncil(r.repo);
      const q = periodFromKey('2010/11 Q1');
      await r.repo.saveObservation(value(c.visits.id, '2010-04', 5));
      await r.repo.saveObservation(value(c.absence.id, '2010/11 Q1', 7));
      const closed = await r.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: c.admin.id, actorLabel: 'slack:UA', at: AT });
      expect(closed).toEqual({ created: true, lock: { periodKey: '2010/11 Q1', periodStart: '2010-04-01', periodEnd: '2010-06-30', closedAt: AT, closedById: c.admin.id } });
      const again = await r.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: c.owner.id, actorLabel: 'x', at: new Date('2018-03-01T00:00:00Z') });
      expect(again).toEqual({ created: false, lock: closed.lock });
      expect((await r.repo.periodLocks()).filter((l) => l.periodKey === '2010/11 Q1')).toEqual([closed.lock]);
      const may = periodFromKey('2010-05');
      expect(await r.repo.lockCovering(may.start, may.end)).toEqual(closed.lock);
      const july = periodFromKey('2010-07');
      expect(await r.repo.lockCovering(july.start, july.end)).toBeNull();
      const audit = (await r.auditLog()).filter((a) => a.action === 'period.close' && a.entityId === '2010/11 Q1');
      expect(audit).toEqual([{ at: AT, actorId: c.admin.id, actorLabel: 'slack:UA', action: 'period.close', entity: 'period', entityId: '2010/11 Q1', details: { periodStart: '2010-04-01', periodEnd: '2010-06-30', values: 2 } }]);
    });

    it('locks a year once its four quarters are signed off, by the latest of them', async () => {
      const year = periodFromKey('2011/12');
      for (const [i, q] of ['2011/12 Q1', '2011/12 Q2', '2011/12 Q3'].entries()) {
        const p = periodFromKey(q);
        await r.repo.closePeriod({ periodKey: p.key, periodStart: p.start, periodEnd: p.end, closedById: null, actorLabel: 'cli', at: new Date(AT.getTime() + i * 1000) });
        expect(await r.repo.lockCovering(year.start, year.end)).toBeNull();
      }
      const q4 = periodFromKey('2011/12 Q4');
      await r.repo.closePeriod({ periodKey: q4.key, periodStart: q4.start, periodEnd: q4.end, closedById: null, actorLabel: 'cli', at: new Date(AT.getTime() + 10_000) });
      expect((await r.repo.lockCovering(year.start, year.end))?.periodKey).toBe('2011/12 Q4');
    });

    it('takes a value in a signed-off period only from a performance admin with a reason (audited), or the system with one', async () => {
      const c = await aCouncil(r.repo);
      const q = periodFromKey('2012/13 Q2');
      await r.repo.saveObservation(value(c.absence.id, q.key, 7, { submittedById: c.owner.id }));
      await r.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: c.admin.id, actorLabel: 'cli', at: AT });
      const by = (id: number, reason: string | null) => ({ submittedById: id, submittedByLabel: `test:${id}`, replacesVersion: 1, correctionReason: reason });
      await expect(r.repo.saveObservation(value(c.absence.id, q.key, 8, by(c.owner.id, 'typo')))).rejects.toThrow(LockedPeriodSaveError);
      await expect(r.repo.saveObservation(value(c.absence.id, q.key, 8, by(c.admin.id, '  ')))).rejects.toThrow(/signed off on 2018-02-01 meanwhile/);
      await expect(r.repo.saveObservation(value(c.absence.id, q.key, 8, { replacesVersion: 1 }))).rejects.toThrow(/needs the reason/);
      const saved = await r.repo.saveObservation(value(c.absence.id, q.key, 8, by(c.admin.id, 'payroll re-run')));
      expect(saved).toMatchObject({ version: 2, correctionReason: 'payroll re-run' });
      expect((await r.repo.saveObservation(value(c.absence.id, q.key, 8.2, { replacesVersion: 2, correctionReason: 'system fix' }))).version).toBe(3);
      const audit = (await r.auditLog()).filter((a) => a.entityId === String(saved.id));
      expect(audit).toMatchObject([{ action: 'observation.correct-locked', actorId: c.admin.id, details: { lock: q.key, reason: 'payroll re-run' } }]);
    });
    it('keeps the report a quarter was signed off with, and what it covered per indicator', async () => {
      const c = await aCouncil(r.repo);
      const q = periodFromKey('2014/15 Q2');
      const report = { format: 1, counts: { reported: 2 }, signOff: { at: { $date: AT.toISOString() } }, rows: [{ slug: c.absence.slug, value: 83.8 }] };
      const covered = [
        { indicatorId: c.visits.id, periodKey: '2014-07', version: 1 },
        { indicatorId: c.absence.id, periodKey: '2014/15 Q2', version: null },
        { indicatorId: c.visits.id, periodKey: '2014-08', version: null },
      ];
      const closed = await r.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: c.admin.id, actorLabel: 'cli', at: AT }, { takenAt: AT, report, covered });
      expect(closed.created).toBe(true);
      expect(await r.repo.quarterSnapshot(q.key)).toEqual({
        quarterKey: q.key,
        takenAt: AT,
        report,
        covered: [covered[1], covered[0], covered[2]].sort((a, b) => a!.indicatorId - b!.indicatorId || (a!.periodKey < b!.periodKey ? -1 : 1)),
      });
      // A second sign-off changes nothing, its report included.
      await r.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: null, actorLabel: 'x', at: AT }, { takenAt: AT, report: { other: true }, covered: [] });
      expect((await r.repo.quarterSnapshot(q.key))?.report).toEqual(report);
      // Signed off without a report (before reports were kept), or not at all: none.
      const q3 = periodFromKey('2014/15 Q3');
      await r.repo.closePeriod({ periodKey: q3.key, periodStart: q3.start, periodEnd: q3.end, closedById: null, actorLabel: 'cli', at: AT });
      expect(await r.repo.quarterSnapshot(q3.key)).toBeNull();
      expect(await r.repo.quarterSnapshot('2014/15 Q4')).toBeNull();
    });

    it('holds a year the signed-off reports cover: while it runs, once printed, once its last report is signed off', async () => {
      const c = await aCouncil(r.repo, (tag) => ({
        indicators: [{ slug: `survey-${tag}`, name: `Residents survey ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: '%', polarity: 'higher', frequency: 'annual' }],
      }));
      const survey = (await r.repo.indicatorBySlug(`survey-${c.tag}`))!;
      const close = (key: string, printed: number | null, at = AT) => {
        const p = periodFromKey(key);
        return r.repo.closePeriod(
          { periodKey: p.key, periodStart: p.start, periodEnd: p.end, closedById: c.admin.id, actorLabel: 'cli', at },
          { takenAt: at, report: { format: 1 }, covered: [{ indicatorId: survey.id, periodKey: p.key.slice(0, 7), version: printed }] },
        );
      };
      const owner = (periodKey: string, at: Date, over: Partial<NewObservation> = {}) => value(survey.id, periodKey, 71, { submittedById: c.owner.id, submittedByLabel: 'slack:UO', submittedAt: at, ...over });
      const inYear = new Date('2015-12-01T10:00:00Z');
      const yearEnded = new Date('2016-05-03T10:00:00Z');
      // 2015/16 Q2 signed off, "Reported annually": the year is held while it runs, not once it has ended.
      await close('2015/16 Q2', null, new Date('2015-10-20T09:00:00Z'));
      expect(await r.repo.signOffHold(survey.id, '2015/16', inYear)).toMatchObject({ periodKey: '2015/16 Q2', reason: 'year-running' });
      await expect(r.repo.saveObservation(owner('2015/16', inYear))).rejects.toThrow(/2015\/16 is covered by the 2015\/16 Q2 report, signed off on 2015-10-20, and has not ended yet meanwhile/);
      expect(await r.repo.signOffHold(survey.id, '2015/16', yearEnded)).toBeNull();
      expect(await r.repo.saveObservation(owner('2015/16', yearEnded))).toMatchObject({ version: 1, value: 71 });
      // 2015/16 Q3 signed off printing that value: changing it needs a performance admin and a reason.
      await close('2015/16 Q3', 1, new Date('2016-05-10T09:00:00Z'));
      const later = new Date('2016-05-20T10:00:00Z');
      expect(await r.repo.signOffHold(survey.id, '2015/16', later)).toMatchObject({ periodKey: '2015/16 Q3', reason: 'printed' });
      await expect(r.repo.saveObservation(owner('2015/16', later, { replacesVersion: 1 }))).rejects.toThrow(LockedPeriodSaveError);
      const fixed = await r.repo.saveObservation(owner('2015/16', later, { replacesVersion: 1, submittedById: c.admin.id, correctionReason: 'survey reweighted' }));
      expect(fixed).toMatchObject({ version: 2, correctionReason: 'survey reweighted' });
      const audit = (await r.auditLog()).filter((a) => a.entityId === String(fixed.id));
      expect(audit).toMatchObject([{ action: 'observation.correct-locked', details: { lock: '2015/16 Q3', held: 'printed' } }]);
      // Another indicator's value for that year, never printed: the year has ended, its last report (Q4) is open.
      expect(await r.repo.signOffHold(c.absence.id, '2015/16', later)).toBeNull();
      // 2016/17: only its Q4, the last report showing the year, signed off: held from then on.
      await close('2016/17 Q4', null, new Date('2017-05-10T09:00:00Z'));
      expect(await r.repo.signOffHold(survey.id, '2016/17', new Date('2017-06-01T09:00:00Z'))).toMatchObject({ periodKey: '2016/17 Q4', reason: 'last-report' });
      // A quarter's own value: signed off as it always was.
      expect(await r.repo.signOffHold(c.absence.id, '2015/16 Q2', later)).toMatchObject({ periodKey: '2015/16 Q2', reason: 'signed-off' });
      expect(await r.repo.signOffHold(c.absence.id, '2015/16 Q1', later)).toBeNull();
      // An import follows the same rule: the printed value is refused without a reason.
      const reg = registerSchema.parse({ values: [{ slug: survey.slug, observations: [{ periodKey: '2015/16', value: 73 }] }] });
      const refused = await r.repo.writeRegister(reg, { source: 'import:test.csv', at: later, actorId: null, actorLabel: 'cli' }).catch((e: unknown) => e);
      expect((refused as LockedPeriodError).items).toEqual([{ slug: survey.slug, periodKey: '2015/16', lockKey: '2015/16 Q3' }]);
      await expect(r.repo.writeRegister(reg, { source: 'import:test.csv', at: later, actorId: null, actorLabel: 'cli', lockedPeriodReason: 'final figures' })).resolves.toMatchObject({ lockedPeriodValues: 1 });
    });

    it('lists the versions saved after a time, oldest first', async () => {
      const c = await aCouncil(r.repo);
      const t = (min: number) => new Date(AT.getTime() + min * 60_000);
      await r.repo.saveObservation(value(c.visits.id, '2018-01', 5, { submittedAt: t(1) }));
      await r.repo.saveObservation(value(c.absence.id, '2017/18 Q4', 8, { submittedAt: t(3) }));
      await r.repo.saveObservation(value(c.visits.id, '2018-01', 6, { submittedAt: t(2), replacesVersion: 1 }));
      const since = await r.repo.observationVersionsSince(t(1), [c.visits.id, c.absence.id]);
      expect(since.map((v) => [v.periodKey, v.version, v.value])).toEqual([
        ['2018-01', 2, 6],
        ['2017/18 Q4', 1, 8],
      ]);
      expect(await r.repo.observationVersionsSince(t(1), [])).toEqual([]);
    });
  });

  describe('periods not collected', () => {
    it('marks a period for an indicator, a theme or every indicator; a second mark changes the reason; undone once; each audited', async () => {
      const c = await aCouncil(r.repo);
      const other = await aCouncil(r.repo);
      const who = { at: AT, actorId: c.admin.id, actorLabel: 'Admin' };
      const p = (key: string) => ({ periodKey: key, periodStart: periodFromKey(key).start, periodEnd: periodFromKey(key).end });
      const mark = { ...p('2016/17'), indicatorId: c.absence.id, themeId: null, reason: 'not measured before go-live', byId: c.admin.id, byLabel: 'Admin', at: AT };
      const first = await r.repo.markNotCollected(mark, who);
      expect(first).toMatchObject({ created: true, mark: { ...mark, id: expect.any(Number) } });
      const again = await r.repo.markNotCollected({ ...mark, reason: 'survey cancelled' }, who);
      expect(again).toEqual({ created: false, mark: { ...first.mark, reason: 'survey cancelled' } });
      await r.repo.markNotCollected({ ...mark, ...p('2017/18 Q1'), indicatorId: null, themeId: c.theme.id, reason: 'system migration' }, who);
      const everyone = await r.repo.markNotCollected({ ...mark, ...p('2009/10'), indicatorId: null, themeId: null, reason: 'before the register' }, who);
      const mine = await r.repo.notCollected({ indicatorIds: [c.absence.id] });
      expect(mine.map((m) => [m.periodKey, m.reason])).toEqual(expect.arrayContaining([['2016/17', 'survey cancelled'], ['2017/18 Q1', 'system migration'], ['2009/10', 'before the register']]));
      const theirs = await r.repo.notCollected({ indicatorIds: [other.absence.id] });
      expect(theirs.map((m) => m.periodKey)).toContain('2009/10');
      expect(theirs.map((m) => m.periodKey)).not.toContain('2016/17');
      expect(theirs.map((m) => m.periodKey)).not.toContain('2017/18 Q1');
      expect(await r.repo.unmarkNotCollected({ indicatorId: c.absence.id, themeId: null, periodKey: '2016/17' }, who)).toEqual({ ...first.mark, reason: 'survey cancelled' });
      expect(await r.repo.unmarkNotCollected({ indicatorId: c.absence.id, themeId: null, periodKey: '2016/17' }, who)).toBeNull();
      expect((await r.repo.notCollected({ indicatorIds: [c.absence.id] })).map((m) => m.periodKey)).not.toContain('2016/17');
      await r.repo.unmarkNotCollected({ indicatorId: null, themeId: null, periodKey: everyone.mark.periodKey }, who);
      const audit = (await r.auditLog()).filter((a) => a.entity === 'period' && a.actorId === c.admin.id && (a.details as { indicatorId?: number }).indicatorId === c.absence.id);
      expect(audit.map((a) => [a.action, a.entityId, (a.details as { reason: string }).reason])).toEqual([
        ['period.not-collected', '2016/17', 'not measured before go-live'],
        ['period.not-collected', '2016/17', 'survey cancelled'],
        ['period.collected', '2016/17', 'survey cancelled'],
      ]);
    });
  });

  describe('exception reports', () => {
    const report = (indicatorId: number, over: object = {}) => ({ indicatorId, periodKey: '2017/18 Q3', questions: ['Why?', 'What next?'], answers: ['a', 'b'], state: 'draft' as const, authorId: null, ...over });

    it('writes a report only at the version it read, and tells the loser how it stands now', async () => {
      const c = await aCouncil(r.repo);
      const first = await r.repo.saveExceptionReport(report(c.absence.id, { authorId: c.owner.id }), { expectedVersion: null });
      expect(first).toMatchObject({ version: 1, state: 'draft', authorId: c.owner.id, reviewerId: null, reviewComment: null, submittedAt: null, reviewedAt: null, chaseCount: 0, lastChasedAt: null });
      const lost = await r.repo.saveExceptionReport(report(c.absence.id, { answers: ['x', 'y'] }), { expectedVersion: null }).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(StaleReportError);
      expect((lost as StaleReportError).current).toMatchObject({ id: first.id, version: 1, answers: ['a', 'b'] });
      const submittedAt = new Date('2018-02-02T10:00:00Z');
      const second = await r.repo.saveExceptionReport(report(c.absence.id, { state: 'submitted', authorId: c.owner.id, submittedAt, reviewComment: null }), {
        expectedVersion: 1,
        audit: { at: submittedAt, actorId: c.owner.id, actorLabel: 'slack:UO', action: 'exception.submit', details: { note: 1 } },
      });
      expect(second).toMatchObject({ id: first.id, version: 2, state: 'submitted', submittedAt });
      const stale = await r.repo.saveExceptionReport(report(c.absence.id, { state: 'approved' }), { expectedVersion: 1 }).catch((e: unknown) => e);
      expect((stale as StaleReportError).current).toMatchObject({ version: 2, state: 'submitted' });
      // Fields not given are kept.
      const approved = await r.repo.saveExceptionReport({ ...report(c.absence.id, { state: 'approved', authorId: c.owner.id }), reviewerId: c.admin.id, reviewedAt: AT }, { expectedVersion: 2 });
      expect(approved).toMatchObject({ version: 3, state: 'approved', submittedAt, reviewerId: c.admin.id, reviewedAt: AT });
      expect(await r.repo.exceptionReportById(first.id)).toEqual(approved);
      expect(await r.repo.exceptionReport(c.absence.id, '2017/18 Q3')).toEqual(approved);
      expect(await r.repo.exceptionReport(c.absence.id, '2017/18 Q2')).toBeNull();
      // Approved for a value and status; back to needs_update (its time is the change's), what it was approved for kept.
      const forValue = await r.repo.saveExceptionReport({ ...approved, approvedValue: 10.49, approvedStatus: 'red' }, { expectedVersion: 3 });
      expect(forValue).toMatchObject({ version: 4, approvedValue: 10.49, approvedStatus: 'red' });
      const changedAt = new Date('2018-02-03T11:00:00Z');
      const outdated = await r.repo.saveExceptionReport({ ...report(c.absence.id, { state: 'needs_update', authorId: c.owner.id }) }, { expectedVersion: 4, audit: { at: changedAt, actorId: null, actorLabel: 'bot', action: 'exception.needs-update' } });
      expect(outdated).toMatchObject({ version: 5, state: 'needs_update', approvedValue: 10.49, approvedStatus: 'red', reviewedAt: AT, updatedAt: changedAt });
      expect((await r.repo.exceptionReports({ indicatorIds: [c.absence.id], states: ['needs_update'] })).map((x) => x.version)).toEqual([5]);
      const audit = (await r.auditLog()).filter((a) => a.entity === 'exception_report' && a.entityId === String(first.id) && a.action === 'exception.submit');
      expect(audit).toEqual([{ at: submittedAt, actorId: c.owner.id, actorLabel: 'slack:UO', action: 'exception.submit', entity: 'exception_report', entityId: String(first.id), details: { version: 2, state: 'submitted', note: 1 } }]);
      const nothing = await r.repo.saveExceptionReport(report(c.cleanliness.id), { expectedVersion: 4 }).catch((e: unknown) => e);
      expect((nothing as StaleReportError).current).toBeNull();
    });

    it('lists reports by period, state and indicator, oldest first', async () => {
      const c = await aCouncil(r.repo);
      const a = await r.repo.saveExceptionReport(report(c.absence.id, { state: 'submitted' }), { expectedVersion: null });
      const b = await r.repo.saveExceptionReport(report(c.cleanliness.id), { expectedVersion: null });
      const ids = [c.absence.id, c.cleanliness.id];
      expect((await r.repo.exceptionReports({ indicatorIds: ids })).map((x) => x.id)).toEqual([a.id, b.id]);
      expect((await r.repo.exceptionReports({ indicatorIds: ids, states: ['submitted'] })).map((x) => x.id)).toEqual([a.id]);
      expect(await r.repo.exceptionReports({ indicatorIds: ids, periodKey: '2017/18 Q2' })).toEqual([]);
    });
  });

  describe('statuses', () => {
    it('records each transition once, and reads the latest per indicator and the changes since a time', async () => {
      const c = await aCouncil(r.repo);
      const change = (indicatorId: number, transitionKey: string, status: 'red' | 'green', observedAt: Date) => ({
        indicatorId, periodKey: '2017/18 Q3', transitionKey, previousStatus: null, status, previousDirection: null, direction: 'declining' as const, value: 10.49, explanation: 'why', observedAt,
      });
      const t1 = new Date('2030-01-01T00:00:00Z');
      const t2 = new Date('2030-01-02T00:00:00Z');
      const recorded = await r.repo.recordStatusChanges([change(c.absence.id, 'k1', 'red', t1), change(c.absence.id, 'k1', 'red', t1), change(c.visits.id, 'k1', 'green', t1)]);
      expect(recorded.map((x) => [x.indicatorId, x.status])).toEqual([
        [c.absence.id, 'red'],
        [c.visits.id, 'green'],
      ]);
      expect(recorded[0]).toMatchObject({ periodKey: '2017/18 Q3', direction: 'declining', value: 10.49, explanation: 'why', observedAt: t1 });
      expect(await r.repo.recordStatusChanges([change(c.absence.id, 'k1', 'green', t2)])).toEqual([]);
      const later = await r.repo.recordStatusChanges([change(c.absence.id, 'k2', 'green', t2)]);
      const latest = await r.repo.latestStatusChanges([c.absence.id, c.visits.id, c.cleanliness.id]);
      expect(latest.get(c.absence.id)).toEqual(later[0]);
      expect(latest.get(c.visits.id)?.status).toBe('green');
      expect(latest.has(c.cleanliness.id)).toBe(false);
      expect((await r.repo.statusChangesSince(t2)).map((x) => x.id)).toEqual([later[0]!.id]);
    });

    it('reads the last values of every active indicator with the targets from a year before the oldest', async () => {
      const c = await aCouncil(r.repo, (tag) => ({
        indicators: [{ slug: `old-${tag}`, name: 'Old', polarity: 'higher', frequency: 'quarterly', active: false, observations: [{ periodKey: '2017/18 Q1', value: 1 }] }],
      }));
      const recent = await r.repo.recentHistories(2);
      expect(recent.get(c.absence.id)).toEqual({
        observations: [
          { periodKey: '2017/18 Q2', value: 8.9, estimated: false, provisional: false, assessedStatus: null },
          { periodKey: '2017/18 Q3', value: 10.49, estimated: false, provisional: false, assessedStatus: null },
        ],
        targets: ['2017/18 Q1', '2017/18 Q2', '2017/18 Q3', '2017/18 Q4'].map((periodKey) => ({ indicatorId: c.absence.id, periodKey, value: 8.5, amberFloor: null, text: null })),
      });
      expect(recent.get(c.visits.id)?.observations.map((o) => o.periodKey)).toEqual(['2017-11', '2017-12']);
      expect(recent.has(c.cleanliness.id)).toBe(false);
      expect([...recent.values()].some((h) => h.observations.some((o) => o.value === 1 && o.periodKey === '2017/18 Q1'))).toBe(false);
    });
  });

  describe('incremental evaluation', () => {
    const changed = async (id: number) => (await r.repo.changedIndicators()).filter((x) => x.indicatorId === id);

    it('lists an indicator whose values or targets changed until a run has seen it; a change after the read stays listed', async () => {
      const c = await aCouncil(r.repo);
      const id = c.cleanliness.id;
      const fresh = await changed(id);
      expect(fresh).toHaveLength(1);
      await r.repo.finishEvaluation({ at: AT, full: true, settings: 'org-1', seen: fresh });
      expect(await changed(id)).toEqual([]);
      expect(await r.repo.evaluationState()).toMatchObject({ lastRunAt: AT, lastFullAt: AT, settings: 'org-1' });

      await r.repo.saveObservation(value(id, '2017/18 Q1', 83.1));
      const read = await changed(id);
      expect(read).toHaveLength(1);
      await r.repo.saveObservation(value(id, '2017/18 Q2', 83.2));
      const later = new Date(AT.getTime() + 60_000);
      await r.repo.finishEvaluation({ at: later, full: false, settings: 'org-1', seen: read });
      expect(await changed(id), 'changed again after the run read it').toHaveLength(1);
      expect(await r.repo.evaluationState()).toMatchObject({ lastRunAt: later, lastFullAt: AT });
    });

    it('finds indicators by cadence and by values whose period began in a window; evaluates only those asked for', async () => {
      const c = await aCouncil(r.repo);
      const cadences = await r.repo.indicatorCadences();
      const mine = cadences.filter((k) => k.frequency === c.absence.frequency && k.reportingLagDays === c.absence.reportingLagDays);
      expect(mine).toHaveLength(1);
      expect(await r.repo.indicatorIdsWithCadence(mine)).toContain(c.absence.id);
      await r.repo.saveObservation(value(c.cleanliness.id, '2017/18 Q3', 83.3));
      expect(await r.repo.indicatorIdsWithValuesBegun('2017-09-30', '2017-10-01')).toContain(c.cleanliness.id);
      expect(await r.repo.indicatorIdsWithValuesBegun('2017-10-01', '2017-12-31')).not.toContain(c.cleanliness.id);
      expect([...(await r.repo.recentHistories(4, [c.absence.id])).keys()]).toEqual([c.absence.id]);
      expect((await r.repo.indicators({ ids: [c.absence.id, c.visits.id] })).map((i) => i.id).sort()).toEqual([c.absence.id, c.visits.id].sort());
    });
  });

  describe('snoozes, events and the organisation', () => {
    it('snoozes alerts until a time', async () => {
      const c = await aCouncil(r.repo);
      await r.repo.snooze(c.absence.id, new Date('2018-02-08T00:00:00Z'), c.owner.id);
      expect((await r.repo.snoozedIndicatorIds(new Date('2018-02-07T23:59:59Z'))).has(c.absence.id)).toBe(true);
      expect((await r.repo.snoozedIndicatorIds(new Date('2018-02-08T00:00:00Z'))).has(c.absence.id)).toBe(false);
    });

    it('notes a platform event once', async () => {
      const id = `Ev-${Math.round(AT.getTime())}-${backend}`;
      expect(await r.repo.recordInboundEvent(id, AT)).toBe(true);
      expect(await r.repo.recordInboundEvent(id, AT)).toBe(false);
    });

    it('starts from the defaults and keeps what is changed', async () => {
      const before = await r.repo.org();
      expect(Object.keys(before).sort()).toEqual(Object.keys(DEFAULT_ORG).sort());
      const changed = await r.repo.updateOrg({ chaseCadence: [0, 2], tolerance: { kind: 'absolute', value: 1.5 }, maintainedBand: { kind: 'relative', percent: 2 } });
      expect(changed).toMatchObject({ chaseCadence: [0, 2], tolerance: { kind: 'absolute', value: 1.5 }, maintainedBand: { kind: 'relative', percent: 2 } });
      // Read back as stored: the demo's date is kept (none: null).
      expect(await r.repo.org()).toEqual({ ...changed, demoToday: before.demoToday ?? null });
      const live = await r.repo.updateOrg({ collectFrom: '2017/18 Q3', collectingSince: '2018-01-15', bankHolidays: 'scotland' });
      expect(await r.repo.org()).toEqual(live);
      expect(live).toMatchObject({ collectFrom: '2017/18 Q3', collectingSince: '2018-01-15', bankHolidays: 'scotland' });
      await r.repo.updateOrg({ chaseCadence: before.chaseCadence, tolerance: before.tolerance, maintainedBand: before.maintainedBand, collectFrom: null, collectingSince: null, bankHolidays: 'england-and-wales' });
      await r.repo.audit({ at: AT, actorId: null, actorLabel: 'test', action: 'settings.change', entity: 'organisation' });
      expect((await r.auditLog()).at(-1)).toEqual({ at: AT, actorId: null, actorLabel: 'test', action: 'settings.change', entity: 'organisation', entityId: null, details: null });
    });
  });

  describe('writing a register', () => {
    const write = (reg: unknown, over: object = {}) => r.repo.writeRegister(registerSchema.parse(reg), { source: 'import:test.csv', at: AT, actorId: null, actorLabel: 'cli', ...over });

    it('changes nothing the second time, and corrects only the values that differ', async () => {
      const c = await aCouncil(r.repo);
      const values = (v: number) => ({ values: [{ slug: c.absence.slug, observations: [{ periodKey: '2017/18 Q2', value: 8.9 }, { periodKey: '2017/18 Q3', value: v }], targets: [{ periodKey: '2017/18 Q3', value: 8.5 }] }] });
      const same = await write(values(10.49));
      expect(same).toMatchObject({ observations: { created: 0, corrected: 0, unchanged: 2 }, targets: { created: 0, updated: 0, unchanged: 1 } });
      const changed = await write(values(10.2));
      expect(changed).toMatchObject({ observations: { created: 0, corrected: 1, unchanged: 1 } });
      const [now, was] = await r.repo.observationVersions(c.absence.id, '2017/18 Q3');
      expect([now?.version, now?.value, now?.correctionReason, now?.source, was?.value]).toEqual([2, 10.2, 're-imported from import:test.csv', 'import:test.csv', 10.49]);
      expect((await r.auditLog()).filter((a) => a.action === 'register.import' && (a.details as { observations?: { corrected: number } }).observations?.corrected === 1).length).toBeGreaterThan(0);
    });

    it('keeps a percentage to date (ytd_percent) as any other aggregation, and changes it on a re-import', async () => {
      const c = await aCouncil(r.repo);
      const slug = `collected-${c.tag}`;
      const reg = (aggregation: string) => ({ indicators: [{ slug, name: `Council tax collected ${c.tag}`, unit: '%', polarity: 'higher', frequency: 'quarterly', aggregation }] });
      expect(await write(reg('ytd_percent'))).toMatchObject({ indicators: { created: 1 } });
      expect((await r.repo.indicatorBySlug(slug))?.aggregation).toBe('ytd_percent');
      expect(await write(reg('ytd_percent'))).toMatchObject({ indicators: { created: 0, updated: 0, unchanged: 1 } });
      expect(await write(reg('snapshot'))).toMatchObject({ indicators: { updated: 1 } });
      expect((await r.repo.indicatorBySlug(slug))?.aggregation).toBe('snapshot');
    });

    it('refuses values in signed-off periods without a reason (nothing written), and audits each with one', async () => {
      const c = await aCouncil(r.repo);
      const q = periodFromKey('2013/14 Q1');
      await r.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: null, actorLabel: 'cli', at: AT });
      const reg = { values: [{ slug: c.absence.slug, observations: [{ periodKey: '2013/14 Q1', value: 7 }, { periodKey: '2017/18 Q4', value: 9 }] }] };
      const refused = await write(reg).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LockedPeriodError);
      expect((refused as LockedPeriodError).items).toEqual([{ slug: c.absence.slug, periodKey: '2013/14 Q1', lockKey: '2013/14 Q1' }]);
      expect((await r.repo.history(c.absence.id)).observations.map((o) => o.periodKey)).not.toContain('2017/18 Q4');
      const written = await write(reg, { lockedPeriodReason: 'audit found it' });
      expect(written).toMatchObject({ lockedPeriodValues: 1, observations: { created: 2 } });
      const audit = (await r.auditLog()).filter((a) => a.action === 'observation.correct-locked' && a.entityId === `${c.absence.id}:2013/14 Q1`);
      expect(audit).toMatchObject([{ details: { slug: c.absence.slug, lock: '2013/14 Q1', version: 1, value: 7, previous: null, reason: 'audit found it', source: 'import:test.csv' } }]);
    });

    it('says what a dry run would change and writes nothing; an unknown indicator or a clash of references stops the file', async () => {
      const c = await aCouncil(r.repo);
      const dry = await write({ people: [{ displayName: 'New Person', email: `new-${c.tag}@council.example` }], values: [{ slug: c.visits.slug, observations: [{ periodKey: '2018-01', value: 1090 }] }] }, { dryRun: true });
      expect(dry).toMatchObject({ people: { created: 1 }, observations: { created: 1 } });
      expect(await r.repo.personByEmail(`new-${c.tag}@council.example`)).toBeNull();
      expect((await r.repo.history(c.visits.id)).observations).toHaveLength(9);
      await expect(write({ values: [{ slug: `missing-${c.tag}`, observations: [{ periodKey: '2018-01', value: 5 }] }] })).rejects.toThrow(/No indicator with the short name missing-/);
      // An indicator found by its slug may not take the reference of another.
      await expect(write({ indicators: [{ slug: c.cleanliness.slug, ref: c.absence.ref, name: 'Clean', polarity: 'higher', frequency: 'quarterly' }] })).rejects.toThrow(/references clash/);
      expect((await r.repo.indicator(c.cleanliness.id))?.ref).toBeNull();
      // Found by its reference, an indicator takes the file's slug.
      await expect(write({ indicators: [{ slug: `other-${c.tag}`, ref: c.absence.ref, name: 'Other', polarity: 'higher', frequency: 'quarterly' }] })).resolves.toMatchObject({ indicators: { created: 0, updated: 1 } });
      expect((await r.repo.indicator(c.absence.id))?.slug).toBe(`other-${c.tag}`);
      await expect(write({ settings: { tolerance: 'lots' } })).rejects.toThrow(/Settings sheet has problems: tolerance/);
    });

    it('asks about values unlike the indicator’s history (nothing written), and writes them when told to, listing them', async () => {
      const c = await aCouncil(r.repo);
      const reg = { values: [{ slug: c.visits.slug, observations: [{ periodKey: '2018-01', value: 10_900 }, { periodKey: '2017-12', value: 1080 }] }] };
      const refused = await write(reg).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UnusualValuesError);
      expect((refused as UnusualValuesError).items.map((i) => [i.slug, i.periodKey, i.value])).toEqual([[c.visits.slug, '2018-01', 10_900]]);
      expect((await r.repo.history(c.visits.id)).observations).toHaveLength(9);
      const written = await write(reg, { acceptOutliers: true });
      expect(written).toMatchObject({ observations: { created: 1, unchanged: 1 }, unusualValues: [{ slug: c.visits.slug, periodKey: '2018-01', value: 10_900 }] });
      expect((await r.repo.history(c.visits.id)).observations.at(-1)).toMatchObject({ periodKey: '2018-01', value: 10_900 });
    });

    it('asks about a slipped point in a percentage collected to date that the register calls a snapshot (council tax), judged by its pace', async () => {
      const c = await aCouncil(r.repo);
      const slug = `council-tax-${c.tag}`;
      // Years no other case signs off. As councils register it: a snapshot %, its profile rising through the year, last year's values starting again in April.
      await write({
        indicators: [{
          slug, name: `Council tax collected ${c.tag}`, theme: `Theme ${c.tag}`, unit: '%', polarity: 'higher', frequency: 'quarterly', aggregation: 'snapshot', decimals: 1,
          targets: [{ periodKey: '2030/31 Q1', value: 29.5 }, { periodKey: '2030/31 Q2', value: 56.8 }, { periodKey: '2030/31 Q3', value: 86.4 }, { periodKey: '2030/31', value: 97 }],
          observations: [['2029/30 Q1', 29.2], ['2029/30 Q2', 56.6], ['2029/30 Q3', 86.1], ['2029/30 Q4', 96.9], ['2030/31 Q1', 29.1]].map(([periodKey, value]) => ({ periodKey: periodKey as string, value: value as number })),
        }],
      });
      // 5.69 for 56.9%: within the spread of a history that starts again every April, but a tenth of its pace.
      const refused = await write({ values: [{ slug, observations: [{ periodKey: '2030/31 Q2', value: 5.69 }] }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UnusualValuesError);
      expect((refused as UnusualValuesError).items[0]!.note).toContain('did you mean 56.9%?');
      await expect(write({ values: [{ slug, observations: [{ periodKey: '2030/31 Q2', value: 56.9 }, { periodKey: '2030/31 Q3', value: 86.3 }] }] })).resolves.toMatchObject({ observations: { created: 2 } });
    });

    it('asks about values of a new indicator by its target and similar indicators, and says which values nothing could be checked against', async () => {
      const c = await aCouncil(r.repo);
      const row = (slug: string, unit: string, observations: { periodKey: string; value: number }[], targets: { periodKey: string; value: number }[] = []) => ({
        slug: `${slug}-${c.tag}`, name: `${slug} ${c.tag}`, theme: `Theme ${c.tag}`, unit, polarity: 'higher', frequency: 'quarterly', decimals: 2, observations, targets,
      });
      // A council's new sheet: sickness absence with a point slipped, a recycling rate typed 6.09 for
      // 60.9%, absence by directorate (a point slipped in one) and a count with nothing to compare it with.
      const reg = {
        indicators: [
          row('staff-absence', 'days', [{ periodKey: '2017/18 Q1', value: 8.1 }, { periodKey: '2017/18 Q2', value: 104.9 }], [{ periodKey: '2017/18', value: 8.5 }]),
          row('recycling', '%', [{ periodKey: '2017/18 Q2', value: 6.09 }], [{ periodKey: '2017/18 Q2', value: 59.5 }]),
          row('absence-adults', 'days per FTE', [{ periodKey: '2017/18 Q2', value: 9.8 }]),
          row('absence-children', 'days per FTE', [{ periodKey: '2017/18 Q2', value: 8.2 }]),
          row('absence-housing', 'days per FTE', [{ periodKey: '2017/18 Q2', value: 95 }]),
          row('volunteers', `volunteers ${c.tag}`, [{ periodKey: '2017/18 Q3', value: 51 }]),
        ],
      };
      const refused = await write(reg).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UnusualValuesError);
      expect((refused as UnusualValuesError).items.map((i) => [i.slug.replace(`-${c.tag}`, ''), i.periodKey, i.note])).toEqual([
        ['staff-absence', '2017/18 Q2', '104.9 days is 12× the target of 8.5 days; did you mean 10.49 days?'],
        ['recycling', '2017/18 Q2', '6.09% is far below the target of 59.5%; did you mean 60.9%?'],
        ['absence-housing', '2017/18 Q2', `95 days is 10× anything similar indicators have had (absence-adults-${c.tag}, absence-children-${c.tag}: 8.2–9.8 days); did you mean 9.5 days?`],
      ]);
      expect((await r.repo.indicatorBySlug(`volunteers-${c.tag}`))).toBeNull();
      const written = await write(reg, { acceptOutliers: true, dryRun: true });
      expect(written.uncheckedValues.map((u) => [u.slug.replace(`-${c.tag}`, ''), u.periodKey]).sort()).toEqual([
        ['absence-adults', '2017/18 Q2'],
        ['absence-children', '2017/18 Q2'],
        ['volunteers', '2017/18 Q3'],
      ]);
    });

    it('writes people, themes, alert channels and exception reports, and keeps a platform id given in the file unconfirmed', async () => {
      const c = await aCouncil(r.repo);
      const reg = {
        people: [{ displayName: `Owner ${c.tag} Renamed`, email: `owner-${c.tag}@council.example`, identities: { slack: `UF-${c.tag}` }, absentUntil: '2018-02-20' }],
        themes: [{ name: `Theme ${c.tag}`, slug: `theme-${c.tag}`, directorEmail: `director-${c.tag}@council.example`, alertChannels: [{ platform: 'slack', channelId: `CT-${c.tag}` }] }],
        indicators: [{ slug: `new-${c.tag}`, name: 'New one', theme: `Fresh theme ${c.tag}`, polarity: 'higher', frequency: 'annual', alertChannels: [{ platform: 'slack', channelId: `CI-${c.tag}` }] }],
        exceptionReports: [{ slug: c.absence.slug, periodKey: '2017/18 Q3', questions: ['Why?'], answers: ['Because of winter.'], state: 'approved' }],
      };
      const s = await write(reg);
      expect(s).toMatchObject({ people: { created: 0, updated: 1 }, themes: { created: 1, updated: 0 }, indicators: { created: 1 }, subscriptions: { created: 2, unchanged: 0 }, exceptionReports: { created: 1 } });
      expect(await r.repo.person(c.owner.id)).toMatchObject({ displayName: `Owner ${c.tag} Renamed`, identities: {}, unconfirmed: { slack: `UF-${c.tag}` }, absentUntil: '2018-02-20' });
      const fresh = (await r.repo.themes()).find((t) => t.name === `Fresh theme ${c.tag}`);
      expect(fresh).toMatchObject({ slug: `fresh-theme-${c.tag}`, kind: 'theme', directorId: null });
      const subs = await r.repo.channelSubscriptions({ platform: 'slack' });
      expect(subs.filter((x) => x.channelId.endsWith(c.tag))).toEqual([
        { platform: 'slack', channelId: `CT-${c.tag}`, themeId: c.theme.id, indicatorId: null, events: [], channelName: null },
        { platform: 'slack', channelId: `CI-${c.tag}`, themeId: null, indicatorId: (await r.repo.indicatorBySlug(`new-${c.tag}`))!.id, events: [], channelName: null },
      ]);
      // Approved for the value its period has (its status is not known to an import).
      expect(await r.repo.exceptionReport(c.absence.id, '2017/18 Q3')).toMatchObject({ state: 'approved', authorId: c.owner.id, answers: ['Because of winter.'], submittedAt: AT, reviewedAt: AT, version: 1, approvedValue: 10.49, approvedStatus: null });
      const again = await write(reg);
      expect(again).toMatchObject({ people: { updated: 0 }, themes: { created: 0, updated: 0 }, subscriptions: { created: 0, unchanged: 2 }, exceptionReports: { unchanged: 1 } });
    });
  });

  describe('calculated indicators', () => {
    /** Two counts and a percentage calculated from them, in a council of their own. */
    const calculated = (tag: string) => ({
      indicators: [
        { slug: `done-${tag}`, name: `Done ${tag}`, theme: `Theme ${tag}`, unit: 'number', polarity: 'higher' as const, frequency: 'quarterly' as const },
        { slug: `asked-${tag}`, name: `Asked ${tag}`, theme: `Theme ${tag}`, unit: 'number', polarity: 'none' as const, frequency: 'quarterly' as const },
        { slug: `share-${tag}`, name: `Share ${tag}`, theme: `Theme ${tag}`, unit: '%', polarity: 'higher' as const, frequency: 'quarterly' as const, formula: `done-${tag} / asked-${tag} * 100` },
      ],
    });
    const slugged = async (slug: string) => (await r.repo.indicatorBySlug(slug))!;

    it('keeps the formula on the indicator, read back by every way an indicator is read, and changed or cleared by a register write', async () => {
      const c = await aCouncil(r.repo, calculated);
      const share = await slugged(`share-${c.tag}`);
      expect(share.formula).toBe(`done-${c.tag} / asked-${c.tag} * 100`);
      expect((await r.repo.indicator(share.id))?.formula).toBe(share.formula);
      expect((await r.repo.indicators({ ids: [share.id] }))[0]?.formula).toBe(share.formula);
      expect(c.absence.formula).toBeNull();
      const write = (formula: string | null) =>
        r.repo.writeRegister(registerSchema.parse({ indicators: [{ slug: share.slug, name: share.name, unit: '%', polarity: 'higher', frequency: 'quarterly', formula, given: ['formula'] }] }), { source: 'test', at: AT, actorId: null, actorLabel: 'test' });
      await write(`done-${c.tag} / asked-${c.tag}`);
      expect((await r.repo.indicator(share.id))?.formula).toBe(`done-${c.tag} / asked-${c.tag}`);
      await write(null);
      expect((await r.repo.indicator(share.id))?.formula).toBeNull();
    });

    it('saves the calculated value when its inputs are saved, recalculates on a correction, and refuses a value typed for it', async () => {
      const c = await aCouncil(r.repo, calculated);
      const [done, asked, share] = await Promise.all([slugged(`done-${c.tag}`), slugged(`asked-${c.tag}`), slugged(`share-${c.tag}`)]);
      await r.repo.saveObservation(value(done.id, '2017/18 Q3', 45));
      expect(await r.repo.observationVersions(share.id)).toEqual([]);
      await r.repo.saveObservation(value(asked.id, '2017/18 Q3', 60));
      await r.repo.saveObservation(value(done.id, '2017/18 Q3', 48, { replacesVersion: 1 }));
      const versions = await r.repo.observationVersions(share.id, '2017/18 Q3');
      expect(versions.map((v) => ({ version: v.version, value: v.value, source: v.source, by: v.submittedByLabel, note: v.note, reason: v.correctionReason }))).toEqual([
        { version: 2, value: 80, source: 'calculated', by: `calculated from done-${c.tag}, asked-${c.tag}`, note: `done-${c.tag} 48; asked-${c.tag} 60`, reason: `recalculated: done-${c.tag} 45 → 48` },
        { version: 1, value: 75, source: 'calculated', by: `calculated from done-${c.tag}, asked-${c.tag}`, note: `done-${c.tag} 45; asked-${c.tag} 60`, reason: null },
      ]);
      await expect(r.repo.saveObservation(value(share.id, '2017/18 Q3', 99, { replacesVersion: 2, submittedById: c.admin.id }))).rejects.toThrow(/this indicator is calculated/);
      expect(await r.repo.observationVersions(share.id, '2017/18 Q3')).toHaveLength(2);
    });

    it('works it out after a register write gives its inputs, for each period', async () => {
      const c = await aCouncil(r.repo, calculated);
      await r.repo.writeRegister(
        registerSchema.parse({ values: [{ slug: `done-${c.tag}`, observations: [{ periodKey: '2017/18 Q2', value: 30 }, { periodKey: '2017/18 Q3', value: 45 }] }, { slug: `asked-${c.tag}`, observations: [{ periodKey: '2017/18 Q2', value: 40 }, { periodKey: '2017/18 Q3', value: 60 }] }] }),
        { source: 'import:register.csv', at: AT, actorId: null, actorLabel: 'cli' },
      );
      const share = await slugged(`share-${c.tag}`);
      expect((await r.repo.history(share.id)).observations.map((o) => [o.periodKey, o.value, o.source])).toEqual([['2017/18 Q2', 75, 'calculated'], ['2017/18 Q3', 75, 'calculated']]);
    });
  });
});
