// /kpi submit — an officer gives a value for a period, by a form (as the platform shows one)
// or inline: /kpi submit sickness-absence 2025/26 Q2 8.4 est note text…
// Every path validates the same way, keeps every earlier version, and answers at once with the new
// status, direction and explanation.
import { z } from 'zod';
import type { Actor, CommandDeps, IndicatorRecord, ObservationRecord, SignOffHold } from '../src/ports.ts';
import type { CommandResult, Field, Form, FormValues, Message } from '../src/messages/types.ts';
import { actions, context, inPlaceOfOriginal, literal, message, reply, text } from '../src/messages/build.ts';
import { formatNumber, formatValue, isRecordNumber, parseValue, storedNumberError } from '../src/domain/format.ts';
import { describePeriodError, dueDate, exampleFor, formatPeriod, formatPeriodInFull, FREQUENCY_WORDS, parsePeriod, periodFromKey, periodKindFor, periodQuestion, type PeriodSource } from '../src/domain/periods.ts';
import { formatDate, formatDateTime, localDateOf } from '../src/domain/dates.ts';
import type { Period } from '../src/domain/types.ts';
import { defaultSubmitPeriod, evaluateIndicator, needsExceptionReport, notStartedError, submitCadence } from '../src/services/evaluation.ts';
import { findIndicator } from '../src/services/find-indicator.ts';
import { statusLabel } from '../src/services/labels.ts';
import { canSubmit, ensureAllowed, isAdmin } from '../src/services/permissions.ts';
import { askForm, askMessage, plausibilityOf, type AskContext } from '../src/services/plausibility.ts';
import { periodForm, periodMessage, type PeriodAsk } from '../src/services/period-question.ts';
import { givenBy } from '../src/services/provenance.ts';
import { calculatedRefusal } from '../src/services/calculated.ts';
import { holdRefusal } from '../src/services/sign-off.ts';
import { reopenOutdatedApprovals, valueAndStatus, type OutdatedReport } from '../src/services/outdated-approvals.ts';
import { inlineTokens, readInlineSubmission, type RawSubmission } from '../src/services/inline-submission.ts';
import { NotFoundError, ValidationError } from '../src/errors.ts';
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import { defineCommand } from './types.ts';
import { indicatorIdSchema, parseJson, periodKeySchema, recordNumberSchema } from './payload.ts';
import { loadBenchmarks, withBenchmark } from '../src/services/comparators.ts';

export const SUBMIT_USAGE = 'submit <indicator> [period] <value> [est] [prov] [note…]';
/** The one rule for the words after a value, said alike in help, the usage line, the form and the docs. */
export const NOTE_RULE = 'Words after the value (and est/prov) are its note; when the value corrects an earlier one, the note is also the reason for the correction (required for a signed-off period).';
const USAGE_LINE = `Usage: /kpi ${SUBMIT_USAGE} — e.g. /kpi submit sickness-absence last quarter 8.4 est payroll figures are late. Without a period: the period due now; without its year ("Q3"), it is said back before saving unless it is the one being collected. ${NOTE_RULE} /kpi submit on its own opens a form.`;

/** A submission that passed validation, carried through confirmation steps as JSON. */
const submissionSchema = z.object({
  indicatorId: indicatorIdSchema,
  periodKey: periodKeySchema,
  value: z.number().finite(),
  estimated: z.boolean(),
  provisional: z.boolean(),
  note: z.string().max(2000).nullable(),
  /** The version this replaces, when the period already had a value (null: first value). */
  replacesVersion: recordNumberSchema.nullable(),
  /** The person was asked about this value by the plausibility check and chose to save it. */
  unusualAccepted: z.boolean().optional(),
});
export type Submission = z.infer<typeof submissionSchema>;

export function parseSubmissionState(state: string): Submission {
  let sub: Submission;
  try {
    sub = submissionSchema.parse(JSON.parse(state));
  } catch {
    throw new ValidationError('That confirmation has expired or was changed. Please submit the value again.');
  }
  // Carried by a button, so it may have been changed on the way: the number is checked as a typed one is.
  const range = storedNumberError(sub.value);
  if (range) throw new ValidationError(`Not saved: ${formatNumber(sub.value, 6)} is too large a number to keep: ${range}.`);
  return sub;
}

export const actorLabel = (a: Actor) => `${a.platform}:${a.userId}`;

export interface Checked {
  indicator: IndicatorRecord;
  period: Period;
  submission: Submission;
  existing: ObservationRecord | null;
  lock: SignOffHold | null;
  /** Who gave the existing value, by name. */
  existingBy: string | null;
  /** The plausibility check's question, when the value is unusual and not yet accepted. */
  unusual: AskContext | null;
  /** The plausibility check's small print when nothing could be checked (null: it was checked; absent: not run — accepted, or the period asked about). */
  unchecked?: string | null;
  /** The period said back first, when it was not typed with its year and could be misread. */
  periodAsk: PeriodAsk | null;
}

