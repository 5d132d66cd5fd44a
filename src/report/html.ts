// The quarterly report as one self-contained HTML page (charts inline as data URIs, no external
// files), laid out like the published reports and with print CSS for A4: the PDF is this page printed.
import type { RenderedChart } from '../charts/spec.ts';
import { formatValue } from '../domain/format.ts';
import { formatPeriod } from '../domain/periods.ts';
import type { QuarterReport, ReportRow } from './model.ts';
import { attribution, commentaryFor, printedSections, type ReportCommentaryEntry } from './commentary.ts';
import { actionsIntro, actionsTitle, dueText, progressText, rephasedText, type ReportActions } from './actions.ts';
import { RISK_HEAD, riskCells, risksIntro, RISKS_TITLE, type ReportRisks } from './risks.ts';
import type { PlanCategory } from '../domain/actions.ts';
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
  whenText,
  longDate,
  quarterTitle,
  reportTitle,
  signOffText,
  statusKey,
  summarySentences,
  targetText,
  valueText,
} from './text.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Narrative text: a paragraph per line, and lines starting with a bullet gathered into lists. */
export function paragraphs(text: string): string {
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push(`<ul>${list.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
    list = [];
  };
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const bullet = /^[-•*➢▪◦]\s*(.+)$/.exec(line);
    if (bullet) list.push(bullet[1]!);
    else {
      flush();
      out.push(`<p>${esc(line)}</p>`);
    }
  }
  flush();
  return out.join('\n');
}

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #1d1d1d; line-height: 1.35; }
body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
h1, h2, h3, h4 { color: #1f3a5f; line-height: 1.2; }
h1 { font-size: 22pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 9mm 0 3mm; border-bottom: 2px solid #1f3a5f; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; break-after: avoid; }
h4 { font-size: 10pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2mm; }
.cover { border-bottom: 4px solid #1f3a5f; padding: 6mm 0 4mm; margin-bottom: 4mm; }
.org { text-transform: uppercase; letter-spacing: 0.08em; font-weight: bold; color: #555; margin: 0 0 2mm; }
.period { font-size: 13pt; margin: 0 0 3mm; }
.signoff { display: inline-block; padding: 1.5mm 3mm; border-radius: 2mm; font-weight: bold; margin: 0 0 2mm; }
.signoff.signed { background: #e3f1e4; color: #1b5e20; border: 1px solid #2e7d32; }
.signoff.draft { background: #fff4e0; color: #8a4b00; border: 1px solid #ef8f00; }
.generated { color: #666; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
th, td { border: 1px solid #c9ced6; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
th { background: #1f3a5f; color: #fff; font-weight: bold; font-size: 8.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.counts { width: auto; }
table.counts td, table.counts th { text-align: center; min-width: 18mm; }
table.counts th { background: #eef1f5; color: #1f3a5f; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.dot { text-align: center; font-size: 12pt; }
td.er { text-align: center; font-weight: bold; }
td.er.due { color: #c62828; font-size: 7pt; white-space: nowrap; }
td.er.update { color: #8a4b00; font-size: 7pt; }
.notice { border-left: 4px solid #ef8f00; background: #fff4e0; padding: 1.5mm 3mm; margin: 0 0 3mm; }
section.after { break-before: page; }
section.after h2 { border-bottom-color: #8a4b00; color: #8a4b00; }
table.after { font-size: 8pt; }
table.after th { background: #8a4b00; }
td.status { text-align: center; }
.badge { display: inline-block; min-width: 15mm; padding: 0.6mm 1.2mm; border-radius: 1.2mm; font-weight: bold; font-size: 8pt; white-space: nowrap; }
.rag-green { background: #2e7d32; color: #fff; }
.rag-amber { background: #ef8f00; color: #fff; }
.rag-red { background: #c62828; color: #fff; }
.rag-no_target { background: #e0e0e0; color: #333; }
td.est { background: #eceff1; }
.ref { color: #555; font-size: 8pt; }
.slug { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; color: #666; }
.why { color: #555; font-size: 7.5pt; margin-top: 0.8mm; }
.why.note { color: #5d4037; }
.when { display: block; color: #666; font-size: 7pt; }
.muted { color: #777; font-style: italic; }
.milestones td:first-child { white-space: nowrap; }
.actions-summary td.num { text-align: right; }
.heat-map img { max-width: 100%; height: auto; }
.risk-theme, .heat-map { break-inside: avoid; }
table.risks td { font-size: 0.85em; vertical-align: top; }
table.indicators { font-size: 8.5pt; table-layout: fixed; }
table.indicators td { overflow-wrap: anywhere; }
table.indicators td.num { white-space: normal; }
table.indicators th.theme { background: #eef1f5; color: #1f3a5f; font-size: 10.5pt; padding: 2mm 1.6mm; border: none; border-bottom: 2px solid #1f3a5f; }
table.indicators col.c-ref { width: 15mm; }
table.indicators col.c-prev { width: 20mm; } table.indicators col.c-tgt, table.indicators col.c-act { width: 24mm; }
table.indicators col.c-dot { width: 9mm; } table.indicators col.c-st { width: 20mm; } table.indicators col.c-er { width: 10mm; }
.charts { display: block; }
figure { margin: 2mm 0; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; max-height: 112mm; width: auto; height: auto; }
figcaption { font-size: 8pt; color: #555; }
table.key { width: auto; font-size: 9pt; }
table.key td:first-child { text-align: center; font-weight: bold; width: 14mm; }
section.exceptions.some { break-before: page; }
article.exception { border-top: 2px solid #1f3a5f; padding-top: 2mm; margin-top: 6mm; }
article.exception + article.exception { break-before: page; }
h2 + article.exception { border-top: none; margin-top: 0; padding-top: 0; }
table.er-head th { background: #eef1f5; color: #1f3a5f; width: 42mm; }
.answer { margin: 0 0 3mm 0; }
.commentary { border-left: 3px solid #1f3a5f; background: #f5f7fa; padding: 1mm 4mm 2mm; margin: 0 0 4mm; }
.commentary h3 { margin-top: 3mm; }
.commentary h4 { margin-top: 2mm; }
.commentary p.bullet { padding-left: 4mm; text-indent: -3mm; }
.commentary p.bullet::before { content: "• "; }
.commentary .by { color: #555; font-style: italic; font-size: 8.5pt; margin-top: 2mm; }
.answer ul { margin: 0 0 2mm 5mm; padding-left: 3mm; }
@media screen { body { padding: 8mm; background: #fff; } }
`;

function cellValue(v: ReportRow['previous'], row: ReportRow): string {
  if (!v) return '';
  const when = v.period?.key !== row.period.key && whenText(v) ? `<span class="when">${esc(whenText(v))}</span>` : '';
  return `${esc(valueText(v, row))}${when}`;
}

/** The key indicators as their own table in the summary (none: nothing). */
function keyIndicatorsHtml(r: QuarterReport): string {
  const rows = keyIndicatorRows(r);
  if (!rows.length) return '';
  const later = laterYears(rows);
  return `<h3>Key indicators</h3>
<table class="indicators key-indicators"><thead><tr><th>Ref</th><th>Indicator</th><th class="num">Target</th>${later.map((y) => `<th class="num">Target ${esc(y)}</th>`).join('')}<th class="num">Actual</th><th>DoT</th><th>Status</th></tr></thead>
<tbody>${rows.map((row) => `<tr><td>${esc(row.indicator.ref ?? row.indicator.slug)}</td><td>${esc(row.indicator.name)}</td><td class="num">${esc(targetText(row))}</td>${later.map((y) => `<td class="num">${esc(laterTargetText(row, y))}</td>`).join('')}<td class="num">${esc(actualText(row))}</td><td>${esc(directionText(row))}</td><td class="rag-${statusKey(row)}">${esc(STATUS_CELL[statusKey(row)])}</td></tr>`).join('\n')}</tbody></table>`;
}

function rowHtml(row: ReportRow, withRef: boolean, ranked = false): string {
  const ind = row.indicator;
  const s = statusKey(row);
  const why = row.state === 'reported' ? `<div class="why">${esc(row.evaluation.explanation)}</div>` : '';
  const notes = rowNotes(row).map((n) => `<div class="why note">${esc(n)}</div>`).join('');
  const est = (v: boolean | undefined) => (v ? ' est' : '');
  const slug = `<div class="slug">${esc(ind.slug)}</div>`;
  return `<tr>
${withRef ? `<td class="ref">${esc(ind.ref ?? '')}</td>` : ''}
<td>${esc(ind.name)}${slug}${why}${notes}</td>
<td class="num${est(row.previous?.estimated)}">${cellValue(row.previous, row)}</td>
<td class="num">${esc(targetText(row))}</td>
<td class="num${est(row.current?.estimated)}">${row.state === 'reported' ? esc(actualText(row)) : `<span class="muted">${esc(actualText(row))}</span>`}</td>
<td class="dot">${directionText(row)}</td>
<td class="status">${s === 'none' ? '' : `<span class="badge rag-${s}">${STATUS_CELL[s]}</span>`}</td>
<td class="er${row.exceptionNeedsUpdate ? ' update' : row.exceptionOwed ? ' due' : ''}">${exceptionText(row)}</td>
${ranked ? `<td class="bench">${esc(row.benchmark ?? '')}</td>` : ''}</tr>`;
}

/** Section 5: what was entered after sign-off, apart from the report as signed off. */
function afterSignOffHtml(r: QuarterReport): string {
  const rows = afterSignOffRows(r);
  const table = rows.length
    ? `<table class="after"><thead><tr>${AFTER_SIGN_OFF_HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((x) => `<tr>${x.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`
    : '';
  return `<section class="after">
<h2>5. ${esc(AFTER_SIGN_OFF_TITLE)}</h2>
<p class="notice">${esc(afterSignOffIntro(r))}</p>
${table}
</section>`;
}

/** Commentary: a heading, each section with its paragraphs (initials after each where asked), and who wrote it. */
function commentaryHtml(e: ReportCommentaryEntry, initials: boolean, title: string): string {
  return `<div class="commentary">
<h3>${esc(title)}</h3>
${printedSections(e, initials).map((s) => `<h4>${esc(s.heading)}</h4>\n${s.paragraphs.map((p) => (/^[-•*➢▪◦]\s*/.test(p) ? `<p class="bullet">${esc(p.replace(/^[-•*➢▪◦]\s*/, ''))}</p>` : `<p>${esc(p)}</p>`)).join('\n')}`).join('\n')}
<p class="by">${esc(attribution(e, initials))}</p>
</div>`;
}

/** Progress in the organisation's vocabulary, coloured as the published reports colour it. */
const PROGRESS_CLASS: Record<PlanCategory, string> = {
  delivered: 'rag-green',
  on_target: 'rag-green',
  scheduled_future: 'rag-no_target',
  rephased_under_3_months: 'rag-amber',
  rephased_over_3_months: 'rag-red',
  no_longer_viable: 'rag-red',
  off_track: 'rag-red',
};

function summaryTableHtml(summary: ReportActions['summary'], all: boolean): string {
  const rows = all ? summary : summary.filter((x) => x.count);
  return `<table class="counts actions-summary"><thead><tr><th>Progress</th><th class="num">Number</th><th class="num">%</th></tr></thead>
<tbody>${rows.map((x) => `<tr><td class="${PROGRESS_CLASS[x.category]}">${esc(x.label)}</td><td class="num">${x.count}</td><td class="num">${x.percent.toFixed(1)}%</td></tr>`).join('')}</tbody></table>`;
}

/** The actions section: Cheshire West's summary and re-phased list, Halton's milestone table and supporting commentary, per theme. */
function actionsHtml(a: ReportActions, n: number): string {
  const cls = (x: ReportActions['themes'][number]['actions'][number]) => (a.style === 'colours' ? `rag-${x.colour}` : PROGRESS_CLASS[x.category]);
  const themes = a.themes
    .map((t, i) => {
      const moved = t.actions.filter((x) => x.rephasing !== 'none' || x.category === 'no_longer_viable');
      const commentary = t.actions.filter((x) => x.commentary);
      return `<article class="action-theme">
<h3>${n}.${i + 1} ${esc(t.name)}</h3>
${summaryTableHtml(t.summary, false)}
${moved.length ? `<h4>Re-phased or no longer viable</h4><ul>${moved.map((x) => `<li><strong>${esc(x.ref)}</strong> ${esc(x.title)} — ${esc(rephasedText(x))}</li>`).join('')}</ul>` : ''}
<table class="milestones"><thead><tr><th>Ref</th><th>${a.word === 'milestone' ? 'Milestone' : 'Action'}</th><th>Owner</th><th>Due</th><th>Progress</th></tr></thead>
<tbody>${t.actions.map((x) => `<tr><td>${esc(x.ref)}</td><td>${esc(x.title)}</td><td>${esc(x.owner ?? '—')}</td><td>${esc(dueText(x))}</td><td class="${cls(x)}">${esc(progressText(x, a.style))}</td></tr>`).join('\n')}</tbody></table>
${commentary.length ? `<h4>Supporting commentary</h4>${commentary.map((x) => `<p><strong>${esc(x.ref)}</strong>${x.progressPeriod ? ` (${esc(x.progressPeriod)})` : ''}: ${esc(x.commentary!)}</p>`).join('\n')}` : ''}
</article>`;
    })
    .join('\n');
  return `<section class="actions">
<h2>${n}. ${esc(actionsTitle(a))}</h2>
<p>${esc(actionsIntro(a))}</p>
${summaryTableHtml(a.summary, true)}
${themes}
</section>`;
}

/** The risks section: the overall heat map, then per theme its heat map and the risks above appetite. */
function risksHtml(k: ReportRisks, n: number, maps: RenderedChart[]): string {
  const img = (ch: RenderedChart | undefined) => (ch ? `<figure class="heat-map"><img src="data:image/png;base64,${ch.png.toString('base64')}" width="${ch.width}" height="${ch.height}" alt="${esc(ch.altText)}"></figure>` : '');
  const themes = k.themes
    .map((t, i) => {
      const above = t.risks.filter((x) => x.aboveAppetite);
      return `<article class="risk-theme">
<h3>${n}.${i + 1} ${esc(t.name)}</h3>
<p>${t.risks.length} risk${t.risks.length === 1 ? '' : 's'}, ${above.length} above appetite.</p>
${k.themes.length > 1 ? img(maps[i + 1]) : ''}
${above.length ? `<table class="risks"><thead><tr>${RISK_HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${above.map((x) => `<tr>${riskCells(x).map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>` : ''}
</article>`;
    })
    .join('\n');
  return `<section class="risks">
<h2>${n}. ${esc(RISKS_TITLE)}</h2>
<p>${esc(risksIntro(k))}</p>
${img(maps[0])}
${themes}
</section>`;
}

export function reportHtml(r: QuarterReport, charts: RenderedChart[], riskMaps: RenderedChart[] = []): string {
  const c = r.counts;
  const title = reportTitle(r);
  // No reference column when the register has no references (Trafford's 2017/18 report prints none).
  const withRef = r.themes.some((t) => t.rows.some((x) => x.indicator.ref));
  const ranked = hasBenchmarks(r);
  const themes = r.themes
    .map(
      // The theme's name heads the table, so it repeats on every page the table runs over.
      (t, i) => `${commentaryFor(r.commentary, t.name) ? commentaryHtml(commentaryFor(r.commentary, t.name)!, r.commentary!.initials, `3.${i + 1} ${t.name}`) : ''}<table class="indicators">
<colgroup>${withRef ? '<col class="c-ref">' : ''}<col class="c-def"><col class="c-prev"><col class="c-tgt"><col class="c-act"><col class="c-dot"><col class="c-st"><col class="c-er">${ranked ? '<col class="c-bench">' : ''}</colgroup>
<thead><tr><th class="theme" colspan="${(withRef ? 8 : 7) + (ranked ? 1 : 0)}">3.${i + 1} ${esc(t.name)}</th></tr>
<tr>${withRef ? '<th>Ref</th>' : ''}<th>Definition</th><th class="num">${esc(comparisonHeading(r))}</th><th class="num">Target</th><th class="num">Actual</th><th>DoT</th><th>Status</th><th>ER</th>${ranked ? '<th>Compared with other councils</th>' : ''}</tr></thead>
<tbody>
${t.rows.map((row) => rowHtml(row, withRef, ranked)).join('\n')}
</tbody></table>`,
    )
    .join('\n');
  const exceptions = r.exceptionReports.length
    ? r.exceptionReports
        .map(({ theme, row, report }, i) => {
          const ind = row.indicator;
          const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
          const baseline = ind.baseline.text ?? (ind.baseline.value !== null ? `${fmt(ind.baseline.value)}${ind.baseline.period ? ` (${ind.baseline.period})` : ''}` : '');
          const target = targetText(row);
          const notice = exceptionNotice(row, report);
          const state = notice ? ` <span class="muted">(${esc(notice.state)})</span>` : '';
          return `<article class="exception">
<h3>4.${i + 1} ${esc(ind.ref ? `${ind.ref} ` : '')}${esc(ind.name)}${state}</h3>
<table class="er-head">
<tr><th>Theme / priority</th><td>${esc(theme)}</td></tr>
<tr><th>Indicator / measure</th><td>${esc(ind.name)}${ind.ref ? ` (${esc(ind.ref)})` : ''}</td></tr>
<tr><th>Baseline</th><td>${esc(baseline)}</td></tr>
<tr><th>Target and timescale</th><td>${esc(target ? `${target} — ${formatPeriod(row.period)}` : '')}</td></tr>
<tr><th>Actual and timescale</th><td>${esc(row.current ? `${valueText(row.current, row)} — ${formatPeriod(row.period)}` : '')}</td></tr>
<tr><th>Status</th><td>${esc(row.evaluation.explanation)}</td></tr>
</table>
${notice?.note ? `<p class="notice">${esc(notice.note)}</p>` : ''}
${exceptionSinceSignOff(r, row) ? `<p class="notice">${esc(exceptionSinceSignOff(r, row)!)}</p>` : ''}
${report.questions.map((q, k) => `<h4>${esc(q)}</h4><div class="answer">${report.answers[k]?.trim() ? paragraphs(report.answers[k]!) : '<p class="muted">Not answered.</p>'}</div>`).join('\n')}
</article>`;
        })
        .join('\n')
    : '<p class="muted">No exception reports are attached for this quarter.</p>';

  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="cover">
<p class="org">${esc(r.organisation)}</p>
<h1>Performance Report${r.themeFilter ? `: ${esc(r.themeFilter)}` : ''}</h1>
<p class="period">${esc(quarterTitle(r.quarter))}</p>
<p class="signoff ${r.signOff ? 'signed' : 'draft'}">${esc(signOffText(r))}</p>
<p class="generated">Produced on ${esc(longDate(r.generatedAt))} by kpi-bot from the indicator register: statuses and directions are computed from the values, targets, polarity and tolerance of each indicator.</p>
</header>

<section class="summary">
<h2>1. Summary</h2>
${r.commentary?.overall ? commentaryHtml(r.commentary.overall, r.commentary.initials, 'Commentary') : ''}
${summarySentences(r).map((s) => `<p>${esc(s)}</p>`).join('\n')}
<table class="counts">
<thead><tr><th>Indicators</th><th>Reported</th><th>Annual</th><th>No value yet</th><th class="rag-green">Green</th><th class="rag-amber">Amber</th><th class="rag-red">Red</th><th class="rag-no_target">No target</th></tr></thead>
<tbody><tr><td>${c.indicators}</td><td>${c.reported}</td><td>${c.annual}</td><td>${c.missing}</td><td>${c.green}</td><td>${c.amber}</td><td>${c.red}</td><td>${c.noTarget}</td></tr></tbody>
</table>
<table class="counts">
<thead><tr><th>↑ Improved</th><th>↔ Same</th><th>↓ Worsened</th><th>Not comparable</th><th>Exception reports</th></tr></thead>
<tbody><tr><td>${c.improving}</td><td>${c.maintained}</td><td>${c.declining}</td><td>${c.notComparable}</td><td>${c.exceptionsAttached}${c.exceptionsOwed ? ` (${c.exceptionsOwed} due)` : ''}</td></tr></tbody>
</table>
${keyIndicatorsHtml(r)}
<h3>Performance key</h3>
<table class="key"><tbody>
${keyLines(r).map((k) => `<tr><td>${esc(k.symbol)}</td><td>${esc(k.meaning)}</td></tr>`).join('\n')}
</tbody></table>
</section>

<section class="charts">
<h2>2. Performance summary charts</h2>
${charts.map((ch) => `<figure><img src="data:image/png;base64,${ch.png.toString('base64')}" width="${ch.width}" height="${ch.height}" alt="${esc(ch.altText)}"></figure>`).join('\n')}
</section>

<section class="results">
<h2>3. Performance by theme</h2>
${themes || '<p class="muted">No indicators.</p>'}
</section>

<section class="exceptions${r.exceptionReports.length ? ' some' : ''}">
<h2>4. Exception reports</h2>
${exceptions}
</section>
${r.snapshot ? afterSignOffHtml(r) : ''}
${r.actions ? actionsHtml(r.actions, r.snapshot ? 6 : 5) : ''}
${r.risks ? risksHtml(r.risks, (r.snapshot ? 6 : 5) + (r.actions ? 1 : 0), riskMaps) : ''}
</body>
</html>
`;
}
