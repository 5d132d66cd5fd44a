// The quarterly report as Markdown, for pasting into a wiki, an email or a committee paper.
import { formatPeriod } from '../domain/periods.ts';
import type { QuarterReport } from './model.ts';
import { attribution, commentaryFor, printedSections, type ReportCommentaryEntry } from './commentary.ts';
import { actionsIntro, actionsTitle, dueText, progressText, rephasedText, type ReportActions } from './actions.ts';
import { RISK_HEAD, riskCells, risksIntro, RISKS_TITLE, type ReportRisks } from './risks.ts';
import { showable } from '../messages/markup.ts';
import {
  AFTER_SIGN_OFF_HEAD,
  keyIndicatorRows,
  laterTargetText,
  laterYears,
  hasBenchmarks,
  AFTER_SIGN_OFF_TITLE,
  afterSignOffIntro,
  afterSignOffRows,
  exceptionNotice,
  exceptionSinceSignOff,
  rowNotes,
  STATUS_CELL,
  actualText,
  directionText,
  exceptionText,
  keyLines,
  comparisonHeading,
  longDate,
  quarterTitle,
  signOffText,
  statusKey,
  summarySentences,
  targetText,
  valueText,
} from './text.ts';

/**
 * Text as Markdown that shows exactly that text: what Markdown (CommonMark and GitHub's) would read
 * as formatting — emphasis, code, strikethrough, a link's or image's brackets, a < that opens raw HTML
 * or an autolink, an entity such as &amp; — backslash-escaped, and a line start that would make a
 * heading, a list, a quote or a rule escaped too. Everything the report says goes through it; only
 * the report's own formatting is added around. Parentheses, a lone & and the like stay as they are,
 * so the file reads well as plain text too.
 */
export function markdownText(s: string): string {
  return showable(s)
    .replace(/[\\`*_[\]<~]/g, '\\$&')
    .replace(/&(?=#?[a-zA-Z0-9]+;)/g, '\\&')
    .replace(/^(\s*)([-+=#>]|\d{1,9}(?=[.)](?:\s|$)))/gm, (_m, space: string, mark: string) => (/\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`));
}

const md = markdownText;

