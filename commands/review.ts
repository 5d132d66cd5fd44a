// /kpi review <risk-ref> likelihood <n> impact <n> <commentary…> — a risk's owner (or deputy, the
// theme's director, a performance admin) records a review dated today; `/kpi review <ref>` alone (or
// the button on a chase) opens a form. Every review is kept; the answer says the new score, its band,
// the trend, and whether it rose into a higher band or above the appetite. A repeat changes nothing.
import { z } from 'zod';
import type { Actor, CommandDeps, RiskRecord } from '../src/ports.ts';
import type { CommandResult, FormValues } from '../src/messages/types.ts';
import { context, inCode, literal, message, plainMarkup, reply, text } from '../src/messages/build.ts';
import { LockedPeriodSaveError, NotFoundError, NotInRegisterError, PermissionError, ValidationError } from '../src/errors.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { onScale, readInlineReview, riskScore, rose, TREND_ARROW, TREND_WORDS } from '../src/domain/risks.ts';
import { isAdmin } from '../src/services/permissions.ts';
import { canReviewRisk, currentOf, riskMatrix, riskTrend, scoreOf, scoreWords } from '../src/services/risks.ts';
import { parseJson } from './payload.ts';
import { defineCommand } from './types.ts';

const USAGE = 'review <risk-ref> [likelihood <n> impact <n> <commentary>]';
const MAX_COMMENTARY = 3000;

/** The longest leading words that are a risk's ref (refs may hold spaces: "CIP 06"), and the words after it. */
async function riskFor(deps: CommandDeps, actor: Actor, words: string[]): Promise<{ risk: RiskRecord; rest: string[] }> {
  if (!actor.person) throw new NotInRegisterError('You are not in the register, so you cannot review a risk. Ask your performance team to add you.');
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const risk = await deps.repo.risks.byRef(words.slice(0, n).join(' '));
    if (!risk) continue;
    await mayReview(deps, actor, risk);
    return { risk, rest: words.slice(n) };
  }
  throw new ValidationError(`There is no risk "${literal(words[0]!)}".`, {}, '`/kpi risks mine` lists yours with their refs.');
}

async function mayReview(deps: CommandDeps, actor: Actor, r: RiskRecord): Promise<void> {
  if (canReviewRisk(actor.person, r)) return;
  const owner = r.ownerId === null ? null : await deps.repo.person(r.ownerId);
  throw new PermissionError(`Sorry, only ${owner ? `${literal(owner.displayName)} (its owner)` : 'its owner'}, its deputy, the theme’s director or a performance admin can review ${literal(r.ref)}.`);
}

export async function reviewRisk(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (!words.length) throw new ValidationError('Which risk? Give its ref, e.g. `/kpi review CIP06 likelihood 4 impact 4 Two leavers in December`.', {}, `Usage: /kpi ${USAGE}. \`/kpi risks mine\` lists yours.`);
  const found = await riskFor(deps, actor, words);
  const r = found.risk;
  const rest = found.rest.join(' ');
  const m = riskMatrix(await deps.repo.org());
  if (!rest) return reviewForm(r, m.scale);
  const read = readInlineReview(rest);
  if (!read) throw new ValidationError(`Give ${literal(r.ref)}’s likelihood and impact first, then what has changed.`, {}, `e.g. \`/kpi review ${inCode(r.ref)} likelihood 3 impact 4 Caseloads stable after two starters\``);
  const problems = scaleProblems(read.likelihood, read.impact, m.scale);
  if (problems.length) throw new ValidationError(problems.join(' '));
  if (read.commentary.length > MAX_COMMENTARY) throw new ValidationError(`That commentary is ${read.commentary.length} characters; the most is ${MAX_COMMENTARY}.`);
  if (!read.commentary) throw new ValidationError(`Say in a sentence what the review found, after the scores.`, {}, `e.g. \`/kpi review ${inCode(r.ref)} likelihood ${read.likelihood} impact ${read.impact} Controls working as planned\``);
  const said = await saveReview(deps, actor, r, read.likelihood, read.impact, read.commentary);
  return reply('private', message(plainMarkup(said.join(' ')), ...said.map((s) => text(s)), context(`\`/kpi risk ${inCode(r.ref)}\` shows every review.`)));
}

const scaleProblems = (likelihood: number, impact: number, scale: number): string[] =>
  [onScale(likelihood, scale) ? null : `Likelihood is scored 1–${scale}, not ${likelihood}.`, onScale(impact, scale) ? null : `Impact is scored 1–${scale}, not ${impact}.`].filter((x): x is string => x !== null);

