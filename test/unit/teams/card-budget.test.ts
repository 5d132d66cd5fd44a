// Every Teams card builder under worst-case inputs stays within Teams' message limit, measured as
// Teams measures it: the serialized activity, in bytes. fast-check builds the inputs from the worst
// there is — five 3,000-character exception-report answers, 49-row tables, long names mixing emoji,
// Chinese, Arabic and Latin text, every kind of block at its largest — and each card is also checked
// with Microsoft's `adaptivecards` library at its declared version. Nothing is silently lost: every
// table row and every answer is in one of the cards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_LIMIT, cardActivity, escapeCardMarkdown, formCard, jsonBytes, messageCard, messageCards, type CardFile, type CardImage, type MentionMap, type TeamsConversation } from '../../../src/platforms/teams/cards.ts';
import type { Action, Block, Form, Message } from '../../../src/messages/types.ts';
import { cardProblems } from '../../support/adaptive-cards.ts';

fc.configureGlobal({ seed: process.env.KPI_FUZZ_SEED === 'random' ? Date.now() : Number(process.env.KPI_FUZZ_SEED ?? 20180205), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 20), endOnFailure: true });

const REF = 'AAAAAAAAAAAAAAAAAAAAAA';
// What a register and an officer's answers can hold: 4-byte emoji, 3-byte Chinese, 2-byte Arabic and accents, markup characters.
const PIECES = ['🔴', '📈', '👩🏽‍💼', '质量', '评估', 'مؤشر', 'é', 'ß', 'Sickness', ' absence', ' ', '*', '_', '`', '<', '>', '&', '"', '\n'];
const worstText = (min: number, max: number) => fc.array(fc.constantFrom(...PIECES), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** A string of exactly `n` UTF-16 units (what an input's maxLength counts), from the heaviest characters. */
const heavy = (n: number) => fc.constantFrom('质', 'é', 'x', '🔴').map((c) => c.repeat(Math.ceil(n / c.length)).slice(0, n - (c.length > 1 ? n % c.length : 0)));
const name = worstText(60, 200);
const conversation = fc.constantFrom<TeamsConversation>('personal', 'channel', 'groupChat');

const mentions: MentionMap = new Map(
  Array.from({ length: 6 }, (_, i) => [i + 1, { teamsUserId: i % 2 ? null : `aad-${i}`, displayName: `Ṁéñtiöñëd 👩🏽‍💼 Person ${i} 质量评估` }]),
);

const action: fc.Arbitrary<Action> = fc.record({
  id: fc.constantFrom('show', 'open-submit', 'open-exception', 'snooze'),
  label: worstText(1, 75),
  value: fc.constant(JSON.stringify({ indicatorId: 123456, periodKey: '2025/26 Q2' })),
  style: fc.constantFrom(undefined, 'primary', 'danger'),
}).map((a) => ({ ...a, style: a.style ?? undefined }) as Action);

/** 49 rows (a whole register's quarter): a long name, then values, targets, statuses as long as they come. */
const table = fc.integer({ min: 3, max: 7 }).chain((cols) =>
  fc.record({
    type: fc.constant('table' as const),
    columns: fc.array(worstText(3, 30), { minLength: cols, maxLength: cols }),
    rows: fc.array(fc.tuple(name, fc.array(worstText(1, 24), { minLength: cols - 1, maxLength: cols - 1 })).map(([n, rest]) => [n, ...rest]), { minLength: 49, maxLength: 49 }),
  }),
);

const block: fc.Arbitrary<Block> = fc.oneof(
  name.map((t) => ({ type: 'header' as const, text: t })),
  worstText(1000, 3000).map((t) => ({ type: 'text' as const, text: `${t} <@person:1> \`/kpi show x\`` })),
  worstText(100, 2000).map((t) => ({ type: 'context' as const, text: t })),
  fc.array(fc.record({ label: worstText(5, 60), value: worstText(50, 2000) }), { minLength: 1, maxLength: 10 }).map((f) => ({ type: 'fields' as const, fields: f })),
  table,
  fc.constant({ type: 'divider' as const }),
  fc.array(action, { minLength: 1, maxLength: 25 }).map((a) => ({ type: 'actions' as const, actions: a })),
  name.map((t) => ({ type: 'chart' as const, title: t, chart: { kind: 'direction-counts' as const, title: 'x', improving: 1, maintained: 1, declining: 1 } })),
  name.map((t) => ({ type: 'file' as const, file: { filename: `${t}.pdf`, mimeType: 'application/pdf', title: t, base64: '' } })),
);

const msg: fc.Arbitrary<Message> = fc.record({ text: worstText(100, 3000), blocks: fc.array(block, { minLength: 1, maxLength: 30 }) });

/** What publishing a message's charts and files gives: long URLs and alt text as long as Slack allows. */
function hostedFor(m: Message): { images: CardImage[]; files: CardFile[] } {
  const url = (kind: string, i: number) => `https://kpi.a-rather-long-council-name.gov.uk/${kind}/${'A'.repeat(22)}${i}/${'x'.repeat(150)}.pdf`;
  return {
    images: m.blocks.filter((b) => b.type === 'chart').map((_, i) => ({ url: url('charts', i), altText: '质'.repeat(1000) })),
    files: m.blocks.filter((b) => b.type === 'file').map((b, i) => ({ url: url('files', i), filename: (b as { file: { filename: string } }).file.filename, title: (b as { file: { title: string } }).file.title, size: 2_400_000 })),
  };
}

function expectSendable(card: unknown, summary: string) {
  const bytes = jsonBytes(cardActivity(card as never, summary));
  expect(bytes).toBeLessThanOrEqual(ACTIVITY_LIMIT);
  expect(cardProblems(card)).toEqual([]);
  expect((card as { fallbackText?: string }).fallbackText).toBeTruthy();
  return bytes;
}

describe('every Teams card within 28 KB (bytes, serialized) under worst-case inputs', () => {
  it('messages: every part of any message, and the single card of an edit', () => {
    fc.assert(
      fc.property(msg, conversation, (m, conv) => {
        const hosted = hostedFor(m);
        const parts = messageCards(m, mentions, hosted, { conversation: conv });
        for (const p of parts) expectSendable(p.card, p.summary);
        expectSendable(messageCard(m, mentions, hosted, { conversation: conv }), m.text.slice(0, 250));
        // Short of the five-card cap, nothing is left out: every table row's first cell is in some card.
        if (parts.length < 5) {
          const all = JSON.stringify(parts.map((p) => p.card));
          for (const b of m.blocks) if (b.type === 'table') for (const row of b.rows) expect(all).toContain(JSON.stringify(escapeCardMarkdown(row[0]!)).slice(1, 20));
        }
      }),
    );
  });

  it('a 49-row table of long non-Latin names is split by rows, its header on every card', () => {
    fc.assert(
      fc.property(table, (t) => {
        const parts = messageCards({ text: 'table', blocks: [t] }, mentions);
        const tables = parts.flatMap((p) => p.card.body.filter((e) => e.type === 'Table')) as { rows: { cells: { items: { text: string }[] }[] }[] }[];
        expect(tables.reduce((n, tb) => n + tb.rows.length - 1, 0)).toBe(49);
        for (const tb of tables) expect(tb.rows[0]!.cells.map((c) => c.items[0]!.text)).toEqual(t.columns.map((c) => escapeCardMarkdown(c) || ' '));
        for (const p of parts) expectSendable(p.card, p.summary);
      }),
    );
  });

  const exceptionForm = (questions: string[], answers: string[], indicatorName: string, comment: string): Form => ({
    id: 'exception',
    title: 'Exception report',
    submitLabel: 'Submit',
    intro: [
      {
        type: 'fields',
        fields: [
          { label: 'Theme', value: indicatorName },
          { label: 'Indicator', value: `BV 12i ${indicatorName}` },
          { label: 'Baseline', value: '10.2 days (2016/17)' },
          { label: 'Target and timescale', value: '8.5 days · 2025/26 Q2' },
          { label: 'Actual and timescale', value: '10.49 days (estimated) · 2025/26 Q2' },
          { label: 'Status', value: 'Red' },
        ],
      },
      { type: 'context', text: 'Red: 10.49 days against a target of 8.5 days (amber up to 9.35 days); declining from 10.18 days in Q1.' },
      { type: 'text', text: `**Returned by the performance team:** ${comment}` },
    ],
    fields: [
      ...questions.map((q, i) => ({ id: `q${i}`, label: q.slice(0, 150), kind: 'textarea' as const, maxLength: 3000, initial: answers[i]! })),
      { id: 'draft', label: 'Draft', kind: 'checkboxes' as const, options: [{ value: 'draft', label: 'Save as a draft — I will finish it later' }] },
    ],
    state: JSON.stringify({ indicatorId: 123456, periodKey: '2025/26 Q2' }),
  });

  it('forms: an exception report with five 3,000-character answers, every page, every error shown', () => {
    fc.assert(
      fc.property(fc.array(worstText(60, 300), { minLength: 5, maxLength: 5 }), fc.array(heavy(3000), { minLength: 5, maxLength: 5 }), name, heavy(2000), fc.boolean(), (questions, answers, indicatorName, comment, withErrors) => {
        const form = exceptionForm(questions, answers, indicatorName, comment);
        const errors = withErrors ? Object.fromEntries(questions.map((_, i) => [`q${i}`, `“${answers[i]!.slice(0, 40)}” is too short to explain anything: say what, why and when in a sentence or two.`])) : undefined;
        const first = formCard(form, mentions, { ref: REF, ...(errors ? { errors } : {}) });
        const seen = new Set<string>();
        for (let page = 0; page < first.pages.length; page++) {
          const p = formCard(form, mentions, { ref: REF, page, ...(errors ? { errors } : {}) });
          expectSendable(p.card, p.summary);
          for (const el of p.card.body) if ('id' in el && el.id) seen.add(String(el.id));
          // The draft is in the card once: in the inputs, never again in a button's data.
          for (const a of p.card.actions ?? []) expect(JSON.stringify(a).length).toBeLessThan(300);
        }
        expect([...seen].filter((id) => id.startsWith('f:')).sort()).toEqual(['f:draft', 'f:q0', 'f:q1', 'f:q2', 'f:q3', 'f:q4']);
      }),
    );
  });

  it('forms: a submit form whose picker offers fifty long names', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ value: fc.integer({ min: 1, max: 999999 }).map(String), label: name }), { minLength: 50, maxLength: 50 }), (choices) => {
        const form: Form = {
          ...{ id: 'submit', title: 'Submit a value', submitLabel: 'Save', state: '{}' },
          fields: [
            { id: 'indicator', label: 'Indicator', kind: 'indicator', required: true, placeholder: 'Start typing a name', initial: choices[0]!.value, initialLabel: choices[0]!.label },
            { id: 'period', label: 'Period', kind: 'text', required: true },
            { id: 'value', label: 'Value', kind: 'number', required: true },
            { id: 'flags', label: 'Markers', kind: 'checkboxes', options: [{ value: 'estimated', label: 'Estimated (an assessment, not the final figure)' }, { value: 'provisional', label: 'Provisional (subject to verification)' }] },
            { id: 'note', label: 'Note (optional)', kind: 'textarea', maxLength: 3000, initial: '质'.repeat(3000) },
          ],
        };
        const p = formCard(form, mentions, { ref: REF, choices: { indicator: choices } });
        expectSendable(p.card, p.summary);
        expect(p.pages).toHaveLength(1);
      }),
    );
  });
});
