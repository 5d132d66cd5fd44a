// The neutral markup read once, and user text in it shown as typed on every platform: O'Brien & Sons
// stays O'Brien & Sons (Slack decodes its three entities; a Teams card decodes none, so it gets
// backslashes instead), and nothing typed becomes formatting, a link or a mention.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { literal, parseMarkup, plainMarkup, showable } from '../../../src/messages/markup.ts';
import { mentionedPeople, message, text } from '../../../src/messages/build.ts';
import { toFallback, toMrkdwn } from '../../../src/platforms/slack/blocks.ts';
import { escapeCardMarkdown, messageCards } from '../../../src/platforms/teams/cards.ts';
import { renderMessage } from '../../../src/platforms/console/render.ts';
import { markdownText } from '../../../src/report/markdown.ts';
import { aBot, later } from '../../support/bot.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';

/** What Slack shows for mrkdwn text without formatting: its three entities decoded. */
const slackShows = (mrkdwn: string) => mrkdwn.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** What a backslash-escaped markdown text shows (CommonMark: a backslash before punctuation is dropped). */
const markdownShows = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

const TYPED = ["O'Brien & Sons", 'Q3 <5% & >2%', 'Tom &amp; Jerry', 'a_b_c *x* `y` [z](https://evil.example)', '<@person:1> <!channel> <@U123>', 'back\\slash \\*'];

describe('user text in markup', () => {
  it('reads back as exactly what was typed, whatever it holds (only invisible controls go)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const pieces = parseMarkup(literal(s));
        expect(pieces.every((p) => p.kind === 'text')).toBe(true);
        expect(plainMarkup(literal(s))).toBe(showable(s));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the bot’s own markup: bold, italic, code, links and mentions around it', () => {
    const m = `**${literal('A*B')}** _${literal('c_d')}_ \`x\` [label](https://example.org/a) <@person:7> ${literal('<@person:8>')}`;
    expect(parseMarkup(m).map((p) => p.kind)).toEqual(['strong', 'text', 'em', 'text', 'code', 'text', 'link', 'text', 'mention', 'text']);
    expect(mentionedPeople(message('s', text(m)))).toEqual([7]);
    expect(plainMarkup(m, (id) => `P${id}`)).toBe('A*B c_d x label P7 <@person:8>');
  });

  it('shows as typed on Slack: & < > as entities Slack decodes, never a link or a mention', () => {
    for (const t of TYPED) {
      const out = toMrkdwn(literal(t), new Map([[1, { slackUserId: 'U1', displayName: 'Admin' }]]));
      expect(out).not.toMatch(/<[^&]/);
      expect(slackShows(out)).toBe(t);
    }
    expect(toMrkdwn(`**${literal("O'Brien & Sons")}**`, new Map())).toBe("*O'Brien &amp; Sons*");
    expect(toFallback({ text: 'Q3 <5% <@person:1>', blocks: [] })).toBe('Q3 &lt;5% &lt;@person:1&gt;');
  });

  it('shows as typed in a Teams card: backslashes, not entities (a card decodes none)', () => {
    for (const t of TYPED) {
      expect(markdownShows(escapeCardMarkdown(t))).toBe(t);
    }
    expect(escapeCardMarkdown("O'Brien & Sons")).toBe("O'Brien & Sons");
    const [part] = messageCards(message('Q3 <5%', text(`Owner: ${literal('Q3 <5% [x](https://evil.example)')}`)), new Map());
    expect(JSON.stringify(part!.card.body)).toContain('Owner: Q3 <5% \\\\[x\\\\](https://evil.example)');
    expect(part!.summary).toBe('Q3 <5%');
  });

  it('shows as typed on the console, without escape sequences, bells or direction overrides', () => {
    const typed = '\u001b[31mred\u001b[0m\u0007 \u202Eexe.txt O\'Brien & Sons <b>';
    const r = renderMessage(message('s', text(literal(typed)), { type: 'header', text: typed }, { type: 'table', columns: ['Name'], rows: [[typed]] }), () => 'x');
    expect(r.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(r.text).toContain("[31mred[0m exe.txt O'Brien & Sons <b>");
  });

  it('shows as typed in the Markdown report: every Markdown character escaped, line starts too', () => {
    for (const t of [...TYPED, '# heading', '- item', '1. first', '| a | b |', '<script>x</script>', '![i](https://evil.example/i.png)']) {
      expect(markdownShows(markdownText(t))).toBe(t);
    }
    expect(markdownText('# h\n- i\n12. n')).toBe('\\# h\n\\- i\n12\\. n');
  });
});

describe('the XLSX report', () => {
  it('keeps cells that start with = + - @ as text, as typed, never formulas', async () => {
    const b = await aBot();
    const typed = ['=HYPERLINK("https://evil.example","x")', '+cmd|"/c calc"!A1', '-2+3', '@SUM(1+1)'];
    const s = b.repo.store.t;
    s.indicators.forEach((i, n) => (i.name = typed[n % typed.length]!));
    for (const t of s.themes) t.name = typed[0]!;
    s.org = { ...(await b.repo.org()), name: typed[3]! };
    const r = await later(await createDispatcher(b.deps).slash(b.as(b.council.admin), '/kpi report 2017/18 Q3 xlsx'));
    const f = r.kind === 'message' ? r.message.blocks.find((x) => x.type === 'file') : undefined;
    expect(f?.type).toBe('file');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(f!.type === 'file' ? f!.file.base64 : '', 'base64') as unknown as ArrayBuffer);
    const found: string[] = [];
    let formulas = 0;
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((c) => {
          if (c.type === ExcelJS.ValueType.Formula) formulas++;
          if (typeof c.value === 'string' && /^[=+\-@]/.test(c.value)) found.push(c.value);
          else if (c.value && typeof c.value === 'object' && 'formula' in c.value) formulas++;
        }),
      ),
    );
    expect(formulas).toBe(0);
    for (const t of typed) expect(found.some((v) => v.startsWith(t))).toBe(true);
  });
});