export interface CheckOptions {
  /** The person was asked about this value by the plausibility check and chose to save it. */
  unusualAccepted?: boolean;
  /** The period was said back and confirmed (or typed in the period question's form). */
  periodConfirmed?: boolean;
}

/** Validate a submission for a known indicator. Field errors are keyed by form field id. */
export async function check(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, raw: RawSubmission, o: CheckOptions = {}): Promise<Checked | { errors: Record<string, string>; locked?: true }> {
  const { repo, clock } = deps;
  // A calculated indicator is worked out from its inputs: said before anything else about what was typed.
  const calculated = calculatedRefusal(ind);
  if (calculated) return { errors: { indicator: calculated } };
  const org = await repo.org();
  const today = localDateOf(clock.now(), org.timeZone);
  const errors: Record<string, string> = {};
  const history = await repo.history(ind.id);

  let period: Period | null = null;
  let source: PeriodSource = 'typed';
  let alternative: Period | null = null;
  if (!raw.periodText.trim()) {
    period = defaultSubmitPeriod(ind, history, today, org);
    source = 'default';
  } else {
    // "Q4" in a submission: this year's once it has begun (values can be given then), else last year's.
    const p = parsePeriod(raw.periodText, { frequency: ind.frequency, today, fyStartMonth: org.fyStartMonth, bare: 'begun' });
    if (!p.ok) errors.period = describePeriodError(p.reason, ind.name.length < 60 ? { indicator: ind.name } : {});
    else {
      period = p.value;
      if (p.inferred) source = 'inferred';
      alternative = p.alternative ?? null;
    }
  }
  if (o.periodConfirmed) source = 'typed';
  const v = parseValue(raw.valueText, ind.unit);
  if (!v.ok) errors.value = v.error;
  if (raw.note && raw.note.length > 2000) errors.note = `The note is ${raw.note.length} characters; keep it under 2,000.`;

  let lock: SignOffHold | null = null;
  if (period && !errors.period) {
    const a = await admissible(deps, actor, ind, period, v.ok ? v.value : null);
    Object.assign(errors, a.errors);
    lock = a.lock;
  }
  // `locked`: the period is signed off (what refused it, for a caller that answers a conflict apart).
  if (Object.keys(errors).length || !period || !v.ok) return { errors, ...(lock ? { locked: true as const } : {}) };

  const existing = history.observations.find((o) => o.periodKey === period.key) ?? null;
  const submission: Submission = {
    indicatorId: ind.id,
    periodKey: period.key,
    value: v.value,
    estimated: raw.estimated,
    provisional: raw.provisional,
    note: raw.note?.trim() || null,
    replacesVersion: existing?.version ?? null,
  };
  // A period not typed with its year is said back first when it could be misread (src/domain/periods/intent.ts).
  const fy = org.fyStartMonth;
  const question =
    source === 'typed'
      ? null
      : periodQuestion({ period, source, alternative, cadence: submitCadence(ind, org), today, valueKeys: history.observations.map((x) => x.periodKey), periodOf: (key) => periodFromKey(key, fy) });
  // The last step of the one check: the value against the indicator's own history (or, with too
  // little of it, its target, the value it replaces and similar indicators). An unusual value is
  // asked about (src/services/plausibility.ts), never refused.
  const judged = o.unusualAccepted || question ? null : await plausibilityOf(repo, ind, history, period, v.value, org);
  const verdict = judged?.verdict;
  const existingBy = existing?.submittedById ? ((await repo.person(existing.submittedById))?.displayName ?? null) : null;
  return {
    indicator: ind,
    period,
    lock,
    existing,
    existingBy: existing ? (existingBy ?? givenBy(existing, new Map())) : null,
    submission: o.unusualAccepted ? { ...submission, unusualAccepted: true } : submission,
    ...(judged ? { unchecked: judged.unchecked } : {}),
    unusual:
      verdict?.kind === 'ask'
        ? { ind, period, value: v.value, verdict, stateFor: (value: number) => JSON.stringify({ ...submission, value, unusualAccepted: true }) }
        : null,
    periodAsk: question
      ? {
          ind,
          question,
          value: v.value,
          source: source === 'default' ? 'default' : 'inferred',
          typed: raw.periodText.trim(),
          laterValue: question.why === 'later-value' ? (history.observations.find((x) => x.periodKey === question.later.key)?.value ?? null) : null,
          stateFor: (periodKey: string) => JSON.stringify({ ...submission, periodKey, replacesVersion: null }),
        }
      : null,
  };
}

/**
 * The rules a value must pass at the moment it is saved, however it came in — the inline command,
 * the form or card, the confirmation button or form (whose state may be stale or forged): the
 * period has begun and is of the indicator's frequency, the person may submit for the indicator,
 * and a signed-off period is for a performance admin only. Errors by form field id. (The lock is
 * checked again inside the save's transaction; imports apply the same rules row by row.) Rules on
 * the value itself — a plausibility check against the indicator's history — belong at the end, where
 * `value` is known for every way in (null while only the period is being checked).
 */
