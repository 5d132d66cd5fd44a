// /kpi report [period] [pdf|html|xlsx|md] [theme <name>] — the quarterly performance report as
// councils publish it, posted to the channel as a file. Performance admins only. Answers at once,
// then uploads the file when it is ready.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, deferred, file, literal, message, reply, text } from '../src/messages/build.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { readQuarter } from '../src/services/quarters.ts';
import { findTheme } from '../src/report/model.ts';
import { quarterReport } from '../src/report/snapshot.ts';
import { isReportFormat, renderReport, type ReportFormat } from '../src/report/render.ts';
import { signOffText, summarySentences } from '../src/report/text.ts';
import { ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';

const USAGE = 'Usage: /kpi report [period] [pdf|html|xlsx|md] [theme <name>] — e.g. /kpi report 2025/26 Q2, /kpi report last quarter xlsx, /kpi report Q2 theme housing';
const FORMAT_WORDS: Record<string, ReportFormat> = { excel: 'xlsx', spreadsheet: 'xlsx', markdown: 'md', web: 'html' };
const FORMAT_NAMES: Record<ReportFormat, string> = { pdf: 'PDF', html: 'web page (HTML)', xlsx: 'Excel workbook', md: 'Markdown' };

export interface ReportRequest {
  periodKey: string;
  format: ReportFormat;
  themeId: number | undefined;
}

/** Read "2025/26 Q2 xlsx theme housing" into a quarter, a format and an optional theme. */
export async function parseReportArgs(deps: CommandDeps, args: string): Promise<ReportRequest> {
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  let rest = args.trim();
  let themeText: string | null = null;
  const t = /(?:^|\s)(?:--theme[=\s]|theme[:=\s])\s*(.+)$/i.exec(rest);
  if (t) {
    themeText = t[1]!.trim();
    rest = rest.slice(0, t.index).trim();
  }
  let format: ReportFormat = 'pdf';
  rest = rest
    .split(/\s+/)
    .filter((w) => {
      const k = w.toLowerCase().replace(/^\.|^--format=?/, '');
      const f = isReportFormat(k) ? k : FORMAT_WORDS[k];
      if (f) format = f;
      return !f;
    })
    .join(' ');
  const q = readQuarter(rest, today, org.fyStartMonth);
  if (!q.ok) throw new ValidationError(q.error, {}, USAGE);
  if (q.value.start > today) throw new ValidationError(`${q.value.key} has not started yet (today is ${formatDate(today)}).`, {}, USAGE);
  let themeId: number | undefined;
  if (themeText) {
    const themes = await deps.repo.themes();
    const found = findTheme(themes, themeText);
    if (Array.isArray(found)) {
      const names = (found.length ? found : themes).map((x) => `\`${x.slug}\``).join(', ');
      throw new ValidationError(`${found.length ? `"${themeText}" matches several themes` : `No theme matches "${themeText}"`}: ${names}.`, {}, USAGE);
    }
    themeId = found.id;
  }
  return { periodKey: q.value.key, format, themeId };
}

/** Build and render the report, as a channel message with the file. */
export async function reportMessage(deps: CommandDeps, req: ReportRequest): Promise<CommandResult> {
  const model = await quarterReport(deps.repo, req.periodKey, deps.clock.now(), req.themeId !== undefined ? { themeId: req.themeId } : {});
  const rendered = await renderReport(model, req.format, deps);
  const [counts, rag] = summarySentences(model);
  return reply(
    'channel',
    message(
      `Performance report ${model.quarter.key}${model.themeFilter ? ` (${model.themeFilter})` : ''}: ${rag}`,
      text(`📊 **Performance report, ${model.quarter.key}**${model.themeFilter ? ` — ${literal(model.themeFilter)}` : ''} (${FORMAT_NAMES[req.format]})`),
      text(literal(`${counts} ${rag}`)),
      context(literal(signOffText(model))),
      file(rendered.filename, rendered.mimeType, rendered.bytes, `Performance report ${model.quarter.key}`),
    ),
  );
}

export async function report(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'report');
  const req = await parseReportArgs(deps, args);
  return deferred(
    message(`Preparing the ${req.periodKey} report…`, text(`Preparing the **${req.periodKey}** performance report (${FORMAT_NAMES[req.format]}); it will be posted here in a moment.`)),
    () => reportMessage(deps, req),
  );
}

export const reportCommand = defineCommand({
  name: 'report',
  usage: 'report [period] [pdf|html|xlsx|md] [theme <name>]',
  summary: 'the quarterly performance report, posted here as a file (performance admins)',
  examples: ['/kpi report last quarter', '/kpi report last quarter xlsx'],
  roles: ['admin'],
  run: report,
});