/** Record the review (dated today) and say what it did: the score, band, trend, and any rise. */
async function saveReview(deps: CommandDeps, actor: Actor, r: RiskRecord, likelihood: number, impact: number, commentary: string): Promise<string[]> {
  const org = await deps.repo.org();
  const m = riskMatrix(org);
  const now = deps.clock.now();
  const today = localDateOf(now, org.timeZone);
  // A review dated in a signed-off quarter would change what its report printed.
  const lock = await deps.repo.lockCovering(today, today);
  if (lock && !isAdmin(actor.person)) throw new LockedPeriodSaveError(`${lock.periodKey} was signed off on ${formatDate(lock.closedAt.toISOString().slice(0, 10))}: reviews dated in it are as its report printed them. Ask a performance admin.`);
  const before = scoreOf(currentOf(r));
  const { created } = await deps.repo.risks.saveReview(
    { riskId: r.id, reviewedOn: today, likelihood, impact, commentary, authorId: actor.person!.id, source: `chat:${actor.platform}`, at: now },
    { at: now, actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` },
  );
  if (!created) return [`${literal(r.ref)} already has that review for ${formatDate(today)}: nothing changed.`];
  const after = (await deps.repo.risks.byRef(r.ref))!;
  const t = riskTrend(after);
  const score = riskScore(likelihood, impact);
  const said = [`✅ Saved ${literal(r.ref)}’s review of ${formatDate(today)}: **${scoreWords({ likelihood, impact }, m)}**${t ? ` ${TREND_ARROW[t]} ${TREND_WORDS[t]}` : ''}.`];
  if (before !== null) {
    const up = rose(before, score, m);
    if (up.aboveAppetite) said.push(`⚠️ It is now **above the risk appetite** (scores over ${m.appetite}): it will be escalated in the director’s digest.`);
    else if (up.intoBand) said.push(`⚠️ It has risen into a higher band (from ${before} to ${score}).`);
  }
  return said;
}

const formState = z.object({ riskId: z.number().int().positive() });

function reviewForm(r: RiskRecord, scale: number): CommandResult {
  const levels = Array.from({ length: scale }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));
  const current = currentOf(r);
  return {
    kind: 'form',
    form: {
      id: 'risk-review',
      title: `Review ${r.ref}`.slice(0, 24),
      submitLabel: 'Save',
      intro: [text(`**${literal(r.ref)}** ${literal(r.title)}${current ? ` — now likelihood ${current.likelihood}, impact ${current.impact}` : ''}.`)],
      fields: [
        { id: 'likelihood', label: `Likelihood (1–${scale})`, kind: 'select', required: true, options: levels, ...(current ? { initial: String(current.likelihood) } : {}) },
        { id: 'impact', label: `Impact (1–${scale})`, kind: 'select', required: true, options: levels, ...(current ? { initial: String(current.impact) } : {}) },
        { id: 'commentary', label: 'Commentary', kind: 'textarea', maxLength: MAX_COMMENTARY, hint: 'What the review found: what changed, how the controls and actions are working.' },
      ],
      state: JSON.stringify({ riskId: r.id }),
    },
  };
}

const one = (v: FormValues[string]) => [v ?? ''].flat().join(' ').trim();

async function submitReviewForm(deps: CommandDeps, actor: Actor, state: string, values: FormValues): Promise<CommandResult> {
  const { riskId } = parseJson(formState, state);
  if (!actor.person) throw new NotInRegisterError('You are not in the register, so you cannot review a risk.');
  const r = (await deps.repo.risks.list({ ids: [riskId] }))[0];
  if (!r) throw new NotFoundError('That risk is no longer in the register.');
  await mayReview(deps, actor, r);
  const { scale } = riskMatrix(await deps.repo.org());
  const errors: Record<string, string> = {};
  const likelihood = Number(one(values.likelihood));
  const impact = Number(one(values.impact));
  if (!onScale(likelihood, scale)) errors.likelihood = `Choose 1 to ${scale}.`;
  if (!onScale(impact, scale)) errors.impact = `Choose 1 to ${scale}.`;
  const commentary = one(values.commentary);
  if (!commentary) errors.commentary = 'Say what the review found.';
  else if (commentary.length > MAX_COMMENTARY) errors.commentary = `At most ${MAX_COMMENTARY} characters.`;
  if (Object.keys(errors).length) return { kind: 'form-errors', errors };
  const said = await saveReview(deps, actor, r, likelihood, impact, commentary);
  return { kind: 'form-done', message: message(plainMarkup(said.join(' ')), ...said.map((s) => text(s))) };
}

/** A chase's button: the review form for that risk. */
async function openReviewForm(deps: CommandDeps, actor: Actor, raw: string): Promise<CommandResult> {
  const { riskId } = parseJson(formState, raw);
  const r = (await deps.repo.risks.list({ ids: [riskId] }))[0];
  if (!r) throw new NotFoundError('That risk is no longer in the register.');
  if (!actor.person) throw new NotInRegisterError('You are not in the register, so you cannot review a risk.');
  await mayReview(deps, actor, r);
  return reviewForm(r, riskMatrix(await deps.repo.org()).scale);
}

export const reviewCommand = defineCommand({
  name: 'review',
  usage: USAGE,
  summary: 'record a risk’s review: likelihood, impact and what changed',
  examples: ['/kpi review CIP06 likelihood 4 impact 4 Two leavers in December'],
  run: reviewRisk,
  forms: { 'risk-review': { submitted: submitReviewForm, reopen: 'Type `/kpi review <ref>` to open the form again.' } },
  actions: { 'open-risk-review': openReviewForm },
});
