// Reaching a person whose People sheet gave a chat user id: the id is used only once the platform
// confirms it is theirs; a placeholder (ULUCY) or someone else's id gives way to the person found by
// their e-mail, and is never delivered to.
import { describe, expect, it } from 'vitest';
import { aBot, FakeFinder } from '../../support/bot.ts';

describe('the people directory and ids from a People sheet', () => {
  const sheet = (email: string, slack: string) => ({ people: [{ displayName: 'Lucy Chambers', email, identities: { slack } }] });

  it('finds the real person by e-mail when the sheet’s id is nobody’s, and forgets the placeholder', async () => {
    const slack = new FakeFinder({ 'lucy.chambers@trafford.gov.uk': 'U07LUCY01' });
    const b = await aBot({ finders: [slack] });
    await b.load(sheet('lucy.chambers@trafford.gov.uk', 'ULUCY'));
    const lucy = (await b.repo.personByEmail('lucy.chambers@trafford.gov.uk'))!;
    expect(lucy).toMatchObject({ identities: {}, unconfirmed: { slack: 'ULUCY' } });
    expect(await b.directory.reach(lucy, b.clock.now())).toEqual({ ok: true, platform: 'slack', userId: 'U07LUCY01' });
    expect(slack.confirmed).toEqual(['ULUCY']);
    expect(await b.repo.person(lucy.id)).toMatchObject({ identities: { slack: 'U07LUCY01' } });
    expect((await b.repo.person(lucy.id))?.unconfirmed).toBeUndefined();
  });

  it('uses the sheet’s id once the platform confirms it, without a lookup by e-mail', async () => {
    const slack = new FakeFinder({ 'lucy.chambers@trafford.gov.uk': 'U07LUCY01' });
    const b = await aBot({ finders: [slack] });
    await b.load(sheet('lucy.chambers@trafford.gov.uk', 'U07LUCY01'));
    const lucy = (await b.repo.personByEmail('lucy.chambers@trafford.gov.uk'))!;
    expect(await b.directory.reach(lucy, b.clock.now())).toEqual({ ok: true, platform: 'slack', userId: 'U07LUCY01' });
    expect(slack.asked).toEqual([]);
    expect((await b.repo.personByPlatformUser('slack', 'U07LUCY01'))?.id).toBe(lucy.id);
  });

  it('says why someone cannot be reached when neither the sheet’s id nor the e-mail is theirs', async () => {
    const slack = new FakeFinder({ 'emma.walsh@trafford.gov.uk': 'U07EMMA01' });
    const b = await aBot({ finders: [slack] });
    await b.load(sheet('lucy.chambers@trafford.gov.ukk', 'U07EMMA01'));
    const lucy = (await b.repo.personByEmail('lucy.chambers@trafford.gov.ukk'))!;
    const r = await b.directory.reach(lucy, b.clock.now());
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.reason).toContain('the Slack ID U07EMMA01 from the People sheet is not confirmed as theirs (Slack user U07EMMA01 has another e-mail address), and no Slack member has the e-mail lucy.chambers@trafford.gov.ukk');
    expect(await b.repo.personByPlatformUser('slack', 'U07EMMA01')).toBeNull();
  });
});
