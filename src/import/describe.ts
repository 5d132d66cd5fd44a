// The validation report of an import, the same on the CLI and in chat: what was read, what is wrong
// (every problem, with its row, column and what was expected), unknown people, and what changed.
import { changedAnything, type WriteSummary } from '../register/types.ts';
import type { ImportOutcome } from './import.ts';
import type { ImportIssue } from './register-table.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import { literal, plainMarkup } from '../messages/markup.ts';

/** A period as people write it: a month's key ("2017-06") as "Jun 2017"; every other key already reads as written ("2017/18 Q3"). */
export function periodSaid(key: string): string {
  return /^\d{4}-\d{2}$/.test(key) ? formatPeriod(periodFromKey(key)) : key;
}

export interface ImportReport {
  ok: boolean;
  /** One line of markup (**bold**; the file's name literal). */
  headline: string;
  /** The lists are plain text: cells, sheet names and people's names as they are in the file. */
  problems: string[];
  unknownPeople: string[];
  warnings: string[];
  /** Values the plausibility check asks about ("sickness-absence 2017/18 Q4: 84 days is 8× …"). */
  unusual: string[];
  /** Unusual values are what stopped the import (to write them: --accept-outliers or the form's tick). */
  unusualRefused: boolean;
  /** Unusual values were written as given (accepted, and the import was not a dry run nor refused). */
  unusualWritten: boolean;
  /** What was (or in a dry run would be) written, one line per kind of record. */
  changes: string[];
}

/** "Indicators row 7, column Polarity", or as much of it as is known. */
function placeOf(i: Pick<ImportIssue, 'sheet' | 'row' | 'column'>): string {
  return [i.sheet && i.row !== null ? `${i.sheet} row ${i.row}` : i.row !== null ? `row ${i.row}` : i.sheet, i.column ? `column ${i.column}` : null]
    .filter(Boolean)
    .join(', ');
}

export function issueLine(i: ImportIssue): string {
  const where = placeOf(i);
  // The cell as given, once: a message that already ends by quoting it is not followed by it again.
  const got = i.got !== undefined && !i.message.trimEnd().endsWith(`got "${i.got}"`) ? ` — got "${i.got.length > 60 ? `${i.got.slice(0, 57)}…` : i.got}"` : '';
  return `${where ? `${where}: ` : ''}${i.message}${got}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

export function changeLines(s: WriteSummary): string[] {
  const part = (label: string, counts: Record<string, number>) => {
    const bits = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n.toLocaleString('en-GB')} ${k}`);
    return bits.length ? `${label}: ${bits.join(', ')}` : null;
  };
  return [
    part('Indicators', s.indicators),
    part('Targets', s.targets),
    part('Values', { new: s.observations.created, corrected: s.observations.corrected, unchanged: s.observations.unchanged }),
    part('Organisation', s.organisation),
    part('People', s.people),
    ...s.emailChanges.map((c) => `${c.name}: e-mail changed from ${c.from} to ${c.to}`),
    part('Themes', s.themes),
    part('Exception reports', s.exceptionReports),
    part('Actions', s.actions),
    part('Progress updates', { new: s.actionUpdates.created, unchanged: s.actionUpdates.unchanged }),
    part('Risks', s.risks),
    part('Risk reviews', { new: s.riskReviews.created, unchanged: s.riskReviews.unchanged }),
    part('Alert channels', { new: s.subscriptions.created }),
    s.lockedPeriodValues ? `${plural(s.lockedPeriodValues, 'value')} in signed-off periods, each audited with the reason given` : null,
  ].filter((l): l is string => l !== null);
}

