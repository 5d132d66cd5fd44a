// /kpi people on the memory repository: who the bot can reach, a sync that looks people up, and
// performance admins putting a person right (edit, merge, retire), each audited.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, FakeFinder, later, said, useBot, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi people', () => {
  let b: TestBot;
  let slack: FakeFinder;
  beforeEach(async () => {
    slack = new FakeFinder({ 'found@council.example': 'UFOUND' });
    b = await aBot({ finders: [slack] });
    await b.load({ people: [{ displayName: 'Found Person', email: 'found@council.example' }, { displayName: 'Lost Person', email: 'lost@council.example' }] });
  });
  const people = (who: Parameters<TestBot['as']>[0], args = '') => runSlashCommand(b.deps, b.as(who), `/kpi people ${args}`);

  it('says how many are linked and that nobody is known to be unreachable before any lookup', async () => {
    const r = said(await people(b.council.admin));
    expect(r).toContain('7 people in the register. Linked on slack: 5.');
    expect(r).toContain('Everyone the bot has needed so far can be reached. 👍');
  });

  it('looks everyone not linked up by e-mail, once each, links who it finds and lists who it did not', async () => {
    const r = await people(b.council.admin, 'sync');
    expect(said(r)).toContain('Looking up everyone not yet linked, by e-mail.');
    const done = said(await later(r));
    expect(done).toContain('**Slack**: 6 of 7 reachable — 1 found now, 5 already linked, 1 not found.');
    expect(done).toContain('**Lost Person** (lost@council.example) — Slack: no Slack member has the e-mail lost@council.example (checked 5 Feb 2018)');
    expect(slack.asked.sort()).toEqual(['found@council.example', 'lost@council.example']);
    expect((await b.repo.personByEmail('found@council.example'))?.identities).toEqual({ slack: 'UFOUND' });
    expect(b.repo.auditLog().at(-1)).toMatchObject({ action: 'people.sync', details: [{ platform: 'slack', found: 1, notFound: 1, failed: 0, linked: 5 }] });
    expect(said(await people(b.council.admin))).toContain('**The bot cannot reach 1:**\n• **Lost Person** (lost@council.example) — no Slack member has the e-mail lost@council.example (checked 5 Feb 2018)');
  });

  it('is for performance admins only, and knows only sync', async () => {
    expect(said(await people(b.council.owner))).toContain('Sorry, only performance admins can see how the bot reaches people.');
    expect(said(await people(b.council.admin, 'bogus'))).toContain('"bogus" is not something `/kpi people` does.');
    expect(slack.asked).toEqual([]);
  });
});

