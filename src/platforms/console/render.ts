// Neutral messages as readable terminal text.
import type { Block, Message } from '../../messages/types.ts';
import { renderCommands, SLASH_COMMANDS } from '../../messages/commands.ts';
import { renderMarkup, showable } from '../../messages/markup.ts';

export type MentionResolver = (personId: number) => string;

const asTyped = (s: string) => s;

/**
 * Plain text for a terminal: control characters (escape sequences that would recolour or rewrite the
 * screen, bells) and bidirectional overrides are removed; everything else is shown as typed.
 */
export const terminalText = showable;

/** Markup as terminal text: mentions as @names, commands as typed here (`/kpi …`, the slash style), a link as its label. */
export function renderInline(markup: string, mention: MentionResolver): string {
  return renderMarkup(renderCommands(markup, SLASH_COMMANDS, { reference: asTyped, code: asTyped }), {
    text: terminalText,
    strong: asTyped,
    em: asTyped,
    code: terminalText,
    link: asTyped,
    mention: (id) => `@${terminalText(mention(id))}`,
  });
}

function renderTable(columns: string[], rows: string[][], align?: ('left' | 'right')[]): string[] {
  const all = [columns, ...rows].map((r) => r.map((cell) => terminalText(cell ?? '')));
  const widths = columns.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const fmt = (r: string[]) =>
    r.map((cell, c) => (align?.[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [fmt(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(fmt)];
}

export interface RenderedText {
  text: string;
  /** Buttons, numbered in the order printed, so a person can type the number. */
  actions: { id: string; value: string; label: string }[];
  charts: Extract<Block, { type: 'chart' }>[];
  files: Extract<Block, { type: 'file' }>['file'][];
}

export function renderMessage(msg: Message, mention: MentionResolver, firstActionNumber = 1): RenderedText {
  const out: string[] = [];
  const actions: RenderedText['actions'] = [];
  const charts: RenderedText['charts'] = [];
  const files: RenderedText['files'] = [];
  for (const b of msg.blocks) {
    switch (b.type) {
      case 'header':
        out.push(terminalText(b.text), '='.repeat(Math.min(terminalText(b.text).length, 72)));
        break;
      case 'text':
        out.push(renderInline(b.text, mention));
        break;
      case 'context':
        out.push(`  ${renderInline(b.text, mention)}`);
        break;
      case 'fields':
        for (const f of b.fields) out.push(`${terminalText(f.label)}: ${renderInline(f.value, mention)}`);
        break;
      case 'table':
        out.push(...renderTable(b.columns, b.rows, b.align));
        break;
      case 'divider':
        out.push('');
        break;
      case 'actions':
        out.push(
          b.actions
            .map((a) => {
              actions.push({ id: a.id, value: a.value, label: a.label });
              return `[${firstActionNumber + actions.length - 1}] ${terminalText(a.label)}`;
            })
            .join('   '),
        );
        break;
      case 'chart':
        charts.push(b);
        break;
      case 'file':
        files.push(b.file);
        break;
    }
  }
  return { text: out.join('\n'), actions, charts, files };
}