export async function admissible(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, period: Period, _value: number | null = null): Promise<{ errors: Record<string, string>; lock: SignOffHold | null }> {
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const calculated = calculatedRefusal(ind);
  if (calculated) return { errors: { indicator: calculated }, lock: null };
  if (!actor.integration && !canSubmit(actor.person, ind)) {
    const owner = ind.ownerId ? await deps.repo.person(ind.ownerId) : null;
    return { errors: { indicator: `Only the owner${owner ? ` (${literal(owner.displayName)})` : ''}, their deputy or a performance admin can submit for ${ind.slug}.` }, lock: null };
  }
  if (period.kind !== periodKindFor(ind.frequency)) {
    return { errors: { period: `${ind.slug} is reported ${FREQUENCY_WORDS[ind.frequency]}: ${formatPeriod(period)} is not one of its periods (e.g. ${exampleFor(ind.frequency, today, org.fyStartMonth)}).` }, lock: null };
  }
  const notStarted = notStartedError(period, today);
  if (notStarted) return { errors: { period: notStarted }, lock: null };
  // What a signed-off quarter's report covers is held: the quarter, its months, the years it shows (src/repo/rules.ts).
  const lock = await deps.repo.signOffHold(ind.id, period.key, deps.clock.now());
  if (lock && (actor.integration || !isAdmin(actor.person))) return { errors: { period: await holdRefusal(deps.repo, ind, period, lock) }, lock };
  return { errors: {}, lock };
}

/** What saving a checked submission did: the period, the new version, the one it replaced, and the small print when it could not be checked for plausibility. */
export interface SavedValue {
  period: Period;
  saved: ObservationRecord;
  before: ObservationRecord | undefined;
  unchecked: string | null;
}

/** Save a checked submission and describe the result. */
async function save(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, sub: Submission, reason: string | null): Promise<Message> {
  const { period, saved, before, unchecked } = await saveValue(deps, actor, ind, sub, reason);
  try {
    // An approved exception report for the value this replaces goes back to "needs update" (its owner is told).
    const reopened = await reopenOutdatedApprovals(deps, deps.clock.now(), { indicatorIds: [ind.id], actorLabel: actorLabel(actor), byId: actor.person?.id ?? null });
    return withSmallPrint(await savedAnswer(deps, ind, period, saved, before, reopened), unchecked);
  } catch (e) {
    // Saved, and then the database stopped answering while the new status was worked out: the
    // person must hear that it is saved (a retry would now find it saved too), not "not saved".
    if (!isDatabaseUnavailable(e)) throw e;
    deps.log.warn({ err: (e as Error).message, indicator: ind.slug, period: period.key }, 'saved; the status could not be read back');
    return withSmallPrint(savedWithoutStatus(ind, period, saved, before), unchecked);
  }
}

/**
 * The save itself, however the value came in (chat, a form, the HTTP API): the plausibility small
 * print, the version saved (sign-off and permission checked again in its transaction). Approvals it
 * outdates are reopened by the caller (`reopenOutdatedApprovals`).
 */
export async function saveValue(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, sub: Submission, reason: string | null, checked?: Pick<Checked, 'unchecked'>): Promise<SavedValue> {
  const { repo, clock } = deps;
  const org = await repo.org();
  const before = sub.replacesVersion ? (await repo.observationVersions(ind.id, sub.periodKey))[0] : undefined;
  const period = periodFromKey(sub.periodKey, org.fyStartMonth);
  // Said in the answer's small print when the value could not be checked for plausibility at all.
  // (Worked out by the check just before, when the caller has it: not read twice.)
  const unchecked = sub.unusualAccepted ? null : checked?.unchecked !== undefined ? checked.unchecked : (await plausibilityOf(repo, ind, await repo.history(ind.id), period, sub.value, org)).unchecked;
  // The sign-off and the permission are checked again inside the save's transaction.
  const saved = await repo.saveObservation({
    indicatorId: ind.id,
    periodKey: period.key,
    periodStart: period.start,
    periodEnd: period.end,
    value: sub.value,
    estimated: sub.estimated,
    provisional: sub.provisional,
    note: sub.note,
    source: actor.platform,
    submittedById: actor.person?.id ?? null,
    submittedByLabel: actorLabel(actor),
    submittedAt: clock.now(),
    replacesVersion: sub.replacesVersion,
    correctionReason: reason,
  });
  return { period, saved, before, unchecked };
}

/** A saved answer with a line of small print added (none when null). */
function withSmallPrint(m: Message, line: string | null): Message {
  return line ? { ...m, blocks: [...m.blocks, context(line)] } : m;
}