describe('/kpi people edit, merge and retire', () => {
  const b = useBot();
  const people = (who: Parameters<TestBot['as']>[0], args: string) => runSlashCommand(b.deps, b.as(who), `/kpi people ${args}`);
  const audit = (action: string) => b.repo.auditLog().filter((a) => a.action === action);

  it('corrects an address: the same person, their indicators still theirs; audited with who did it', async () => {
    const { owner, admin, absence } = b.council;
    // Slack may turn the double hyphen into a dash; the name has spaces.
    const r = said(await people(admin, `edit ${owner.email} —email olu.adeyemi@trafford.gov.uk --name Olu Adeyemi`));
    expect(r).toContain(`**Olu Adeyemi**: e-mail ${owner.email} → olu.adeyemi@trafford.gov.uk; name ${owner.displayName} → Olu Adeyemi.`);
    expect((await b.repo.personByEmail('olu.adeyemi@trafford.gov.uk'))?.id).toBe(owner.id);
    expect((await b.repo.indicator(absence.id))?.ownerId).toBe(owner.id);
    expect(audit('person.edit')).toMatchObject([{ actorId: admin.id, actorLabel: `slack:U${admin.id}`, entityId: String(owner.id), details: { changes: { email: { from: owner.email, to: 'olu.adeyemi@trafford.gov.uk' } } } }]);
  });

  it('links the account an admin says is theirs, and refuses one that is someone else’s', async () => {
    const { owner, admin, deputy } = b.council;
    expect(said(await people(admin, `edit ${owner.email} --slack-id U07OLU99`))).toContain(`Slack U${owner.id} → U07OLU99`);
    expect((await b.repo.personByPlatformUser('slack', 'U07OLU99'))?.id).toBe(owner.id);
    await people(admin, `edit ${deputy.email} --slack-id U07DEP001`);
    expect(said(await people(admin, `edit ${owner.email} --slack-id U07DEP001`))).toContain(`Slack user U07DEP001 is already ${deputy.displayName}`);
    expect(said(await people(admin, `edit ${owner.email} --slack-id not-an-id`))).toContain('--slack-id: expected');
    expect(said(await people(admin, `edit ${owner.email} --colour blue`))).toContain('--colour is not an option here');
    expect(said(await people(admin, `edit ${owner.email}`))).toContain('Nothing to change');
    expect(said(await people(admin, 'edit nobody@council.example --name X'))).toContain('No one with the e-mail nobody@council.example is in the register');
    expect(audit('person.edit').map((a) => a.entityId)).toEqual([String(owner.id), String(deputy.id)]);
  });

  it('merges a duplicate into the person kept and retires someone who left, each audited', async () => {
    const { owner, admin, officer, deputy, absence, visits } = b.council;
    await b.load({ people: [{ displayName: owner.displayName, email: 'olu.adeyemi@trafford.gov.uk' }] });
    const kept = (await b.repo.personByEmail('olu.adeyemi@trafford.gov.uk'))!;
    const merged = said(await people(admin, `merge ${owner.email} ${kept.email}`));
    expect(merged).toContain(`**${owner.displayName}** (${owner.email}) is merged into **${owner.displayName}** (olu.adeyemi@trafford.gov.uk).`);
    expect(merged).toContain('Handed over: 2 indicators owned.');
    expect(merged).toContain(`Their Slack link moved to ${owner.displayName}.`);
    expect(merged).toContain(`${owner.email} is kept, inactive, for the audit trail.`);
    expect((await b.repo.indicator(absence.id))?.ownerId).toBe(kept.id);
    expect((await b.repo.person(owner.id))?.active).toBe(false);

    expect(said(await people(admin, `retire ${officer.email}`))).toContain(`${officer.displayName} owns 1 indicator: say who takes over with --hand-to <email>.`);
    const retired = said(await people(admin, `retire ${officer.email} --hand-to ${deputy.email}`));
    expect(retired).toContain(`**${officer.displayName}** (${officer.email}) is retired: no longer chased, no longer linked to any chat account.`);
    expect(retired).toContain(`Handed to ${deputy.displayName} (${deputy.email}): 1 indicator owned.`);
    expect((await b.repo.indicator(visits.id))?.ownerId).toBe(deputy.id);
    expect(await b.repo.personByPlatformUser('slack', `U${officer.id}`)).toBeNull();
    expect(said(await people(admin, `retire ${officer.email} --hand-to ${deputy.email}`))).toContain('is no longer active in the register');
    expect(said(await people(admin, `retire ${admin.email} --hand-to ${deputy.email}`))).toContain('is the only performance admin');
    expect(audit('person.merge')).toMatchObject([{ actorId: admin.id, entityId: String(owner.id), details: { into: { id: kept.id } } }]);
    expect(audit('person.retire')).toMatchObject([{ actorId: admin.id, entityId: String(officer.id), details: { handedTo: { id: deputy.id }, indicatorsOwned: 1 } }]);
  });

  it('is for performance admins only', async () => {
    const { owner } = b.council;
    expect(said(await people(owner, `edit ${owner.email} --name Me`))).toContain('Sorry, only performance admins can see how the bot reaches people.');
    expect(said(await people(null, `retire ${owner.email}`))).toContain('You are not in the indicator register yet');
    expect(audit('person.edit')).toEqual([]);
  });
});
