// Neutral messages and forms as Adaptive Cards, and Bot Connector retry timing.
import { describe, expect, it } from 'vitest';
import { ACTIVITY_BUDGET, cardActivity, formCard, formValues, jsonBytes, messageCard, messageCards, sizeText, type CardElement, type MentionMap } from '../../../src/platforms/teams/cards.ts';
import { contentDisposition, safeFilename } from '../../../src/platforms/teams/hosted-files.ts';
import { file } from '../../../src/messages/build.ts';
import { importForm } from '../../../commands/import.ts';
import { commandText } from '../../../src/platforms/teams/activity.ts';
import { retryAfterMs, TeamsApiError, withRetry } from '../../../src/platforms/teams/retry.ts';
import { silentLogger } from '../../../src/log.ts';
import type { Form } from '../../../src/messages/types.ts';

/** Card elements as plain records, for reading properties any element may have. */
const els = (body: CardElement[]) => body as unknown as Record<string, unknown>[];
const REF = 'AAAAAAAAAAAAAAAAAAAAAA';

const mentions: MentionMap = new Map([
  [1, { teamsUserId: 'aad-1', displayName: 'Lucy Chambers' }],
  [2, { teamsUserId: null, displayName: 'Ben Thornton' }],
]);

describe('message cards', () => {
  it('renders markup as Teams markdown, with mention entities for people linked to Teams and commands as typed here', () => {
    const msg = { text: 'x', blocks: [{ type: 'text' as const, text: 'Owner <@person:1>, deputy <@person:2>: run `/kpi show x` for `sickness-absence` Sickness absence\nnext \\*line' }] };
    const personal = messageCard(msg, mentions);
    expect(els(personal.body)[0]!.text).toBe('Owner <at>Lucy Chambers</at>, deputy **Ben Thornton**: run **show x** for **sickness-absence** Sickness absence\n\nnext \\*line');
    expect(personal.msteams.entities).toEqual([{ type: 'mention', text: '<at>Lucy Chambers</at>', mentioned: { id: 'aad-1', name: 'Lucy Chambers' } }]);
    expect(els(messageCard(msg, mentions, {}, { conversation: 'channel' }).body)[0]!.text).toContain('run **@kpi show x** for');
    // A hint written without backticks is rewritten too.
    const hint = { text: 'x', blocks: [{ type: 'context' as const, text: 'Usage: /kpi close-quarter <period>, e.g. /kpi close-quarter 2025/26 Q2' }] };
    expect(els(messageCard(hint, mentions).body)[0]!.text).toBe('Usage: close-quarter \\<period>, e.g. close-quarter 2025/26 Q2');
    expect(els(messageCard(hint, mentions, {}, { conversation: 'groupChat' }).body)[0]!.text).toBe('Usage: @kpi close-quarter \\<period>, e.g. @kpi close-quarter 2025/26 Q2');
  });

  it('puts at most three buttons in a row with short titles, and gives every card a fallback text', () => {
    const actions = Array.from({ length: 8 }, (_, i) => ({ id: 'show' as const, label: `B${i}`, value: `v${i}` }));
    const c = messageCard({ text: 'Buttons for `/kpi list`', blocks: [{ type: 'actions', actions }, { type: 'actions', actions: [{ id: 'show', label: 'Write report: a-very-long-indicator-short-name', value: 'x' }] }] }, mentions);
    expect(els(c.body).map((r) => (r.actions as unknown[]).length)).toEqual([3, 3, 2, 1]);
    expect(els(c.body).at(-1)!.actions).toEqual([expect.objectContaining({ title: 'Write report: a-very-lo…', tooltip: 'Write report: a-very-long-indicator-short-name' })]);
    expect(c.fallbackText).toBe('Buttons for list');
  });

  it('splits a message too large for one Teams message into several, each within the byte budget, buttons kept', () => {
    const actions = [{ id: 'show' as const, label: 'Show', value: 'v' }];
    const parts = messageCards({ text: 'x', blocks: [...Array.from({ length: 400 }, (_, i) => ({ type: 'text' as const, text: `line ${i} ${'é'.repeat(80)}` })), { type: 'actions', actions }] }, mentions);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(jsonBytes(cardActivity(p.card, p.summary))).toBeLessThanOrEqual(ACTIVITY_BUDGET);
    expect(JSON.stringify(parts.map((p) => p.card))).toContain('line 399');
    expect(els(parts[1]!.card.body)[0]!.text).toBe(`Continued (2 of ${parts.length})`);
    expect(parts.at(-1)!.card.body.at(-1)!.type).toBe('ActionSet');
    // Where only one card fits (an edited post), the first part, saying the rest was left out.
    expect(JSON.stringify(messageCard({ text: 'x', blocks: [...Array.from({ length: 400 }, (_, i) => ({ type: 'text' as const, text: `line ${i} ${'é'.repeat(80)}` }))] }, mentions))).toContain('Shortened to fit Teams');
  });
});