/** The answer for a saved value whose new status could not be read back. */
function savedWithoutStatus(ind: IndicatorRecord, period: Period, saved: ObservationRecord, before: ObservationRecord | undefined): Message {
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const what = before
    ? `✅ Corrected **${ind.slug}** for **${formatPeriodInFull(period)}**: ${fmt(before.value)} → **${fmt(saved.value)}**. Version ${saved.version}; earlier versions are kept.`
    : `✅ Saved **${fmt(saved.value)}** for **${ind.slug}**, **${formatPeriodInFull(period)}**.`;
  return message(
    `${before ? 'Corrected' : 'Saved'} ${fmt(saved.value)} for ${ind.slug}, ${formatPeriodInFull(period)}. The new status will be worked out when the database answers again.`,
    text(what),
    context(`The database stopped answering just after the save, so the new status is not shown here: \`/kpi show ${ind.slug}\` will have it in a minute.`),
  );
}

/**
 * The same person sending the same value again — a double click, or a retry after the database
 * blinked and the first attempt had in fact been saved — is told it is saved, not asked to
 * "correct" a value into itself.
 */
export function alreadySaved(actor: Actor, c: Checked): boolean {
  const e = c.existing;
  const s = c.submission;
  const same = actor.integration ? e?.submittedById === null && e.submittedByLabel === actorLabel(actor) : Boolean(actor.person && e?.submittedById === actor.person.id);
  return Boolean(e && same && e.value === s.value && e.estimated === s.estimated && e.provisional === s.provisional && (e.note ?? null) === s.note);
}

/** What a person is told about a saved value: the value, its status and direction, and an exception report if one is due. */
async function savedAnswer(deps: CommandDeps, ind: IndicatorRecord, period: Period, saved: ObservationRecord, before: ObservationRecord | undefined, reopened: OutdatedReport[] = []): Promise<Message> {
  const { repo } = deps;
  const org = await repo.org();
  const history = withBenchmark(await loadBenchmarks(repo, org, [ind.id]), ind, await repo.history(ind.id));
  const ev = evaluateIndicator(ind, history, org, period);
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const markers = [saved.estimated ? 'estimated' : '', saved.provisional ? 'provisional' : ''].filter(Boolean).join(', ');
  const what = before
    ? `✅ Corrected **${ind.slug}** for **${formatPeriodInFull(period)}**: ${fmt(before.value)} → **${fmt(saved.value)}**${markers ? ` (${markers})` : ''}. Version ${saved.version}; earlier versions are kept.`
    : `✅ Saved **${fmt(saved.value)}**${markers ? ` (${markers})` : ''} for **${ind.slug}**, **${formatPeriodInFull(period)}**.`;
  const blocks = [text(what), text(`${statusLabel(ev.status)} — ${literal(ev.explanation)}`)];
  const outdated = reopened.find((r) => r.report.periodKey === period.key);
  if (outdated) {
    const told = outdated.messaged && outdated.toldId !== null ? (await repo.person(outdated.toldId))?.displayName : null;
    const whose = told ? `, and ${told} has been asked to` : outdated.toldId !== null ? ': it is yours to update' : '';
    blocks.push(
      text(
        `📝 The approved **exception report** for ${formatPeriod(period)} was written for ${valueAndStatus(ind, outdated.change.was)}: it now needs updating${whose}. ` +
          'Until it is, reports show it as needing an update.',
      ),
      actions({ id: 'open-exception', label: 'Update exception report', value: JSON.stringify({ indicatorId: ind.id, periodKey: period.key }) }),
    );
  } else if (needsExceptionReport(ev.status, org)) {
    const existing = await repo.exceptionReport(ind.id, period.key);
    if (!existing || existing.state === 'draft' || existing.state === 'returned' || existing.state === 'needs_update') {
      // Not "due" for a period still running: the report is owed with the period's value.
      const dueOn = dueDate(period, ind.reportingLagDays);
      const when = dueOn > localDateOf(deps.clock.now(), org.timeZone) ? `will be due for ${formatPeriod(period)} by ${formatDate(dueOn)}, with its value` : `is due for ${formatPeriod(period)}`;
      blocks.push(
        text(`An **exception report** ${when}: the indicator is ${ev.status}. Explain why, the impact, and what will make it better.`),
        actions({ id: 'open-exception', label: 'Write exception report', value: JSON.stringify({ indicatorId: ind.id, periodKey: period.key }), style: 'primary' }),
      );
    }
  }
  return message(`${before ? 'Corrected' : 'Saved'} ${fmt(saved.value)} for ${ind.slug}, ${formatPeriodInFull(period)}. ${ev.explanation}`, ...blocks);
}

/** The answer for a value that is already there exactly as sent. */
async function alreadySavedAnswer(deps: CommandDeps, ind: IndicatorRecord, c: Checked): Promise<Message> {
  const versions = await deps.repo.observationVersions(ind.id, c.period.key);
  return savedAnswer(deps, ind, c.period, c.existing!, versions[1]);
}

