// Erasing a person and exporting what is held about them (repo.erasePerson, repo.personalData): one
// set of cases on the memory repository and on Prisma over PGlite and PostgreSQL. A council-shaped
// leaver — a name corrected once, two chat links, a failed lookup naming their address, an absence,
// values with notes that name them, an exception report, commentary, messages to them and to a
// channel about them, a duplicate merged into them — is erased; then no table holds their name,
// either address or an id (every text and JSON column is searched), the council's record is still
// there under "a former officer", and erasing again changes nothing.
import { describe, expect, it } from 'vitest';
import type { NewObservation } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT } from '../support/council.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { registerSchema } from '../../src/register/types.ts';

const LABEL = 'a former officer (erased 1 Feb 2018)';
const by = { at: AT, actorId: null, actorLabel: 'cli:priya@council.example' };

const value = (indicatorId: number, periodKey: string, v: number, over: Partial<NewObservation> = {}): NewObservation => {
  const p = periodFromKey(periodKey);
  return {
    indicatorId, periodKey: p.key, periodStart: p.start, periodEnd: p.end, value: v, estimated: false, provisional: false, note: null, source: 'chat:slack',
    submittedById: null, submittedByLabel: 'test', submittedAt: AT, replacesVersion: null, ...over,
  };
};

describe.each(repositoryBackends())('erasing a person on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  /** A council whose owner leaves, with everything a leaver leaves behind. */
  async function aLeaver() {
    const c = await aCouncil(r.repo);
    const T = c.tag.toUpperCase();
    const typo = `Ownr ${T}`;
    const name = `Olivia Owner-${T}`;
    const oldEmail = `owner-${c.tag}@council.example`;
    const email = `olivia.owner-${c.tag}@council.example`;
    const slack = `UOLIV${T}`;
    const teams = `aad-oliv-${c.tag}`;
    // Her name was mistyped on the People sheet and her address changed: both are in the audit trail.
    await r.repo.editPerson(c.owner.id, { displayName: typo }, by);
    await r.repo.editPerson(c.owner.id, { displayName: name, email }, by);
    // A duplicate made by an import with a stray capital, merged into her.
    await r.repo.writeRegister(registerSchema.parse({ people: [{ displayName: `Olivia  Owner-${T} `, email: `Olivia.Owner-${c.tag}@council.example.org`, role: 'officer' }] }), { source: 'import:people.xlsx', at: AT, actorId: null, actorLabel: 'cli' });
    const dup = (await r.repo.personByEmail(`olivia.owner-${c.tag}@council.example.org`))!;
    await r.repo.mergePeople(dup.id, c.owner.id, by);
    await r.repo.linkPlatformUser(c.owner.id, 'slack', slack, { linkedBy: 'first-contact', at: AT });
    await r.repo.linkPlatformUser(c.owner.id, 'teams', teams, { linkedBy: 'roster', at: AT });
    await r.repo.recordLookup(c.owner.id, 'teams', 'failed', `Teams could not say whether ${email} is a member`, AT);
    await r.repo.setAbsence(c.owner.id, '2018-03-31');
    // Values she gave, one corrected by her with a note that names her; another officer's note names her too.
    await r.repo.saveObservation(value(c.absence.id, '2017/18 Q3', 10.2, { submittedById: c.owner.id, submittedByLabel: `slack:${slack}`, replacesVersion: 1, correctionReason: `${name} recounted the payroll`, note: `est — ask ${email.toUpperCase()}` }));
    await r.repo.saveObservation(value(c.visits.id, '2018-01', 1100, { submittedById: c.officer.id, submittedByLabel: 'slack:UOFF', note: `figures checked by ${name.toLowerCase()}` }));
    await r.repo.saveExceptionReport(
      { indicatorId: c.absence.id, periodKey: '2017/18 Q3', questions: ['Why?', 'So what?', 'What next?'], answers: ['Long-term absences in one team.', '', `Contact ${name} (${email})`], state: 'submitted', authorId: c.owner.id },
      { expectedVersion: null, audit: { at: AT, actorId: c.owner.id, actorLabel: `slack:${slack}`, action: 'exception.submit' } },
    );
    await r.repo.commentary.save({ themeId: c.theme.id, periodKey: '2017/18 Q3', sections: [{ heading: 'Key messages', text: `Thanks to ${name} for the absence work.` }], state: 'submitted', authorId: c.director.id, source: 'chat:slack', at: AT }, by);
    // A chase to her not yet sent, one sent, and an alert to a channel that names her.
    const msg = (text: string) => ({ text, blocks: [{ type: 'context' as const, text }] });
    await r.outbox.enqueue({ key: `chase-${c.tag}`, purpose: 'chase-data', to: { kind: 'person', personId: c.owner.id }, message: msg(`Hello ${name}, 2017/18 Q4 is due.`) }, AT);
    await r.outbox.enqueue({ key: `sent-${c.tag}`, purpose: 'chase-data', to: { kind: 'person', personId: c.owner.id }, message: msg(`Hello ${name}, thank you.`) }, AT);
    await r.delivered(`sent-${c.tag}`, { state: 'sent', at: AT });
    await r.outbox.enqueue({ key: `alert-${c.tag}`, purpose: 'alert', to: { kind: 'channel', platform: 'slack', channelId: `C${T}` }, message: msg(`Sickness absence is red (owner: ${name}, ${email})`) }, AT);
    await r.repo.retirePerson(c.owner.id, c.deputy.id, by);
    return { c, name, typo, email, oldEmail, dupEmail: `olivia.owner-${c.tag}@council.example.org`, slack, teams, dup };
  }

  it('exports everything held about a person: their record, links, lookups, values, reports and messages, each by table', async () => {
    const l = await aLeaver();
    const data = await r.repo.personalData(l.c.owner.id);
    expect(data.person).toMatchObject({ id: l.c.owner.id, displayName: l.name, email: l.email, active: false });
    expect(data.sections.platformLinks).toHaveLength(0); // retired: links removed
    expect(data.sections.valuesSubmitted?.map((v) => v.value === undefined ? null : Number(v.value))).toEqual([10.2]);
    expect(data.sections.exceptionReportsWritten).toHaveLength(1);
    expect(data.sections.messagesToThem).toHaveLength(2);
    expect(data.sections.auditAboutThem?.map((a) => a.action)).toEqual(['person.edit', 'person.edit', 'person.retire']);
    expect(JSON.stringify(data)).toContain(l.email);
  });

  it('erases their name, addresses and ids from every table; the record stays as "a former officer"; again changes nothing', async () => {
    const l = await aLeaver();
    const { c } = l;
    const e = await r.repo.erasePerson(c.owner.id, { label: LABEL, reason: `Erasure request from ${l.name} of 3 Mar 2018`, by });
    expect(e).toMatchObject({ already: false, duplicates: 1, messages: 2 });
    expect(e.mentions).toBeGreaterThanOrEqual(5);

    for (const text of [l.name, l.typo, l.email, l.oldEmail, l.dupEmail, l.slack, l.teams]) expect({ text, found: await r.textFound(text) }).toEqual({ text, found: [] });

    expect(await r.repo.person(c.owner.id)).toMatchObject({ displayName: LABEL, email: null, absentUntil: null, active: false, identities: {}, successorId: c.deputy.id, erasedAt: AT });
    expect(await r.repo.person(l.dup.id)).toMatchObject({ displayName: LABEL, email: null });
    expect(await r.repo.personByPlatformUser('slack', l.slack)).toBeNull();
    expect(await r.repo.personByEmail(l.email)).toBeNull();
    // The council's record: her value and its correction, by her (anonymised), the exception report, the other officer's note.
    const versions = await r.repo.observationVersions(c.absence.id, '2017/18 Q3');
    expect(versions[0]).toMatchObject({ value: 10.2, submittedById: c.owner.id, submittedByLabel: LABEL, correctionReason: `${LABEL} recounted the payroll`, note: `est — ask ${LABEL}` });
    expect((await r.repo.observationVersions(c.visits.id, '2018-01'))[0]?.note).toBe(`figures checked by ${LABEL}`);
    expect(await r.repo.exceptionReport(c.absence.id, '2017/18 Q3')).toMatchObject({ state: 'submitted', authorId: c.owner.id, answers: ['Long-term absences in one team.', '', `Contact ${LABEL} (${LABEL})`] });
    expect((await r.repo.commentary.forQuarter('2017/18 Q3')).find((x) => x.themeId === c.theme.id)?.sections[0]?.text).toBe(`Thanks to ${LABEL} for the absence work.`);
    // The indicator is still the deputy's; the erasure is audited with the reason but nothing of hers.
    expect((await r.repo.indicator(c.absence.id))?.ownerId).toBe(c.deputy.id);
    const audit = (await r.auditLog()).filter((a) => a.action === 'person.erase' && a.entityId === String(c.owner.id));
    expect(audit).toMatchObject([{ actorLabel: by.actorLabel, details: { label: LABEL, reason: `Erasure request from ${LABEL} of 3 Mar 2018`, duplicates: 1 } }]);
    // Nothing more is sent to her: the chase not yet sent is given up; the one sent is kept, emptied.
    const messages = (await r.repo.personalData(c.owner.id)).sections.messagesToThem ?? [];
    expect(messages.map((m) => [m.state, m.channel]).sort()).toEqual([['dead', 'erased'], ['sent', 'erased']]);

    const entries = (await r.auditLog()).length;
    expect(await r.repo.erasePerson(c.owner.id, { label: 'a former officer (erased 2 Feb 2018)', reason: 'again', by })).toMatchObject({ already: true, mentions: 0 });
    expect((await r.auditLog()).length).toBe(entries);
    expect((await r.repo.person(c.owner.id))?.displayName).toBe(LABEL);
  });

  it('leaves a name another person in the register also has (only their address and ids go)', async () => {
    const c = await aCouncil(r.repo);
    const shared = `Sam Patel ${c.tag}`;
    await r.repo.writeRegister(
      registerSchema.parse({ people: [{ displayName: shared, email: `sam.patel-${c.tag}@council.example`, role: 'officer' }, { displayName: shared, email: `sam.patel2-${c.tag}@council.example`, role: 'officer' }] }),
      { source: 'import:people.xlsx', at: AT, actorId: null, actorLabel: 'cli' },
    );
    const leaver = (await r.repo.personByEmail(`sam.patel-${c.tag}@council.example`))!;
    const stays = (await r.repo.personByEmail(`sam.patel2-${c.tag}@council.example`))!;
    await r.repo.saveObservation(value(c.visits.id, '2018-01', 1100, { submittedById: null, note: `${shared} (sam.patel-${c.tag}@council.example left)` }));
    await r.repo.retirePerson(leaver.id, null, by);
    await r.repo.erasePerson(leaver.id, { label: LABEL, reason: 'left in 2018', by });
    expect((await r.repo.person(stays.id))?.displayName).toBe(shared);
    expect((await r.repo.observationVersions(c.visits.id, '2018-01'))[0]?.note).toBe(`${shared} (${LABEL} left)`);
  });
});
