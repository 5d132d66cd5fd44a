// Teams cards from the real commands and jobs: written in Teams' words (the 1:1 chat: `show x`; a
// channel: `@kpi show x`), and within Teams' message size when the register is at its worst — long
// names with emoji, Chinese and Arabic, an exception report of five 3,000-character answers. Every
// activity the fake Bot Connector receives is measured in bytes and checked with `adaptivecards`
// (useTeamsDemo fails a test that sent an invalid or oversized card).
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { CHANNEL, personalChat, useTeamsDemo } from '../support/teams-app.ts';
import { cardElements, cardOf, type ConnectorCall } from '../support/fake-bot-connector.ts';
import { ACTIVITY_LIMIT } from '../../src/platforms/teams/cards.ts';

const textOf = (c: ConnectorCall) => JSON.stringify(c.body);
/** What a card shows: the backslashes escaping plain text's markdown characters (cards.ts, escapeCardMarkdown) dropped, as Teams drops them. */
const shownOf = (c: ConnectorCall) => textOf(c).replace(/\\\\(?=[\\*_[\]<])/g, '');
type Card = { body: Record<string, unknown>[]; actions?: { data?: Record<string, unknown> }[] };
/** What Teams sends back with Action.Execute: every input on the card, as shown. */
const inputsOf = (card: unknown) => Object.fromEntries(cardElements(card).filter((e) => String(e.type).startsWith('Input.')).map((e) => [String(e.id), String(e.value ?? '')]));