function correctionPrompt(ind: IndicatorRecord, c: Checked, timeZone: string): string {
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const e = c.existing!;
  const by = c.existingBy ? ` by ${literal(c.existingBy)}` : '';
  return (
    `${formatPeriod(c.period)} already has **${fmt(e.value)}** for ${ind.slug} (version ${e.version}, given ${formatDateTime(e.submittedAt, timeZone)}${by}). ` +
    `Replace it with **${fmt(c.submission.value)}**? The earlier value stays in the history.`
  );
}

/** The form asking to confirm a correction (and for a reason when the period is signed off). */
function confirmForm(ind: IndicatorRecord, c: Checked, timeZone: string): Form {
  return {
    id: 'confirm-correction',
    title: 'Correct a value',
    submitLabel: 'Save correction',
    intro: [text(correctionPrompt(ind, c, timeZone)), ...(c.lock ? [context(`${formatPeriod(c.period)} is signed off: a reason is required and the correction is audited.`)] : [])],
    fields: [
      {
        id: 'reason',
        label: c.lock ? 'Reason for correcting a signed-off period' : 'Reason',
        kind: 'textarea',
        required: Boolean(c.lock),
        maxLength: 500,
        ...(c.submission.note ? { initial: c.submission.note.slice(0, 500) } : {}),
        hint: 'Your note, unless you change it: the reason is kept with the new version in the history.',
      },
    ],
    state: JSON.stringify(c.submission),
  };
}

// ---- inline: /kpi submit <indicator> <period> <value> [est] [prov] [note…] ----

export { splitInline } from '../src/services/inline-submission.ts';

async function submitInline(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const tokens = inlineTokens(args);
  if (tokens.length < 2) throw new ValidationError('Tell me the indicator, the period and the value.', {}, USAGE_LINE);
  const found = await findIndicator(deps.repo, tokens[0]!);
  if (found.kind !== 'one') {
    const names = (found.kind === 'many' ? found.matches : found.suggestions).slice(0, 5).map((i) => `\`${i.slug}\``);
    throw new NotFoundError(
      `I could not tell which indicator "${literal(tokens[0])}" is.${names.length ? ` Did you mean ${names.join(', ')}?` : ''}`,
      `${USAGE_LINE} Your indicators: /kpi mine.`,
    );
  }
  const ind = found.indicator;
  const calculated = calculatedRefusal(ind);
  if (calculated) throw new ValidationError(`Not saved: ${calculated}`);
  const owner = ind.ownerId ? await deps.repo.person(ind.ownerId) : null;
  ensureAllowed(actor.person, 'submit', ind, owner?.displayName);

  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const read = readInlineSubmission(tokens.slice(1), ind, { today, fyStartMonth: org.fyStartMonth });
  if (!read.ok) throw new ValidationError(read.error, {}, USAGE_LINE);
  const parts = read.value;
  const c = await check(deps, actor, ind, parts);
  if ('errors' in c) throw new ValidationError(`I understood indicator **${ind.slug}**, but: ${Object.values(c.errors).join(' ')}`, c.errors, USAGE_LINE);
  return proceed(deps, actor, ind, c, 'button', parts.valueText);
}

/**
 * After the checks, the questions in turn, each answered by a button (inline) or a form: a value
 * already saved as sent is said to be; a signed-off period needs its reason; a period not typed with
 * its year is said back ("Save 12 for 2017/18 Q4 (Jan–Mar 2018)?"); an unusual value is asked about
 * ("Save 84 days anyway, or change it?"); a correction is confirmed; then the value is saved.
 */
async function proceed(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, c: Checked, via: 'form' | 'button', typedValue: string): Promise<CommandResult> {
  if (alreadySaved(actor, c)) {
    const msg = await alreadySavedAnswer(deps, ind, c);
    return via === 'form' ? { kind: 'form-done', message: msg } : reply('private', msg);
  }
  if (via === 'button' && c.lock && !c.submission.note) {
    throw new ValidationError(`${formatPeriod(c.period)} is signed off: add a note after the value — for a signed-off period it is the reason for the correction.`, {}, USAGE_LINE);
  }
  if (c.periodAsk) return via === 'form' ? { kind: 'form-update', form: periodForm(c.periodAsk) } : reply('private', periodMessage(c.periodAsk));
  if (c.unusual) return via === 'form' ? { kind: 'form-update', form: askForm(c.unusual, typedValue) } : reply('private', askMessage(c.unusual));
  return via === 'form' ? finishForm(deps, actor, ind, c) : finishInline(deps, actor, ind, c);
}

