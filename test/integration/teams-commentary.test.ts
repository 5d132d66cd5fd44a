// Commentary on Teams, through the fake Bot Connector on the demo (its own date, 15 January 2018: Building
// Strong Communities' 2017/18 Q3 commentary is owed by its director, Tom Brennan): `commentary` opens a
// card with one field per section, pre-filled with what is written; submitting it saves a draft or the
// commentary; someone else is refused, by the command and by a submission of the director's card; and
// the chase's "Write commentary" button opens the card. Every card is checked as Adaptive Cards.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { personalChat, useTeamsDemo, type TeamsHarness } from '../support/teams-app.ts';
import { cardElements, cardOf, type ConnectorCall } from '../support/fake-bot-connector.ts';

/** As sheets and people write it: markup characters, an ampersand, angle brackets, a mention-like token, a second line. */
const MESSY = 'Community safety figures are *late* from the police (Q3 <2 weeks> & counting, see <@U123>).\nRecorded crime is 4% up_on_last_year.';

const textOf = (c: ConnectorCall) => JSON.stringify(c.body);
type Card = { body: Record<string, unknown>[]; actions?: Record<string, unknown>[] };
type InvokeBody = { statusCode: number; type: string; value: Card | string };

/** The form card's section inputs (label, kind, value), and the data its submit button carries. */
function formOf(card: unknown) {
  const els = cardElements(card);
  const inputs = els.filter((e) => /^f:s\d$/.test(String(e.id))).map((e) => [String(e.label), e.type, e.isMultiline, String(e.value ?? '')]);
  const submit = els.find((e) => e.type === 'Action.Execute' && (e.data as { kpi?: string }).kpi === 'form')!;
  return { inputs, data: submit.data as Record<string, unknown> };
}

