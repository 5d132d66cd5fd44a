// Neutral messages as readable terminal text.
import type { Block, Message } from '../../messages/types.ts';
import { stripMarkup } from '../../messages/build.ts';
import { renderCommands, SLASH_COMMANDS } from '../../messages/commands.ts';

export type MentionResolver = (personId: number) => string;

const MENTION = /<@person:(\d+)>/g;

const asTyped = (s: string) => s;

/** Markup as terminal text: mentions as @names, commands as typed here (`/kpi …`, the slash style). */
export function renderInline(markup: string, mention: MentionResolver): string {
  return stripMarkup(renderCommands(markup.replace(MENTION, (_m, id: string) => `@${mention(Number(id))}`), SLASH_COMMANDS, { reference: asTyped, code: asTyped }));
}

function renderTable(columns: string[], rows: string[][], align?: ('left' | 'right')[]): string[] {
  const all = [columns, ...rows];
  const widths = columns.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const fmt = (r: string[]) =>
    r.map((cell, c) => (align?.[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [fmt(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
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
        out.push(b.text, '='.repeat(Math.min(b.text.length, 72)));
        break;
      case 'text':
        out.push(renderInline(b.text, mention));
        break;
      case 'context':
        out.push(`  ${renderInline(b.text, mention)}`);
        break;
      case 'fields':
        for (const f of b.fields) out.push(`${f.label}: ${renderInline(f.value, mention)}`);
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
              return `[${firstActionNumber + actions.length - 1}] ${a.label}`;
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
