// `kpi commentary [<quarter>] [--out PATH] [--force] [--now <time>]`: what commentary is written and
// owed for a quarter (the last ended unless named) — per theme and for the whole report: submitted or
// a draft, by whom and when, or owed and by whom. With --out, a Markdown file of the list and the
// commentary's text as written.
import type { Command } from 'commander';
import { formatDate, localDateOf } from '../../domain/dates.ts';
import { formatPeriodInFull } from '../../domain/periods.ts';
import { readQuarter } from '../../services/quarters.ts';
import { commentaryStatus, scopeName, type ScopeStatus } from '../../services/commentary.ts';
import { namesOf } from '../../services/actions.ts';
import { markdownText } from '../../report/markdown.ts';
import { UserError } from '../../errors.ts';
import { commandClock, withDatabase } from '../context.ts';
import { FORCE_HELP, OUT_HELP, outputTarget, writeOutput } from '../output.ts';

export function addCommentaryCommand(program: Command): void {
  program
    .command('commentary')
    .description('the commentary written and owed for a quarter, per theme and for the whole report')
    .argument('[quarter...]', 'the quarter (2017/18 Q3, "last quarter"); the last ended by default')
    .option('--out <path>', OUT_HELP('list and the commentary as written, in Markdown', 'KPI_OUT_DIR/commentary-<quarter>.md'))
    .option('--force', FORCE_HELP)
    .option('--now <time>', 'as of another time (2018-02-05T09:00)')
    .action(async (words: string[], opts: { out?: string; force?: boolean; now?: string }) => {
      await withDatabase(async ({ repo, config }) => {
        const org = await repo.org();
        const today = localDateOf((await commandClock(repo, opts.now)).now(), org.timeZone);
        const q = readQuarter(words.join(' '), today, org.fyStartMonth);
        if (!q.ok) throw new UserError(q.error);
        const quarter = q.value;
        const target = opts.out !== undefined ? await outputTarget(`commentary-${quarter.key.replace(/[^0-9A-Za-z]+/g, '-')}.md`, config.outDir, opts) : null;
        const status = await commentaryStatus(repo, quarter.key);
        const names = await namesOf(repo, status.flatMap((s) => [s.current?.authorId ?? null, s.theme?.directorId ?? null]));
        const lock = await repo.lockCovering(quarter.start, quarter.end);
        const line = (s: ScopeStatus) => {
          const c = s.current;
          const who = (id: number | null) => (id !== null ? (names.get(id) ?? 'someone') : 'someone');
          const on = (d: Date) => formatDate(localDateOf(d, org.timeZone));
          if (s.submitted && c?.state === 'submitted') return `✓ ${scopeName(s.theme)}: submitted by ${who(c.authorId)} on ${on(c.createdAt)} (version ${c.version})`;
          if (s.submitted) return `✓ ${scopeName(s.theme)}: submitted by ${who(s.submitted.authorId)} on ${on(s.submitted.createdAt)}; a newer draft by ${who(c!.authorId)} on ${on(c!.createdAt)} is not submitted`;
          const by = s.theme ? (s.theme.directorId !== null ? `its director, ${who(s.theme.directorId)}` : 'no director: the performance team') : 'the performance team';
          return `✗ ${scopeName(s.theme)}: owed by ${by}${c ? ` — a draft by ${who(c.authorId)} on ${on(c.createdAt)}` : ''}`;
        };
        const owed = status.filter((s) => s.owed).length;
        const head = `Commentary for ${formatPeriodInFull(quarter)} (${(org.commentarySections ?? []).join('; ')}): ${status.length - owed} of ${status.length} submitted${lock ? `; signed off on ${formatDate(localDateOf(lock.closedAt, org.timeZone))}, locked` : ''}.`;
        const lines = [head, ...status.map(line)];
        if (!target) {
          console.log(lines.join('\n'));
          return;
        }
        const md = [`# ${markdownText(head)}`, '', ...status.map((s) => `- ${markdownText(line(s))}`), ''];
        for (const s of status.filter((x) => x.current)) {
          md.push(`## ${markdownText(scopeName(s.theme))} (${s.current!.state}, version ${s.current!.version})`, '');
          for (const sec of s.current!.sections) md.push(`### ${markdownText(sec.heading)}`, '', sec.text.trim() ? markdownText(sec.text.trim()) : '_Not written._', '');
        }
        const written = await writeOutput(target, new TextEncoder().encode(md.join('\n')));
        process.stderr.write(`${lines.slice(1).length} scopes, ${owed} owed${written.replaced ? '; replaced the earlier file' : ''}.\n`);
        console.log(written.path);
      });
    });
}