/** After the checks and any question: ask to confirm a correction, or save. */
async function finishInline(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, c: Checked): Promise<CommandResult> {
  if (c.existing) {
    const org = await deps.repo.org();
    return reply(
      'private',
      message(
        `${formatPeriod(c.period)} already has a value. Replace it?`,
        text(correctionPrompt(ind, c, org.timeZone)),
        ...(c.submission.note ? [context(`Your note is kept with the value and recorded as the reason for the correction: “${literal(c.submission.note)}”.`)] : []),
        actions(
          { id: 'confirm-correction', label: 'Save correction', value: JSON.stringify(c.submission), style: 'primary' },
          { id: 'cancel', label: 'Keep the current value', value: '' },
        ),
      ),
    );
  }
  // A first value in a signed-off period (admins only, checked above): the note is the reason, audited.
  return reply('private', await save(deps, actor, ind, c.submission, c.lock ? c.submission.note : null));
}

/**
 * A submission carried in a question's state, checked again in full (the one check), now: the period
 * may have been signed off, or a value given, since the question.
 */
async function recheck(deps: CommandDeps, actor: Actor, sub: Submission, raw: Partial<RawSubmission>, o: CheckOptions): Promise<{ ind: IndicatorRecord; c: Checked | { errors: Record<string, string> } }> {
  const ind = await deps.repo.indicator(sub.indicatorId);
  if (!ind) throw new NotFoundError('That indicator no longer exists.');
  const c = await check(deps, actor, ind, { periodText: sub.periodKey, valueText: String(sub.value), estimated: sub.estimated, provisional: sub.provisional, note: sub.note, ...raw }, o);
  return { ind, c };
}

/**
 * The person answered the period question: save for the period named (or the other year's), or —
 * from the form — for the period typed there. Then the remaining questions, as for a fresh submission.
 */
export async function confirmPeriod(deps: CommandDeps, actor: Actor, state: string, via: 'form' | 'button', periodText?: string): Promise<CommandResult> {
  const sub = parseSubmissionState(state);
  const { ind, c } = await recheck(deps, actor, sub, periodText !== undefined ? { periodText } : {}, { periodConfirmed: true });
  if ('errors' in c) {
    const said = Object.values(c.errors).join(' ');
    if (via === 'form') return { kind: 'form-errors', errors: { period: said } };
    throw new ValidationError(`Not saved: ${said}`);
  }
  return proceed(deps, actor, ind, c, via, String(sub.value));
}

/** The form's tail, after the checks and any question. */
async function finishForm(deps: CommandDeps, actor: Actor, ind: IndicatorRecord, c: Checked): Promise<CommandResult> {
  if (c.existing || c.lock) return { kind: 'form-update', form: confirmForm(ind, c, (await deps.repo.org()).timeZone) };
  return { kind: 'form-done', message: await save(deps, actor, ind, c.submission, null) };
}

/**
 * The person answered the plausibility question: save the value as given (or the one suggested), or
 * — from the form, with the value changed — check the new value as if just typed. Checked again in
 * full (the one check), now: the period may have been signed off, or a value given, since the question.
 */
export async function confirmUnusualValue(deps: CommandDeps, actor: Actor, state: string, via: 'form' | 'button', valueText?: string): Promise<CommandResult> {
  const sub = parseSubmissionState(state);
  let value = String(sub.value);
  let accepted = true;
  if (via === 'form' && valueText !== undefined) {
    const ind = await deps.repo.indicator(sub.indicatorId);
    if (!ind) throw new NotFoundError('That indicator no longer exists.');
    const v = parseValue(valueText, ind.unit);
    if (!v.ok) return { kind: 'form-errors', errors: { value: v.error } };
    // Kept as it was: saved as given. Changed: checked again, and asked about again if it is unusual too.
    accepted = v.value === sub.value;
    value = valueText;
  }
  const { ind, c } = await recheck(deps, actor, sub, { valueText: value }, { unusualAccepted: accepted, periodConfirmed: true });
  if ('errors' in c) {
    const said = Object.values(c.errors).join(' ');
    if (via === 'form') return { kind: 'form-errors', errors: { value: said } };
    throw new ValidationError(`Not saved: ${said}`);
  }
  return proceed(deps, actor, ind, c, via, value);
}

// ---- the form ----

/** What the submit form opens with: the indicator and period, and — to change the period of a value already typed — the value, markers and note. */
export interface SubmitPrefill {
  indicatorId?: number;
  periodKey?: string;
  value?: number;
  estimated?: boolean;
  provisional?: boolean;
  note?: string | null;
}

