// Message pieces shared by commands and jobs: one line per indicator, choices between matches.
import type { Evaluation } from '../domain/evaluate.ts';
import { formatValue } from '../domain/format.ts';
import { formatPeriod } from '../domain/periods.ts';
import type { Action, Block } from '../messages/types.ts';
import { actions, literal, text } from '../messages/build.ts';
import type { IndicatorRecord } from '../ports.ts';
import { directionArrow, statusIcon } from './labels.ts';

/** "🔴 `sickness-absence` Sickness absence — 10.49 days (target 8.5 days) ↓ 2017/18 Q3" */
export function indicatorLine(ind: IndicatorRecord, ev: Evaluation): string {
  const value = ev.value === null ? 'no value yet' : formatValue(ev.value, ind.unit, ind.decimals) + (ev.estimated ? ' (est)' : '');
  const target = ev.target.value !== null ? ` (target ${formatValue(ev.target.value, ind.unit, ind.decimals)})` : ev.target.text ? ` (target: ${literal(ev.target.text)})` : '';
  const period = ev.period ? ` · ${formatPeriod(ev.period)}` : '';
  return `${statusIcon(ev.status)} \`${ind.slug}\` ${literal(shortName(ind.name))} — ${value}${target} ${directionArrow(ev.direction)}${period}`;
}

/** Names in registers run long; lists show the first ~70 characters. */
export function shortName(name: string, max = 70): string {
  return name.length <= max ? name : `${name.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

/** Section text is limited (at most 3,000 characters on the strictest platform): split long lists into several text blocks. */
export function linesToBlocks(lines: string[], maxChars = 2800): Block[] {
  const blocks: Block[] = [];
  let cur: string[] = [];
  let len = 0;
  for (const l of lines) {
    if (len + l.length + 1 > maxChars && cur.length) {
      blocks.push(text(cur.join('\n')));
      cur = [];
      len = 0;
    }
    cur.push(l);
    len += l.length + 1;
  }
  if (cur.length) blocks.push(text(cur.join('\n')));
  return blocks;
}

/** Buttons to pick one of several matching indicators (at most 5; the platform limit is higher but a choice of 5 reads well). */
export function chooseIndicatorBlocks(matches: IndicatorRecord[], actionId: Action['id'], valueOf: (i: IndicatorRecord) => string): Block[] {
  return [
    actions(
      ...matches.slice(0, 5).map((m) => ({ id: actionId, label: `${m.slug}`.slice(0, 70), value: valueOf(m) })),
    ),
  ];
}
