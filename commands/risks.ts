// /kpi risks [theme <name> | mine | high] — the risk register as a heat map (likelihood × impact, the
// refs in their cells, the organisation's rating colours) and the list of risks above the appetite;
// /kpi risk <ref> — one risk: its scores (inherent, current, target), trend, every review, its
// mitigating actions and the indicators watching it.
import type { Actor, CommandDeps, RiskRecord } from '../src/ports.ts';
import type { Block, CommandResult } from '../src/messages/types.ts';
import { context, fields, header, inCode, literal, message, reply, text } from '../src/messages/build.ts';
import { formatDate, formatDateTime, localDateOf } from '../src/domain/dates.ts';
import { bandsWords, frequencyWords, TREND_ARROW, TREND_WORDS } from '../src/domain/risks.ts';
import { NotFoundError, ValidationError } from '../src/errors.ts';
import { actionLine, namesOf } from '../src/services/actions.ts';
import { currentOf, heatMapOf, listRisks, reviewDueOn, riskMatrix, riskTrend, RISKS_USAGE, scoreWords } from '../src/services/risks.ts';
import { linesToBlocks } from '../src/services/indicator-lines.ts';
import { defineCommand } from './types.ts';

export async function risksList(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const { title, risks, above, lines, matrix } = await listRisks(deps.repo, org, args, actor.person);
  if (!risks.length) return reply('private', message(`${title}: none.`, header(title), context(args.trim() ? 'Nothing matches right now.' : 'No risks yet: a performance admin imports them with a Risks sheet (see docs/performance-team.md, "Risks").')));
  const summary = `${title}: ${risks.length} risk${risks.length === 1 ? '' : 's'}, ${above.length} above appetite (scores over ${matrix.appetite}).`;
  const blocks: Block[] = [
    header(title),
    { type: 'chart', chart: heatMapOf(`${title}: likelihood × impact`, risks, matrix), title: 'risk heat map' },
    context(`Bands: ${bandsWords(matrix.bands, matrix.scale)}. Above appetite: scores over ${matrix.appetite} (outlined). ↑ ↓: since the review before.`),
    text(above.length ? `**Above appetite (${above.length})**` : `✅ No risk is above appetite (scores over ${matrix.appetite}).`),
    ...(above.length ? linesToBlocks(lines) : []),
    context('`/kpi risk <ref>` for one risk and its history, `/kpi review <ref> likelihood <n> impact <n> <commentary>` to review one.'),
  ];
  return reply('private', message(summary, ...blocks));
}

export async function riskDetail(deps: CommandDeps, _actor: Actor, args: string): Promise<CommandResult> {
  const ref = args.trim();
  if (!ref) throw new ValidationError('Which risk? Give its ref, e.g. `/kpi risk CIP01`.', {}, '`/kpi risks` shows the register.');
  const r = await deps.repo.risks.byRef(ref);
  if (!r) throw new NotFoundError(`There is no risk "${literal(ref)}".`, '`/kpi risks` lists them with their refs.');
  return reply('private', await riskMessage(deps, r));
}

async function riskMessage(deps: CommandDeps, r: RiskRecord) {
  const org = await deps.repo.org();
  const m = riskMatrix(org);
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const people = await namesOf(deps.repo, [r.ownerId, r.deputyId, r.directorId]);
  const name = (id: number | null) => (id === null ? 'nobody' : literal(people.get(id) ?? 'nobody'));
  const reviews = await deps.repo.risks.reviews([r.id]);
  const authors = await namesOf(deps.repo, reviews.map((v) => v.authorId));
  const t = riskTrend(r);
  const history = reviews.slice(0, 10).map((v, i) => {
    const before = reviews[i + 1];
    const arrow = before ? ` ${TREND_ARROW[v.likelihood * v.impact > before.likelihood * before.impact ? 'rising' : v.likelihood * v.impact < before.likelihood * before.impact ? 'falling' : 'steady']}` : '';
    const by = v.authorId !== null ? (authors.get(v.authorId) ?? 'someone') : v.source.startsWith('import') ? 'an import' : v.source;
    return `**${formatDate(v.reviewedOn)}**: ${scoreWords(v, m)}${arrow} — ${v.commentary ? literal(v.commentary) : 'no commentary'} _(${literal(by)}, ${formatDateTime(v.createdAt, org.timeZone)})_`;
  });
  const actions = r.actionIds.length ? await deps.repo.actions.list({ ids: r.actionIds }) : [];
  const owners = await namesOf(deps.repo, actions.map((a) => a.ownerId));
  const indicators = r.indicatorIds.length ? (await deps.repo.indicators({ ids: r.indicatorIds })).map((i) => `\`${i.slug}\``) : [];
  const due = reviewDueOn(r);
  const current = currentOf(r);
  return message(
    `${r.ref} ${r.title}: ${scoreWords(current, m)}${t ? `, ${TREND_WORDS[t]}` : ''}.`,
    header(`${r.ref} ${r.title}`.slice(0, 150)),
    text(`**Current ${scoreWords(current, m)}**${t ? ` ${TREND_ARROW[t]} ${TREND_WORDS[t]} since the review before` : ''}${current && current.likelihood * current.impact > m.appetite ? ' · **above appetite**' : ''}${r.latest ? '' : ' (inherent: never reviewed)'}`),
    fields([
      { label: 'Inherent', value: scoreWords(r.inherent, m) },
      { label: 'Target', value: scoreWords(r.target, m) },
      { label: 'Owner', value: name(r.ownerId) },
      { label: 'Deputy', value: name(r.deputyId) },
      { label: 'Theme', value: literal(r.themeName ?? 'none') },
      { label: 'Director', value: name(r.directorId) },
      { label: 'Reviewed', value: `${frequencyWords(r.reviewMonths)}; next due ${formatDate(due)}${due <= today ? ' (due now)' : ''}` },
      { label: 'Indicators', value: indicators.join(', ') || 'none linked' },
    ]),
    ...(r.controls ? [text(`Controls: ${literal(r.controls)}`)] : []),
    ...(r.description ? [text(literal(r.description))] : []),
    text(actions.length ? '**Mitigating actions**' : 'No mitigating actions linked.'),
    ...linesToBlocks(actions.map((a) => actionLine(a, today, org, a.ownerId === null ? null : (owners.get(a.ownerId) ?? null)))),
    text(history.length ? `**Reviews** (${reviews.length}, latest first)` : 'No review yet.'),
    ...linesToBlocks(history),
    context(`\`/kpi review ${inCode(r.ref)} likelihood <1–${m.scale}> impact <1–${m.scale}> <commentary>\` to review it, or \`/kpi review ${inCode(r.ref)}\` for a form.`),
  );
}

export const risksCommand = defineCommand({
  name: 'risks',
  aliases: ['heatmap', 'heat-map'],
  usage: RISKS_USAGE,
  summary: 'the risk register as a heat map, and the risks above appetite',
  examples: ['/kpi risks high'],
  run: risksList,
});

export const riskCommand = defineCommand({
  name: 'risk',
  usage: 'risk <ref>',
  summary: 'one risk: its scores, trend, every review and its mitigating actions',
  examples: ['/kpi risk CIP06'],
  run: riskDetail,
});
