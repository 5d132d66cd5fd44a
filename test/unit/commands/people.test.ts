// /kpi people on the memory repository: who the bot can reach, and a sync that looks people up.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, FakeFinder, later, said, type TestBot } from '../../support/bot.ts';
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
