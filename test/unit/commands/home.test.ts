// The App Home tab on the memory repository: my indicators; a director's reds; what admins must do.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, FakeFinder, said, type TestBot } from '../../support/bot.ts';
import { homeView } from '../../../commands/home.ts';
import { reply } from '../../../src/messages/build.ts';

describe('App Home', () => {
  let b: TestBot;
  beforeEach(async () => {
    b = await aBot({ finders: [new FakeFinder({})] });
  });
  const home = async (who: Parameters<TestBot['as']>[0]) => said(reply('private', await homeView(b.deps, b.as(who))));

  it('shows an owner what is due, with buttons', async () => {
    const r = await home(b.council.owner);
    expect(r).toContain(`**Your indicators**, ${b.council.owner.displayName}`);
    expect(r).toContain('[Submit 2017/18 Q3]');
    expect(r).toContain('[Write exception report]');
  });

  it('shows a director the reds in their area, and an admin the reviews waiting and who cannot be reached', async () => {
    expect(await home(b.council.director)).toContain(`**Reds in your area** (1 of 3 indicators)\n🔴 \`${b.council.absence.slug}\``);
    await b.load({ people: [{ displayName: 'Lost Person', email: 'lost@council.example' }] });
    await b.directory.reach((await b.repo.personByEmail('lost@council.example'))!, b.clock.now());
    await b.repo.saveExceptionReport({ indicatorId: b.council.absence.id, periodKey: '2017/18 Q3', questions: ['Why?'], answers: ['Winter flu, as every year.'], state: 'submitted', authorId: b.council.owner.id }, { expectedVersion: null });
    const admin = await home(b.council.admin);
    expect(admin).toContain('**Exception reports waiting for review**: 1');
    expect(admin).toContain('**People the bot cannot reach** (1)\n• **Lost Person** (lost@council.example) — no Slack member has the e-mail lost@council.example');
  });

  it('tells someone not in the register how to be added, and what anyone can do', async () => {
    const r = await home(null);
    expect(r).toContain('You are not in the indicator register yet');
    expect(r).toContain('Anyone can look: `/kpi show <indicator>`, `/kpi list red`, `/kpi help`.');
  });
});