describe.each(backends('pglite'))('Teams cards on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const demo = useTeamsDemo(backend, clock);
  const sentTo = (conversationId: string, match: (c: ConnectorCall) => boolean = () => true) => demo.h.connector.waitFor('send', (c) => c.conversationId === conversationId && match(c));

  describe('platform-right wording', () => {
    it('help in the 1:1 chat shows the commands as typed there, never Slack’s /kpi', async () => {
      await demo.h.teams.message('Lucy Chambers', 'help');
      const t = shownOf(await sentTo(personalChat('Lucy')));
      expect(t).toContain('**show <indicator>**');
      expect(t).toContain('**submit <indicator> [period] <value> [est] [prov] [note…]**');
      expect(t).toContain('Examples: **submit sickness-absence last quarter 8.4 est** · **show sickness-absence** · **list red**');
      expect(t).not.toContain('/kpi');
      expect(t).not.toContain('@kpi');
    });

    it('help asked for in a channel still comes privately, in the words of the 1:1 chat', async () => {
      await demo.h.teams.message('Lucy Chambers', 'help', 'channel');
      const t = textOf(await sentTo(personalChat('Lucy')));
      expect(t).toContain('**mine**');
      expect(t).not.toMatch(/\/kpi|@kpi/);
    });

    it('a hint in an error is in Teams’ words too', async () => {
      await demo.h.teams.message('Lucy Chambers', 'list everything-green');
      const t = textOf(await sentTo(personalChat('Lucy')));
      expect(t).toContain('Try list red, amber, green, overdue, mine, or a theme');
      expect(t).not.toContain('/kpi');
    });

    it('in a channel, where only an @mention reaches the bot, commands are written with it', async () => {
      await demo.h.teams.install('Priya Shah', 'channel');
      const t = textOf(await sentTo(CHANNEL));
      expect(t).toContain('**@kpi show sickness-absence**');
      expect(t).toContain('**@kpi list red**');
      expect(t).not.toContain('/kpi');
    });

    it('keeps short names apart from the full names beside them', async () => {
      await demo.h.teams.message('Lucy Chambers', 'mine');
      const t = textOf(await sentTo(personalChat('Lucy'), (c) => textOf(c).includes('Your indicators')));
      expect(t).toMatch(/\*\*sickness-absence\*\* Reduce the level of sickness absence/);
      expect(t).not.toContain('sickness-absenceSickness');
    });
  });

  describe('within Teams’ message size at the register’s worst', () => {
    const heavyName = (name: string) => `${name} — 👩🏽‍💼 质量评估指标 مؤشر الأداء الرئيسي ${'é'.repeat(30)} 🔴📈`;
    /** A 3,000-character answer, mostly Chinese (3 bytes a character), with enough words to count as an answer. */
    const answer = (i: number) => `${'plan 质量评估质量评估质量评估 '.repeat(166)}#${i}`.padEnd(3000, '质');
    let lucyId: number;
    let indicatorId: number;

    beforeAll(async () => {
      for (const ind of await demo.db.prisma.indicator.findMany({ select: { id: true, name: true } })) {
        await demo.db.prisma.indicator.update({ where: { id: ind.id }, data: { name: heavyName(ind.name) } });
      }
      const questions = Array.from({ length: 5 }, (_, i) => `Question ${i + 1}: ${'为什么 performance 处于当前水平？'.repeat(6)}`);
      await demo.h.app.deps.repo.updateOrg({ exceptionQuestions: questions });
      lucyId = (await demo.db.prisma.person.findFirstOrThrow({ where: { displayName: 'Lucy Chambers' } })).id;
      indicatorId = (await demo.db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } })).id;
      // An earlier test in this file may have started this report: write over whatever version stands.
      const existing = await demo.h.app.deps.repo.exceptionReport(indicatorId, '2017/18 Q3');
      await demo.h.app.deps.repo.saveExceptionReport({ indicatorId, periodKey: '2017/18 Q3', questions, answers: questions.map((_, i) => answer(i)), state: 'draft', authorId: lucyId }, { expectedVersion: existing?.version ?? null });
    });

    it('an exception report of five 3,000-character answers: page by page, the draft in the card once, submitted whole', async () => {
      await demo.h.teams.message('Lucy Chambers', 'exception sickness-absence 2017/18 Q3');
      let card = cardOf(await sentTo(personalChat('Lucy'))) as unknown as Card;
      const title = String(card.body[0]!.text);
      const pages = Number(/\(1 of (\d+)\)$/.exec(title)?.[1]);
      expect(pages).toBeGreaterThan(1);
      const seen = new Set<string>();
      for (let page = 1; ; page++) {
        for (const [id, v] of Object.entries(inputsOf(card))) if (/#\d/.test(v)) seen.add(`${id}=${/#\d/.exec(v)![0]}`);
        const buttons = card.actions!.map((a) => a.data!);
        // Buttons carry the stored form's id, never the answers.
        for (const b of buttons) expect(JSON.stringify(b).length).toBeLessThan(120);
        const next = buttons.find((b) => b.go === 'next' || b.go === 'submit')!;
        const r = await demo.h.teams.execute('Lucy Chambers', { ...next, ...inputsOf(card) });
        expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(ACTIVITY_LIMIT);
        card = (r.json as { value: Card }).value;
        if (next.go === 'submit') break;
        expect(String(card.body[0]!.text)).toContain(`(${page + 1} of ${pages})`);
      }
      expect([...seen].sort()).toEqual(['f:q0=#0', 'f:q1=#1', 'f:q2=#2', 'f:q3=#3', 'f:q4=#4']);
      expect(JSON.stringify(card)).toContain('Exception report submitted');
      const saved = await demo.db.prisma.exceptionReport.findFirstOrThrow({ where: { indicatorId, periodKey: '2017/18 Q3' } });
      expect(saved.state).toBe('submitted');
      expect((saved.answers as string[]).map((a) => a.length)).toEqual([3000, 3000, 3000, 3000, 3000]);
      expect(await demo.db.prisma.openForm.count({ where: { audience: 'aad-lucy' } })).toBe(0);

      // The performance admin's review message: every answer, over several cards, each within the limit.
      demo.h.connector.reset();
      expect((await demo.h.app.outbox.drain(clock.now())).sent).toBeGreaterThan(0);
      // Priya's 1:1 chat: the one she wrote in, or the one the bot started for her.
      const toPriya = demo.h.connector.callsTo('send').filter((c) => c.conversationId.toLowerCase().includes('priya'));
      expect(toPriya.length).toBeGreaterThan(1);
      const all = toPriya.map(textOf).join('');
      for (let i = 0; i < 5; i++) expect(all).toContain(`#${i}`);
      expect(all).toContain('"id":"approve-exception"');
    });

    it('every list, chase and digest of a register with such names fits', async () => {
      await demo.h.teams.message('Priya Shah', 'list');
      await demo.h.teams.message('Lucy Chambers', 'mine');
      await demo.h.teams.message('Emma Walsh', 'show sickness-absence', 'channel');
      await demo.h.settle();
      clock.set('2018-02-19T08:00:00Z');
      for (const job of ['chase-data', 'chase-exceptions', 'weekly-digest'] as const) expect((await demo.h.app.runner.run(job, clock.now())).outcome).toBe('ok');
      const sends = demo.h.connector.callsTo('send');
      expect(sends.length).toBeGreaterThan(8);
      // Sizes and validity of every one are checked after the test (cardProblems); here: nothing was cut short.
      const list = sends.filter((c) => c.conversationId === personalChat('Priya') && textOf(c).includes('All indicators'));
      expect(list.length).toBeGreaterThan(0);
    });
  });
});