export async function submitForm(deps: CommandDeps, actor: Actor, prefill: SubmitPrefill = {}): Promise<CommandResult> {
  const { repo, clock } = deps;
  let ind: IndicatorRecord | null = null;
  if (prefill.indicatorId) {
    ind = await repo.indicator(prefill.indicatorId);
    if (!ind) throw new NotFoundError('That indicator no longer exists.');
    const calculated = calculatedRefusal(ind);
    if (calculated) throw new ValidationError(calculated);
    const owner = ind.ownerId ? await repo.person(ind.ownerId) : null;
    ensureAllowed(actor.person, 'submit', ind, owner?.displayName);
  } else if (!actor.person) {
    ensureAllowed(actor.person, 'submit');
  }
  const org = await repo.org();
  const today = localDateOf(clock.now(), org.timeZone);
  let periodInitial = prefill.periodKey ?? '';
  let periodHint = 'Leave blank for the period due now.';
  if (ind && !periodInitial) {
    // The form names the period it will save for: the one due now, said in full beside it.
    const due = defaultSubmitPeriod(ind, await repo.history(ind.id), today, org);
    periodInitial = due.key;
    periodHint = `Filled in with the period due now, ${formatPeriodInFull(due)}; change it for another.`;
  } else if (prefill.periodKey) {
    periodHint = `Filled in with ${formatPeriodInFull(periodFromKey(prefill.periodKey, org.fyStartMonth))}; change it for another.`;
  }
  const flagsInitial = [...(prefill.estimated ? ['estimated'] : []), ...(prefill.provisional ? ['provisional'] : [])];
  const fields: Field[] = [
    {
      id: 'indicator',
      label: 'Indicator',
      kind: 'indicator',
      required: true,
      placeholder: 'Type a short name, reference or part of the name',
      ...(ind ? { initial: String(ind.id), initialLabel: optionLabel(ind) } : {}),
    },
    {
      id: 'period',
      label: 'Period',
      kind: 'text',
      required: false,
      ...(periodInitial ? { initial: periodInitial } : {}),
      placeholder: ind ? `e.g. ${exampleFor(ind.frequency, today, org.fyStartMonth)}` : `e.g. ${exampleFor('quarterly', today, org.fyStartMonth)}, ${exampleFor('monthly', today, org.fyStartMonth)}, last quarter`,
      hint: ind ? `${ind.slug} is reported ${FREQUENCY_WORDS[ind.frequency]}. ${periodHint}` : periodHint,
    },
    {
      id: 'value',
      label: ind ? `Value (${ind.unit})` : 'Value',
      kind: 'text',
      required: true,
      placeholder: ind?.unit === '%' ? 'e.g. 83.8' : 'e.g. 8.4',
      ...(prefill.value !== undefined && ind ? { initial: String(prefill.value) } : {}),
    },
    {
      id: 'flags',
      label: 'Markers',
      kind: 'checkboxes',
      options: [
        { value: 'estimated', label: 'Estimated (an assessment, not the final figure)' },
        { value: 'provisional', label: 'Provisional (subject to verification)' },
      ],
      ...(flagsInitial.length ? { initial: flagsInitial } : {}),
    },
    {
      id: 'note',
      label: 'Note',
      kind: 'textarea',
      required: false,
      maxLength: 2000,
      hint: 'Kept with the value; when the value corrects an earlier one, also the reason for the correction.',
      ...(prefill.note ? { initial: prefill.note } : {}),
    },
  ];
  return { kind: 'form', form: { id: 'submit', title: 'Submit a value', submitLabel: 'Save', fields, state: JSON.stringify({ indicatorId: prefill.indicatorId, periodKey: prefill.periodKey }) } };
}

export function optionLabel(ind: IndicatorRecord): string {
  const s = `${ind.slug} — ${ind.name}`;
  return s.length <= 75 ? s : `${s.slice(0, 74)}…`;
}

/** Type-ahead for the indicator picker: only what this person may submit for (everything for an admin). */
export async function indicatorOptions(deps: CommandDeps, actor: Actor, query: string): Promise<CommandResult> {
  if (!actor.person) return { kind: 'options', options: [] };
  const filter = isAdmin(actor.person) ? {} : { personId: actor.person.id };
  const matches = await deps.repo.searchIndicators(query, 50, filter);
  return { kind: 'options', options: matches.filter((m) => canSubmit(actor.person, m) && !m.formula).map((m) => ({ value: String(m.id), label: optionLabel(m) })) };
}

const one = (v: FormValues[string]) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

export async function submitFormValues(deps: CommandDeps, actor: Actor, values: FormValues): Promise<CommandResult> {
  const idText = one(values.indicator);
  let ind: IndicatorRecord | null = null;
  if (/^\d+$/.test(idText)) ind = isRecordNumber(Number(idText)) ? await deps.repo.indicator(Number(idText)) : null;
  else if (idText) {
    const found = await findIndicator(deps.repo, idText);
    if (found.kind === 'one') ind = found.indicator;
  }
  if (!ind) return { kind: 'form-errors', errors: { indicator: idText ? `No single indicator matches "${idText}".` : 'Choose an indicator.' } };
  const calculated = calculatedRefusal(ind);
  if (calculated) return { kind: 'form-errors', errors: { indicator: calculated } };
  if (!canSubmit(actor.person, ind)) {
    const owner = ind.ownerId ? await deps.repo.person(ind.ownerId) : null;
    return { kind: 'form-errors', errors: { indicator: `Only the owner${owner ? ` (${literal(owner.displayName)})` : ''}, their deputy or a performance admin can submit for ${ind.slug}.` } };
  }
  const flags = Array.isArray(values.flags) ? values.flags : values.flags ? [values.flags] : [];
  const c = await check(deps, actor, ind, {
    periodText: one(values.period),
    valueText: one(values.value),
    estimated: flags.includes('estimated'),
    provisional: flags.includes('provisional'),
    note: one(values.note) || null,
  });
  if ('errors' in c) return { kind: 'form-errors', errors: c.errors };
  return proceed(deps, actor, ind, c, 'form', one(values.value));
}