export function describeImport(o: ImportOutcome, how: { reasonHint: string; acceptHint: string }): ImportReport {
  const read = [
    o.rows.indicators ? plural(o.rows.indicators, 'indicator row') : null,
    o.rows.values ? plural(o.rows.values, 'value row') : null,
    o.rows.people ? plural(o.rows.people, 'person', 'people') : null,
    o.rows.themes ? plural(o.rows.themes, 'theme') : null,
    o.rows.actions ? plural(o.rows.actions, 'action row') : null,
    o.rows.risks ? plural(o.rows.risks, 'risk row') : null,
    o.rows.settings ? plural(o.rows.settings, 'setting') : null,
  ]
    .filter(Boolean)
    .join(', ');
  const file = `${literal(o.file)} (${o.format.toUpperCase()}${read ? `: ${read}` : ''})`;
  const unknownPeople = o.unknownPeople.map((u) => `${u.who} — ${u.where.slice(0, 5).join('; ')}${u.where.length > 5 ? `; and ${u.where.length - 5} more` : ''}`);
  const problems = o.issues.map(issueLine);
  if (o.locked.length) {
    problems.push(
      ...o.locked.map((l) => {
        const at = o.valueAt.get(`${l.slug}|${l.periodKey}|actual`);
        if (l.slug.startsWith('action ')) return `${l.slug.slice(7)} ${periodSaid(l.periodKey)}: the progress differs from the one signed off in ${l.lockKey}`;
        if (l.slug.startsWith('risk ')) return `${l.slug.slice(5)}: a review of ${l.periodKey} is in signed-off ${l.lockKey}`;
        return `${at ? `${placeOf(at)}: ` : ''}${l.slug} ${periodSaid(l.periodKey)}: the value differs from the one signed off in ${l.lockKey}`;
      }),
    );
  }
  const unusual = o.unusual.map((u) => `${u.slug} ${periodSaid(u.periodKey)}: ${u.note}`);
  const unusualRefused = Boolean(unusual.length && !o.acceptOutliers && !problems.length);
  const unusualWritten = Boolean(unusual.length && o.acceptOutliers && !problems.length && !o.dryRun && o.summary);
  const base = { problems, unknownPeople, warnings: [...o.warnings, ...uncheckedLines(o.summary?.uncheckedValues ?? [])], unusual, unusualRefused, unusualWritten };
  if (unusualRefused) {
    return {
      ...base,
      ok: false,
      headline: `⚠️ **Nothing was written** from ${file}: ${plural(unusual.length, 'value')} ${unusual.length === 1 ? 'looks' : 'look'} unusual for ${unusual.length === 1 ? 'its indicator' : 'their indicators'} (listed below). Check them; if they are right, ${how.acceptHint}`,
      changes: [],
    };
  }
  if (problems.length) {
    // Every problem of the file is listed at once: rows, periods not begun, signed-off periods, unusual values.
    const progress = o.locked.filter((l) => l.slug.startsWith('action ')).length;
    const values = o.locked.length - progress;
    const lockedWhat = [values ? plural(values, 'value') : null, progress ? plural(progress, 'progress update') : null].filter(Boolean).join(' and ');
    const locked = `${lockedWhat} would change signed-off periods. ${how.reasonHint}`;
    const unusualToo = unusual.length ? ` ${plural(unusual.length, 'value')} also ${unusual.length === 1 ? 'looks' : 'look'} unusual (listed below).` : '';
    const what = o.locked.length && !o.issues.length ? `${locked}${unusualToo}` : `${plural(problems.length, 'problem')} to fix.${o.locked.length ? ` ${locked}` : ''}${unusualToo}`;
    return { ...base, ok: false, headline: `❌ **Nothing was written** from ${file}: ${what}`, changes: [] };
  }
  const s = o.summary!;
  const changes = changeLines(s);
  if (o.dryRun) {
    return { ...base, ok: true, headline: `🔎 **Dry run** of ${file}: the file is valid; ${changedAnything(s) ? 'importing it would make these changes' : 'importing it would change nothing'}. Nothing was written.`, changes };
  }
  if (!changedAnything(s)) return { ...base, ok: true, headline: `✅ ${file}: **nothing changed** — the register already holds everything in it.`, changes };
  return { ...base, ok: true, headline: `✅ **Imported** ${file}.`, changes };
}

/** Values the plausibility check could not judge, by indicator: said, not asked about. */
export function uncheckedLines(values: readonly { slug: string; periodKey: string }[]): string[] {
  if (!values.length) return [];
  const by = new Map<string, string[]>();
  for (const v of values) by.set(v.slug, [...(by.get(v.slug) ?? []), v.periodKey]);
  const named = [...by].slice(0, 10).map(([slug, keys]) => (keys.length === 1 ? `${slug} ${periodSaid(keys[0]!)}` : `${slug} (${keys.length} values)`));
  const more = by.size > 10 ? ` and ${plural(by.size - 10, 'more indicator')}` : '';
  return [
    `${plural(values.length, 'value')} not checked for plausibility — too few earlier values, and no target, earlier version or similar indicators to compare with: ${named.join(', ')}${more}.`,
  ];
}

/** The whole report as plain lines (CLI, and the text file attached in chat when it is long). */
export function importReportLines(r: ImportReport): string[] {
  const out = [plainMarkup(r.headline)];
  if (r.changes.length) out.push(...r.changes.map((c) => `  ${c}`));
  if (r.problems.length) out.push('', `Problems (${r.problems.length}):`, ...r.problems.map((p) => `  ${p}`));
  if (r.unknownPeople.length) {
    out.push('', `Unknown people (${r.unknownPeople.length}) — not in the register or this file, matched by email, chat user id or name; the indicators and actions they are named on keep their current owner, or have none:`, ...r.unknownPeople.map((p) => `  ${p}`));
  }
  if (r.unusual.length) out.push('', `${unusualTitle(r)}:`, ...r.unusual.map((u) => `  ${u}`));
  if (r.warnings.length) out.push('', 'Notes:', ...r.warnings.map((w) => `  ${w}`));
  return out;
}

/** The heading of the unusual values: imported as they are, or not (asked about, or the file was refused or only checked). */
export function unusualTitle(r: Pick<ImportReport, 'unusual' | 'unusualWritten'>): string {
  return r.unusualWritten ? `Unusual values (${r.unusual.length}), imported as given` : `Unusual values (${r.unusual.length}), not imported`;
}