/** A table cell: line breaks flattened, pipes escaped; `formatted` cells are the report's own Markdown (a code span, italics), the rest escaped. */
const cell = (s: string | { formatted: string }) => (typeof s === 'string' ? md(s.replace(/\s*\n\s*/g, ' ').trim()).replace(/\|/g, '\\|') : s.formatted);
const table = (head: string[], rows: (string | { formatted: string })[][], right: number[] = []) =>
  [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map((_, i) => (right.includes(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');

/** The register's key indicators as their own table, as councils print them first (none: nothing). */
function keyIndicatorsMarkdown(r: QuarterReport): string[] {
  const rows = keyIndicatorRows(r);
  if (!rows.length) return [];
  const later = laterYears(rows);
  return [
    '### Key indicators',
    '',
    table(
      ['Ref', 'Indicator', 'Target', ...later.map((y) => `Target ${y}`), 'Actual', 'DoT', 'Status'],
      rows.map((row) => [row.indicator.ref ?? row.indicator.slug, row.indicator.name, targetText(row), ...later.map((y) => laterTargetText(row, y)), actualText(row), directionText(row), STATUS_CELL[statusKey(row)]]),
      [2, ...later.map((_, i) => 3 + i), 3 + later.length],
    ),
    '',
  ];
}

export function reportMarkdown(r: QuarterReport): string {
  const c = r.counts;
  const out: string[] = [
    `# ${md(r.organisation)}: Performance Report${r.themeFilter ? ` — ${md(r.themeFilter)}` : ''}`,
    '',
    `**${md(quarterTitle(r.quarter))}**`,
    '',
    `> ${md(signOffText(r))}`,
    '',
    `_Produced on ${md(longDate(r.generatedAt))} by kpi-bot from the indicator register._`,
    '',
    '## 1. Summary',
    '',
    ...(r.commentary?.overall ? commentaryMarkdown(r.commentary.overall, r.commentary.initials, '### Commentary') : []),
    ...summarySentences(r).flatMap((s) => [md(s), '']),
    table(['Indicators', 'Reported', 'Annual', 'No value yet', 'Green', 'Amber', 'Red', 'No target'], [[c.indicators, c.reported, c.annual, c.missing, c.green, c.amber, c.red, c.noTarget].map(String)]),
    '',
    table(['↑ Improved', '↔ Same', '↓ Worsened', 'Not comparable', 'Exception reports'], [[c.improving, c.maintained, c.declining, c.notComparable, `${c.exceptionsAttached}${c.exceptionsOwed ? ` (${c.exceptionsOwed} due)` : ''}`].map(String)]),
    '',
    ...keyIndicatorsMarkdown(r),
    '### Performance key',
    '',
    ...keyLines(r).map((k) => `- **${md(k.symbol)}** ${md(k.meaning)}`),
    '',
    '## 2. Performance summary by theme',
    '',
    table(
      ['Theme', 'Reported', 'Green', 'Amber', 'Red', 'No target', '↑', '↔', '↓'],
      r.themes.map((t) => {
        const rep = t.rows.filter((x) => x.state === 'reported');
        const st = (s: string) => String(rep.filter((x) => x.evaluation.status === s).length);
        const dot = (d: string) => String(rep.filter((x) => x.evaluation.direction === d).length);
        return [t.name, String(rep.length), st('green'), st('amber'), st('red'), st('no_target'), dot('improving'), dot('maintained'), dot('declining')];
      }),
      [1, 2, 3, 4, 5, 6, 7, 8],
    ),
    '',
    '## 3. Performance by theme',
    '',
  ];
  const ranked = hasBenchmarks(r);
  r.themes.forEach((t, i) => {
    out.push(`### 3.${i + 1} ${md(t.name)}`, '');
    const said = commentaryFor(r.commentary, t.name);
    if (said) out.push(...commentaryMarkdown(said, r.commentary!.initials, null));
    out.push(
      table(
        ['Ref', 'Definition', comparisonHeading(r), 'Target', 'Actual', 'DoT', 'Status', 'ER', ...(ranked ? ['Compared with other councils'] : [])],
        t.rows.map((row) => [
          row.indicator.ref ?? { formatted: `\`${row.indicator.slug}\`` },
          row.indicator.name,
          valueText(row.previous, row, true),
          targetText(row),
          row.state === 'reported' ? actualText(row) : { formatted: `_${md(actualText(row))}_` },
          directionText(row),
          STATUS_CELL[statusKey(row)],
          exceptionText(row),
          ...(ranked ? [row.benchmark ?? ''] : []),
        ]),
        [2, 3, 4],
      ),
      '',
    );
    const notes = t.rows.flatMap((row) => rowNotes(row).map((n) => `- **${md(row.indicator.ref ?? row.indicator.slug)}**: ${md(n)}`));
    if (notes.length) out.push(...notes, '');
  });
  out.push('## 4. Exception reports', '');
  if (!r.exceptionReports.length) out.push('_No exception reports are attached for this quarter._', '');
  r.exceptionReports.forEach(({ theme, row, report }, i) => {
    const ind = row.indicator;
    const notice = exceptionNotice(row, report);
    out.push(`### 4.${i + 1} ${md(`${ind.ref ? `${ind.ref} ` : ''}${ind.name}${notice ? ` (${notice.state})` : ''}`)}`, '');
    if (notice?.note) out.push(`> ⚠️ ${md(notice.note)}`, '');
    const since = exceptionSinceSignOff(r, row);
    if (since) out.push(`> ⚠️ ${md(since)}`, '');
    out.push(`- **Theme / priority:** ${md(theme)}`);
    if (ind.baseline.text || ind.baseline.value !== null) out.push(`- **Baseline:** ${md(String(ind.baseline.text ?? ind.baseline.value))}`);
    out.push(`- **Target and timescale:** ${md(`${targetText(row)} — ${formatPeriod(row.period)}`)}`);
    out.push(`- **Actual and timescale:** ${md(`${valueText(row.current, row)} — ${formatPeriod(row.period)}`)}`);
    out.push(`- **Status:** ${md(row.evaluation.explanation)}`, '');
    report.questions.forEach((q, k) => out.push(`#### ${md(q)}`, '', report.answers[k]?.trim() ? md(report.answers[k]!.trim()) : '_Not answered._', ''));
  });
  if (r.snapshot) {
    out.push(`## 5. ${md(AFTER_SIGN_OFF_TITLE)}`, '', `_${md(afterSignOffIntro(r))}_`, '');
    if (r.afterSignOff.length) out.push(table(AFTER_SIGN_OFF_HEAD, afterSignOffRows(r)), '');
  }
  if (r.actions) out.push(...actionsMarkdown(r.actions, r.snapshot ? 6 : 5));
  if (r.risks) out.push(...risksMarkdown(r.risks, (r.snapshot ? 6 : 5) + (r.actions ? 1 : 0)));
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The risks section: the register's cells as a table (a heat map in words), then per theme the risks above appetite. */
function risksMarkdown(k: ReportRisks, n: number): string[] {
  const out = [`## ${n}. ${md(RISKS_TITLE)}`, '', md(risksIntro(k)), ''];
  const cells = k.heatMap.risks.map((x) => ({ ...x, score: x.likelihood * x.impact })).sort((a, b) => b.score - a.score || (a.ref < b.ref ? -1 : 1));
  out.push(table(['Score', 'Likelihood × impact', 'Risks'], cells.map((x) => [String(x.score), `${x.likelihood} × ${x.impact}`, `${x.ref}${x.trend === 'rising' ? ' ↑' : x.trend === 'falling' ? ' ↓' : ''}`]), [0]), '');
  k.themes.forEach((t, i) => {
    const above = t.risks.filter((x) => x.aboveAppetite);
    out.push(`### ${n}.${i + 1} ${md(t.name)}`, '', md(`${t.risks.length} risk${t.risks.length === 1 ? '' : 's'}, ${above.length} above appetite.`), '');
    if (above.length) out.push(table(RISK_HEAD, above.map((x) => riskCells(x))), '');
  });
  return out;
}

/** Commentary: each section's heading in bold, its paragraphs (initials after each where asked), and who wrote it. */
function commentaryMarkdown(e: ReportCommentaryEntry, initials: boolean, title: string | null): string[] {
  const out = title ? [title, ''] : [];
  for (const s of printedSections(e, initials)) out.push(`**${md(s.heading)}**`, '', ...s.paragraphs.flatMap((p) => (/^[-•*➢▪◦]\s*/.test(p) ? [`- ${md(p.replace(/^[-•*➢▪◦]\s*/, ''))}`] : ['', md(p), ''])), '');
  out.push(`_${md(attribution(e, initials))}_`, '');
  return out;
}

/** The actions section: per theme, Cheshire West's action summary, the re-phased and no-longer-viable actions with why, and Halton's milestone table with its supporting commentary. */
function actionsMarkdown(a: ReportActions, n: number): string[] {
  const out = [`## ${n}. ${md(actionsTitle(a))}`, '', md(actionsIntro(a)), ''];
  out.push(table(['Progress', 'Number', '%'], a.summary.map((s) => [s.label, String(s.count), `${s.percent.toFixed(1)}%`]), [1, 2]), '');
  a.themes.forEach((t, i) => {
    out.push(`### ${n}.${i + 1} ${md(t.name)}`, '');
    out.push(table(['Progress', 'Number', '%'], t.summary.filter((s) => s.count).map((s) => [s.label, String(s.count), `${s.percent.toFixed(1)}%`]), [1, 2]), '');
    const moved = t.actions.filter((x) => x.rephasing !== 'none' || x.category === 'no_longer_viable');
    if (moved.length) {
      out.push('**Re-phased or no longer viable**', '');
      for (const x of moved) out.push(`- **${md(x.ref)}** ${md(`${x.title} — ${rephasedText(x)}`)}`);
      out.push('');
    }
    out.push(table(['Ref', a.word === 'milestone' ? 'Milestone' : 'Action', 'Owner', 'Due', 'Progress'], t.actions.map((x) => [x.ref, x.title, x.owner ?? '—', dueText(x), progressText(x, a.style)])), '');
    const commentary = t.actions.filter((x) => x.commentary);
    if (commentary.length) {
      out.push('**Supporting commentary**', '');
      for (const x of commentary) out.push(`- **${md(x.ref)}**${x.progressPeriod ? ` (${md(x.progressPeriod)})` : ''}: ${md(x.commentary ?? '')}`);
      out.push('');
    }
  });
  return out;
}