/**
 * Confirming a correction, from the form (with a reason) or the inline button. The state came back
 * from the platform, so it is checked again as a fresh submission would be — period, frequency,
 * permission, sign-off — now, not when the question was asked.
 */
export async function confirmCorrection(deps: CommandDeps, actor: Actor, state: string, reason: string | null, via: 'form' | 'button'): Promise<CommandResult> {
  const sub = parseSubmissionState(state);
  const ind = await deps.repo.indicator(sub.indicatorId);
  if (!ind) throw new NotFoundError('That indicator no longer exists.');
  ensureAllowed(actor.person, 'correct', ind);
  const org = await deps.repo.org();
  let period: Period;
  try {
    period = periodFromKey(sub.periodKey, org.fyStartMonth);
  } catch {
    throw new ValidationError('That confirmation has expired or was changed. Please submit the value again.');
  }
  const { errors, lock } = await admissible(deps, actor, ind, period, sub.value);
  if (Object.keys(errors).length) {
    const said = Object.values(errors).join(' ');
    if (via === 'form') return { kind: 'form-errors', errors: { reason: said } };
    throw new ValidationError(`Not saved: ${said}`);
  }
  // The note is the reason for a correction, unless a reason was given in the form.
  const why = reason?.trim() || sub.note || null;
  if (lock) {
    ensureAllowed(actor.person, 'correct-locked', ind);
    if (!why) {
      if (via === 'form') return { kind: 'form-errors', errors: { reason: 'Give the reason for correcting a signed-off period.' } };
      throw new ValidationError('A reason is required to correct a signed-off period.');
    }
  }
  const msg = await save(deps, actor, ind, sub, why);
  return via === 'form' ? { kind: 'form-done', message: msg } : reply('private', msg);
}

/** What an "open the form" button carries: the indicator and period to start from. */
const prefillSchema = z.object({ indicatorId: indicatorIdSchema.optional(), periodKey: periodKeySchema.optional() });

export const submitCommand = defineCommand({
  name: 'submit',
  aliases: ['add'],
  usage: SUBMIT_USAGE,
  summary: "give a value (alone: a form); the note is a correction's reason",
  examples: ['/kpi submit sickness-absence last quarter 8.4 est'],
  async run(deps, actor, args) {
    if (!args.trim()) return submitForm(deps, actor);
    return submitInline(deps, actor, args);
  },
  actions: {
    /** value: JSON { indicatorId, periodKey? } — the form, pre-filled */
    'open-submit': (deps, actor, value) => submitForm(deps, actor, parseJson(prefillSchema, value || '{}')),
    /** value: JSON of the submission to save as a correction */
    'confirm-correction': async (deps, actor, state) => inPlaceOfOriginal(await confirmCorrection(deps, actor, state, null, 'button')),
    /** value: JSON of a submission the plausibility check asked about, to save as given */
    'confirm-value': (deps, actor, state) => confirmUnusualValue(deps, actor, state, 'button'),
    /** value: JSON of a submission whose period was said back, to save for the period it names */
    'confirm-period': (deps, actor, state) => confirmPeriod(deps, actor, state, 'button'),
    /** value: JSON of a submission whose period was said back: the form with everything typed, to choose another period */
    'change-period': (deps, actor, state) => {
      const sub = parseSubmissionState(state);
      return submitForm(deps, actor, { indicatorId: sub.indicatorId, periodKey: sub.periodKey, value: sub.value, estimated: sub.estimated, provisional: sub.provisional, note: sub.note });
    },
  },
  forms: {
    submit: { submitted: (deps, actor, _state, values) => submitFormValues(deps, actor, values), reopen: 'open the form again with `/kpi submit`, or type `/kpi submit <indicator> <period> <value>`' },
    'confirm-correction': {
      submitted: (deps, actor, state, values) => confirmCorrection(deps, actor, state, [values.reason].flat().join(' ').trim() || null, 'form'),
      reopen: 'submit the value again (`/kpi submit`)',
    },
    'confirm-value': { submitted: (deps, actor, state, values) => confirmUnusualValue(deps, actor, state, 'form', [values.value].flat()[0] ?? '') },
    'confirm-period': {
      submitted: (deps, actor, state, values) => confirmPeriod(deps, actor, state, 'form', ([values.period].flat()[0] ?? '').trim()),
      reopen: 'submit the value again (`/kpi submit`)',
    },
  },
  options: { indicator: indicatorOptions },
});