describe('file blocks', () => {
  const report = file('report_2017-18_q3.md', 'text/markdown', new TextEncoder().encode('# Report\n'), 'Performance report 2017/18 Q3');
  const hosted = { url: 'https://kpi.council.test/files/AAAAAAAAAAAAAAAAAAAAAA/report_2017-18_q3.md', filename: 'report_2017-18_q3.md', title: 'Performance report 2017/18 Q3', size: 2_400_000 };

  it('become the file’s title and name as plain text, and a Download button that opens the hosted link', () => {
    const card = messageCard({ text: 'x', blocks: [{ type: 'text', text: 'Here it is' }, report] }, mentions, { files: [hosted] });
    expect(card.body.slice(1)).toEqual([
      {
        type: 'RichTextBlock',
        inlines: [
          { type: 'TextRun', text: '📎 Performance report 2017/18 Q3', weight: 'Bolder' },
          { type: 'TextRun', text: ' — report_2017-18_q3.md, 2.4 MB', isSubtle: true },
        ],
      },
      { type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Download', tooltip: 'Download report_2017-18_q3.md', url: hosted.url }] },
    ]);
    // The bytes never travel in the card.
    expect(JSON.stringify(card)).not.toContain(report.type === 'file' ? report.file.base64 : '?');
  });

  it('pairs each file block with its own link, keeps the links when a long card is shortened, and says when a file is missing', () => {
    const second = { ...hosted, url: `${hosted.url}2`, filename: 'b.txt' };
    const long = messageCards({ text: 'x', blocks: [report, ...Array.from({ length: 2000 }, (_, i) => ({ type: 'text' as const, text: `line ${i} ${'x'.repeat(80)}` })), report] }, mentions, { files: [hosted, second] });
    expect(long).toHaveLength(5);
    for (const p of long) expect(jsonBytes(cardActivity(p.card, p.summary))).toBeLessThanOrEqual(ACTIVITY_BUDGET);
    expect(JSON.stringify(long.at(-1)!.card)).toContain('Shortened to fit Teams');
    const urls = long.flatMap((p) => els(p.card.body)).filter((e) => e.type === 'ActionSet').map((e) => (e.actions as { url: string }[])[0]!.url);
    expect(urls).toEqual([hosted.url, second.url]);
    const missing = messageCard({ text: 'x', blocks: [report] }, mentions);
    expect(missing.body).toEqual([{ type: 'TextBlock', text: '📎 Performance report 2017/18 Q3: this file is not available here.', wrap: true, isSubtle: true }]);
  });

  it('says sizes as people read them', () => {
    expect([sizeText(512), sizeText(18_400), sizeText(2_400_000)]).toEqual(['512 bytes', '18 KB', '2.4 MB']);
  });

  it('are served under a safe name, as a download', () => {
    expect(safeFilename('../etc/passwd')).toBe('.._etc_passwd');
    expect(safeFilename('a\nb/c.csv')).toBe('a_b_c.csv');
    expect(safeFilename('..')).toBe('file');
    expect(contentDisposition('Rapport été "Q3".pdf')).toBe(`attachment; filename="Rapport _t_ _Q3_.pdf"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9%20%22Q3%22.pdf`);
  });
});

describe('form cards', () => {
  const form: Form = {
    id: 'submit',
    title: 'Submit a value',
    submitLabel: 'Save',
    state: '{}',
    fields: [
      { id: 'value', label: 'Value', kind: 'text', required: true },
      { id: 'flags', label: 'Flags', kind: 'checkboxes', options: [{ value: 'estimated', label: 'Estimated' }, { value: 'provisional', label: 'Provisional' }] },
      { id: 'note', label: 'Note', kind: 'textarea' },
    ],
  };

  it('shows each error under its field and others at the top, keeping what was typed; its buttons carry only the stored form’s id', () => {
    const { card, pages } = formCard(form, mentions, { ref: REF, values: { value: 'lots', flags: ['estimated'] }, errors: { value: 'lots is not a number', period: 'which period?' } });
    const ids = els(card.body).map((e) => e.id ?? e.text);
    expect(ids).toEqual(['Submit a value', '⚠️ which period?', 'f:value', '⚠️ lots is not a number', 'f:flags', 'f:note']);
    expect(els(card.body).find((e) => e.id === 'f:flags')).toMatchObject({ isMultiSelect: true, value: 'estimated', wrap: true });
    expect(card.actions!.map((a) => [a.title, (a as { data: unknown }).data])).toEqual([
      ['Save', { kpi: 'form', ref: REF, page: 0, go: 'submit' }],
      ['Cancel', { kpi: 'cancel', ref: REF }],
    ]);
    expect(pages).toEqual([['value', 'flags', 'note']]);
    expect(card.fallbackText).toContain('Submit a value');
  });

  it('marks a field that must be given as required, and says which may be left empty, as Slack does', () => {
    const { card } = formCard(form, mentions, { ref: REF });
    const input = (id: string) => els(card.body).find((e) => e.id === `f:${id}`) as { label?: string; isRequired?: boolean };
    expect(input('value')).toMatchObject({ label: 'Value', isRequired: true });
    expect(input('note').label).toBe('Note (optional)');
    expect(input('note').isRequired).toBeUndefined();
    expect(input('flags').label).toBe('Flags');
  });

  it('shows a form too large for one Teams message page by page, each within the budget, errors pointing at their page', () => {
    const answer = (i: number) => `${'质量'.repeat(1400)} ${i}`;
    const big: Form = { ...form, fields: Array.from({ length: 5 }, (_, i) => ({ id: `q${i}`, label: `Question ${i + 1}`, kind: 'textarea' as const, maxLength: 3000 })) };
    const values = Object.fromEntries(big.fields.map((f, i) => [f.id, answer(i)]));
    const first = formCard(big, mentions, { ref: REF, values });
    expect(first.pages.length).toBeGreaterThan(1);
    expect(first.pages.flat()).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    for (let page = 0; page < first.pages.length; page++) {
      const p = formCard(big, mentions, { ref: REF, values, page });
      expect(jsonBytes(cardActivity(p.card, p.summary))).toBeLessThanOrEqual(ACTIVITY_BUDGET);
      expect(els(p.card.body)[0]!.text).toBe(`Submit a value (${page + 1} of ${first.pages.length})`);
      const go = p.card.actions!.map((a) => ((a as { data: { go?: string } }).data.go ?? 'cancel'));
      expect(go).toEqual([...(page > 0 ? ['back'] : []), page < first.pages.length - 1 ? 'next' : 'submit', 'cancel']);
    }
    const last = first.pages.length - 1;
    const withError = formCard(big, mentions, { ref: REF, values, errors: { q4: 'too short' } });
    expect(withError.page).toBe(last);
    const onFirst = formCard(big, mentions, { ref: REF, values, errors: { q4: 'too short' }, page: 0 });
    expect(JSON.stringify(onFirst.card.body)).toContain(`Question 5 (page ${last + 1}): too short`);
    // A page's answers are read back by its own fields only.
    expect(formValues(big, { 'f:q0': 'a', 'f:q4': 'b' }, first.pages[0])).toEqual(Object.fromEntries(first.pages[0]!.map((id) => [id, id === 'q0' ? 'a' : undefined])));
  });

  it('shows a form that needs a file as what to do instead: send it in the 1:1 chat, no inputs and no Submit that could only fail', () => {
    const { card } = formCard(importForm(), mentions, { ref: REF });
    expect(card.body[0]).toMatchObject({ text: 'Import a register' });
    const instruction = els(card.body).find((e) => String(e.text).startsWith('**Register file'))!;
    expect(instruction.text).toBe('**Register file (.csv, .xlsx or .json)**: send me the file in our 1:1 chat (attach it to a message), with **dry run** in the message to check it without importing, **accept outliers** to import values that look unusual as they are, or **reason: …** to change values in signed-off quarters.');
    expect(card.body.filter((e) => String(e.type).startsWith('Input.'))).toEqual([]);
    expect(card.actions).toBeUndefined();
    // A card from an older version of the bot, submitted without a file, comes back saying why nothing happened.
    const again = els(formCard(importForm(), mentions, { ref: REF, errors: { file: 'Choose the file to import.' } }).card.body);
    const at = again.indexOf(again.find((e) => String(e.text).startsWith('**Register file'))!);
    expect(again[at + 1]).toMatchObject({ color: 'Attention', text: '⚠️ A Teams card cannot carry a file, so nothing was done: send the file as described above.' });
  });

  it('keeps the other fields and Submit when a file is optional', () => {
    const { card } = formCard({ ...form, fields: [...form.fields, { id: 'evidence', label: 'Evidence', kind: 'file' }] }, mentions, { ref: REF });
    expect(els(card.body).map((e) => e.id ?? e.text)).toEqual(['Submit a value', 'f:value', 'f:flags', 'f:note', '**Evidence**: a card cannot carry a file, so send it to me in our 1:1 chat instead.']);
    expect(card.actions!.map((a) => a.title)).toEqual(['Save', 'Cancel']);
  });

  it('reads submitted values back by field', () => {
    expect(formValues(form, { 'f:value': ' 8.4 ', 'f:flags': 'estimated,provisional', 'f:note': '' })).toEqual({ value: ' 8.4 ', flags: ['estimated', 'provisional'], note: undefined });
  });
});

describe('incoming text', () => {
  it('drops the bot’s own mention and HTML, keeps other names', () => {
    const recipient = { id: '28:bot' };
    const entities = [{ type: 'mention', text: '<at>kpi</at>', mentioned: { id: '28:bot' } }];
    expect(commandText({ text: '<at>kpi</at> show <b>sickness-absence</b>&nbsp;', entities, recipient })).toBe('show sickness-absence');
    expect(commandText({ text: '<p>list <at>Ben</at></p>', entities: [], recipient })).toBe('list Ben');
  });
});

describe('Bot Connector retries', () => {
  const failure = (status: number, retryAfter?: string) => Object.assign(new Error(`HTTP ${status}`), { response: { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} } });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs(failure(429, '2'))).toBe(2000);
    expect(retryAfterMs(failure(429, new Date(10_000).toUTCString()), 4_000)).toBe(6_000);
    expect(retryAfterMs(failure(429))).toBeUndefined();
  });

  it('waits as told on 429, backs off on 5xx, and gives up at once on 403 as permanent', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const answers = [failure(429, '3'), failure(503), 'ok'];
    const r = await withRetry('send', async () => {
      const a = answers.shift()!;
      if (a instanceof Error) throw a;
      return a;
    }, silentLogger, { retries: 3, baseMs: 100, maxWaitMs: 10_000, sleep });
    expect(r).toBe('ok');
    expect(waits[0]).toBe(3000);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    const denied = await withRetry('send', async () => Promise.reject(failure(403)), silentLogger, { retries: 3, baseMs: 1, maxWaitMs: 10, sleep }).catch((e) => e);
    expect(denied).toBeInstanceOf(TeamsApiError);
    expect(denied).toMatchObject({ status: 403, permanent: true });
    // A Retry-After longer than we wait here is left to the outbox's own back-off.
    const later = await withRetry('send', async () => Promise.reject(failure(429, '600')), silentLogger, { retries: 3, baseMs: 1, maxWaitMs: 10_000, sleep }).catch((e) => e);
    expect(later).toMatchObject({ status: 429, permanent: false });
  });
});