describe.each(backends('pglite'))('commentary on Teams (%s)', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const demo = useTeamsDemo(backend, clock);
  let db: TestDatabase;
  let h: TeamsHarness;
  let strong: number;
  beforeAll(async () => {
    ({ db, h } = demo);
    strong = (await db.prisma.theme.findFirstOrThrow({ where: { slug: 'strong-communities' } })).id;
  });
  const versions = () => db.prisma.commentary.findMany({ where: { themeId: strong, periodKey: '2017/18 Q3' }, orderBy: { version: 'asc' } });
  const sentTo = (first: string, match: (c: ConnectorCall) => boolean = () => true) => h.connector.waitFor('send', (c) => c.conversationId === personalChat(first) && match(c));

  it('opens a card with one field per section, pre-filled with the draft, and saves a draft then the commentary', async () => {
    await h.teams.message('Tom Brennan', 'commentary strong-communities doing well: Volunteering is up on last year across every ward.');
    expect(textOf(await sentTo('Tom'))).toContain('Draft saved for **Building Strong Communities**');
    h.connector.reset();

    await h.teams.message('Tom Brennan', 'commentary');
    const form = formOf(cardOf(await sentTo('Tom')));
    expect(form.inputs).toEqual([
      ['Key messages', 'Input.Text', true, ''],
      ['Doing well', 'Input.Text', true, 'Volunteering is up on last year across every ward.'],
      ['Could do better', 'Input.Text', true, ''],
    ]);

    const draft = await h.teams.execute('Tom Brennan', { ...form.data, 'f:s0': 'Thrive is live in three of four localities.', 'f:s1': 'Volunteering is up on last year across every ward.', 'f:s2': '', 'f:draft': 'draft' });
    expect(JSON.stringify(draft.json)).toContain('Still to write: “Could do better”');
    expect((await versions()).map((v) => [v.version, v.state])).toEqual([
      [1, 'draft'],
      [2, 'draft'],
    ]);

    // Submitted with a section empty: the card again with the error beside it, nothing saved.
    h.connector.reset();
    await h.teams.message('Tom Brennan', 'commentary');
    const again = formOf(cardOf(await sentTo('Tom')));
    expect(again.inputs.map((i) => i[3])).toEqual(['Thrive is live in three of four localities.', 'Volunteering is up on last year across every ward.', '']);
    const empty = await h.teams.execute('Tom Brennan', { ...again.data, 'f:s0': 'Thrive is live in three of four localities.', 'f:s1': 'Volunteering is up.', 'f:s2': '' });
    expect(JSON.stringify(empty.json)).toContain('Write “Could do better” before submitting');
    expect(await versions()).toHaveLength(2);

    const done = await h.teams.execute('Tom Brennan', { ...again.data, 'f:s0': 'Thrive is live in three of four localities.', 'f:s1': 'Volunteering is up on last year across every ward.', 'f:s2': MESSY });
    expect((done.json as InvokeBody).type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(done.json)).toContain('Commentary submitted for **Building Strong Communities**');
    const saved = (await versions()).at(-1)!;
    const tom = await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Tom Brennan' } });
    expect([saved.version, saved.state, saved.authorId, saved.source]).toEqual([3, 'submitted', tom.id, 'chat:teams']);
    expect((saved.sections as { text: string }[])[2]!.text).toBe(MESSY);

    // Opened again: the submitted text, every section, exactly as written.
    h.connector.reset();
    await h.teams.message('Tom Brennan', 'commentary strong-communities');
    expect(formOf(cardOf(await sentTo('Tom'))).inputs.map((i) => i[3])).toEqual(['Thrive is live in three of four localities.', 'Volunteering is up on last year across every ward.', MESSY]);
  });

  it('refuses anyone else: the command, and a submission of the director’s card in their name', async () => {
    await h.teams.message('Lucy Chambers', 'commentary strong-communities');
    expect(textOf(await sentTo('Lucy'))).toContain('Sorry, only Tom Brennan (the theme’s director), their deputy or a performance admin can write the commentary for Building Strong Communities.');

    await h.teams.message('Tom Brennan', 'commentary');
    const form = formOf(cardOf(await sentTo('Tom')));
    const before = await versions();
    const r = await h.teams.execute('Lucy Chambers', { ...form.data, 'f:s0': 'Not mine to write at all.', 'f:s1': 'Not mine to write at all.', 'f:s2': 'Not mine to write at all.' });
    expect(r.status).toBe(200);
    expect(await versions()).toEqual(before);
    expect(JSON.stringify(r.json)).toContain('This form was opened for someone else');

    // The chase's button, pressed by someone else (a message forwarded, a card in a shared chat): refused, no form.
    h.connector.reset();
    const press = await h.teams.execute('Lucy Chambers', { kpi: 'action', id: 'open-commentary', value: JSON.stringify({ themeId: strong, periodKey: '2017/18 Q3' }) });
    expect(press.status).toBe(200);
    const told = JSON.stringify(press.json) + (await sentTo('Lucy').then(textOf, () => ''));
    expect(told).toContain('Sorry, only Tom Brennan (the theme’s director), their deputy or a performance admin');
    expect(told).not.toContain('f:s0');
  });

  it('opens the card from the chase’s “Write commentary” button', async () => {
    // On 5 February (by the app's clock, past the demo's date) the quarter's commentary is due: chase-actions asks the directors who owe it.
    const at = new Date('2018-02-05T10:00:00Z');
    expect((await h.app.runner.run('chase-actions', at)).outcome).toBe('ok');
    await h.app.runner.run('drain-outbox', at);
    // The bot starts the 1:1 chat with someone who has not written to it.
    const chase = await h.connector.waitFor('send', (c) => c.conversationId.includes('david') && textOf(c).includes('open-commentary'));
    expect(textOf(chase)).toContain('Optimising technology');
    const button = cardElements(cardOf(chase)).find((e) => e.type === 'Action.Execute' && (e.data as { id?: string }).id === 'open-commentary')!;
    h.connector.reset();
    const r = await h.teams.execute('David Price', button.data as Record<string, unknown>);
    expect(r.status).toBe(200);
    const card = (r.json as InvokeBody).type === 'application/vnd.microsoft.card.adaptive' ? (r.json as InvokeBody).value : cardOf(await h.connector.waitFor('send', (c) => c.conversationId.includes('david')));
    expect(JSON.stringify(card)).toContain('Optimising technology');
    expect(formOf(card).inputs.map((i) => i[0])).toEqual(['Key messages', 'Doing well', 'Could do better']);
  });
});
