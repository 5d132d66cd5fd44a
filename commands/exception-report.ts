// Exception reports: the owner of a red (or amber) indicator answers the organisation's questions;
// drafts are kept; a performance admin approves the report or returns it with a comment.
import { z } from 'zod';
import type { Actor, CommandDeps, ExceptionReportRecord, IndicatorRecord } from '../src/ports.ts';
import type { Block, CommandResult, Field, Form, FormValues } from '../src/messages/types.ts';
import { actions, context, fields, literal, mention, message, reply, say, text } from '../src/messages/build.ts';
import { formatNumber, formatValue } from '../src/domain/format.ts';
import { formatPeriod, periodFromKey } from '../src/domain/periods.ts';
import { evaluateIndicator, needsExceptionReport, notStartedError, startedBy } from '../src/services/evaluation.ts';
import { findIndicator } from '../src/services/find-indicator.ts';
import { statusLabel } from '../src/services/labels.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { NotFoundError, UserError, ValidationError } from '../src/errors.ts';
import { approvalOutdated, nextState, StaleReportError, staleMessage } from '../src/services/exception-states.ts';
import { reopenOutdatedApprovals, valueAndStatus } from '../src/services/outdated-approvals.ts';
import { describePeriodError, parsePeriod, periodKindFor } from '../src/domain/periods.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { defineCommand } from './types.ts';
import { indicatorIdSchema, parseJson, periodKeySchema, recordNumberSchema } from './payload.ts';

const refSchema = z.object({ indicatorId: indicatorIdSchema, periodKey: periodKeySchema });
/** A review button or form names the version of the report it showed: only that version can be approved or returned. */
const reviewSchema = z.object({ exceptionReportId: recordNumberSchema, version: recordNumberSchema.optional() });
const reviewValue = (r: Pick<ExceptionReportRecord, 'id' | 'version'>) => JSON.stringify({ exceptionReportId: r.id, version: r.version });

/** Who last changed a report, by id, for the message to someone whose change came second. */
async function stale(deps: CommandDeps, e: StaleReportError): Promise<string> {
  const ids = [e.current?.authorId, e.current?.reviewerId].filter((x): x is number => typeof x === 'number');
  const people = ids.length ? await deps.repo.people({ ids }) : [];
  return staleMessage(e.current, new Map(people.map((p) => [p.id, p.displayName])), deps.clock.now());
}

const sameAnswers = (r: ExceptionReportRecord, answers: string[], authorId: number) => r.state === 'submitted' && r.authorId === authorId && JSON.stringify(r.answers) === JSON.stringify(answers);

/** The longest answer and return comment kept, as the forms say. */
const MAX_ANSWER_CHARS = 3000;
const MAX_COMMENT_CHARS = 2000;

/** Fewer than three words is not an answer a director can use. */
export const MIN_WORDS = 3;

export function completenessErrors(questions: string[], answers: string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  questions.forEach((q, i) => {
    const words = (answers[i] ?? '').trim().split(/\s+/).filter((w) => /\w/.test(w));
    if (words.length === 0) errors[`q${i}`] = `Please answer “${q}”.`;
    else if (words.length < MIN_WORDS) errors[`q${i}`] = `“${answers[i]!.trim()}” is too short to explain anything: say what, why and when in a sentence or two.`;
  });
  return errors;
}

async function context4(deps: CommandDeps, indicatorId: number, periodKey: string) {
  const ind = await deps.repo.indicator(indicatorId);
  if (!ind) throw new NotFoundError('That indicator no longer exists.');
  const [org, history] = await Promise.all([deps.repo.org(), deps.repo.history(ind.id)]);
  let report = await deps.repo.exceptionReport(ind.id, periodKey);
  let period;
  try {
    period = periodFromKey(periodKey, org.fyStartMonth);
  } catch {
    throw new ValidationError('That button or form is out of date. Open it again from /kpi mine.');
  }
  if (period.kind !== periodKindFor(ind.frequency)) throw new ValidationError(`${ind.slug} has no period ${formatPeriod(period)}: it is reported by ${ind.frequency.replace('_', ' ')}.`);
  // An exception report explains a value: none can exist for a period that has not begun.
  const notStarted = notStartedError(period, localDateOf(deps.clock.now(), org.timeZone));
  if (notStarted) throw new ValidationError(notStarted);
  const ev = evaluateIndicator(ind, history, org, period);
  const value = history.observations.find((o) => o.periodKey === period.key)?.value ?? null;
  // Approved for a value or status the period no longer has: it needs updating (its owner is told) before anything else.
  if (report && approvalOutdated(report, { value, status: ev.status })) {
    await reopenOutdatedApprovals(deps, deps.clock.now(), { indicatorIds: [ind.id], actorLabel: 'bot' });
    report = await deps.repo.exceptionReport(ind.id, periodKey);
  }
  return { ind, org, history, report, period, ev, value };
}

/** Theme, indicator, baseline, target and timescale, actual and timescale: the template's header. */
function reportHeader(ind: IndicatorRecord, c: Awaited<ReturnType<typeof context4>>): Block[] {
  const fmt = (v: number | null) => (v === null ? '—' : formatValue(v, ind.unit, ind.decimals));
  const baseline = ind.baseline.text ?? (ind.baseline.value !== null ? `${fmt(ind.baseline.value)}${ind.baseline.period ? ` (${ind.baseline.period})` : ''}` : '—');
  return [
    fields([
      { label: 'Theme', value: literal(ind.themeName ?? '—') },
      { label: 'Indicator', value: literal(`${ind.ref ? `${ind.ref} ` : ''}${ind.name}`) },
      { label: 'Baseline', value: literal(baseline) },
      { label: 'Target and timescale', value: c.ev.target.value !== null ? `${fmt(c.ev.target.value)} · ${formatPeriod(c.period)}` : (c.ev.target.text ? literal(c.ev.target.text) : 'No target set') },
      { label: 'Actual and timescale', value: c.ev.value !== null ? `${fmt(c.ev.value)}${c.ev.estimated ? ' (estimated)' : ''} · ${formatPeriod(c.period)}` : 'no value yet' },
      { label: 'Status', value: statusLabel(c.ev.status) },
    ]),
    context(literal(c.ev.explanation)),
  ];
}

export async function openExceptionForm(deps: CommandDeps, actor: Actor, rawRef: string): Promise<CommandResult> {
  const ref = parseJson(refSchema, rawRef);
  const c = await context4(deps, ref.indicatorId, ref.periodKey);
  const owner = c.ind.ownerId ? await deps.repo.person(c.ind.ownerId) : null;
  ensureAllowed(actor.person, 'write-exception', c.ind, owner?.displayName);
  if (c.report?.state === 'approved') {
    return reply('private', message(`The exception report for ${c.ind.slug}, ${formatPeriod(c.period)} is already approved.`, ...reportMessageBlocks(c.ind, c, c.report)));
  }
  if (!c.report && !needsExceptionReport(c.ev.status, c.org)) {
    return say(`${c.ind.slug} is ${c.ev.status.replace('_', ' ')} for ${formatPeriod(c.period)}: no exception report is needed.`);
  }
  const questions = c.report?.questions ?? c.org.exceptionQuestions;
  const intro: Block[] = [...reportHeader(c.ind, c)];
  if (c.report?.state === 'returned' && c.report.reviewComment) intro.push(text(`**Returned by the performance team:** ${literal(c.report.reviewComment)}`));
  if (c.report?.state === 'needs_update') {
    const was = { value: c.report.approvedValue, status: c.report.approvedStatus };
    intro.push(text(`**Needs updating:** this report was approved for ${valueAndStatus(c.ind, was)}; ${formatPeriod(c.period)} now has ${valueAndStatus(c.ind, { value: c.value, status: c.ev.status })}. Update the answers for the new figure and submit it again.`));
  }
  // Every question must be answered to submit the report, so each platform shows it as required (and
  // Slack and Teams ask for it before sending); a draft keeps whatever has been written so far.
  const qFields: Field[] = questions.map((q, i) => ({
    id: `q${i}`,
    label: q.length <= 150 ? q : `${q.slice(0, 149)}…`,
    kind: 'textarea',
    required: true,
    maxLength: MAX_ANSWER_CHARS,
    ...(c.report?.answers[i] ? { initial: c.report.answers[i] } : {}),
  }));
  const form: Form = {
    id: 'exception',
    title: 'Exception report',
    submitLabel: 'Submit',
    intro,
    fields: [
      ...qFields,
      { id: 'draft', label: 'Draft', kind: 'checkboxes', options: [{ value: 'draft', label: 'Save as a draft — I will finish it later' }], hint: 'A draft keeps what you have written; write “to follow” under a question you have not got to yet.' },
    ],
    state: JSON.stringify({ indicatorId: c.ind.id, periodKey: c.period.key }),
  };
  return { kind: 'form', form };
}

export async function submitExceptionForm(deps: CommandDeps, actor: Actor, state: string, values: FormValues): Promise<CommandResult> {
  const ref = parseJson(refSchema, state);
  const c = await context4(deps, ref.indicatorId, ref.periodKey);
  ensureAllowed(actor.person, 'write-exception', c.ind);
  // Approved since the form was opened: say by whom and when.
  if (c.report?.state === 'approved') return { kind: 'form-errors', errors: { q0: `${await stale(deps, new StaleReportError(c.report))} An approved report can no longer be changed.` } };
  const questions = c.report?.questions ?? c.org.exceptionQuestions;
  const answers = questions.map((_, i) => {
    const v = values[`q${i}`];
    return (Array.isArray(v) ? v.join('\n') : (v ?? '')).trim();
  });
  const draft = [values.draft].flat().includes('draft');
  // The form allows 3,000 characters an answer; a platform that does not hold to it (or a forged submission) is told so, draft or not.
  const tooLong = Object.fromEntries(answers.flatMap((a, i) => (a.length > MAX_ANSWER_CHARS ? [[`q${i}`, `Keep each answer under ${formatNumber(MAX_ANSWER_CHARS, 0)} characters: this one has ${formatNumber(a.length, 0)}.`]] : [])));
  if (Object.keys(tooLong).length) return { kind: 'form-errors', errors: tooLong };
  const now = deps.clock.now();
  const author = actor.person!;
  const audit = (action: string) => ({ at: now, actorId: author.id, actorLabel: `${actor.platform}:${actor.userId}`, action });
  const expectedVersion = c.report?.version ?? null;
  if (draft) {
    try {
      await deps.repo.saveExceptionReport({ indicatorId: c.ind.id, periodKey: c.period.key, questions, answers, state: nextState(c.report, 'save-draft'), authorId: author.id }, { expectedVersion });
    } catch (e) {
      if (e instanceof StaleReportError) return { kind: 'form-errors', errors: { q0: await stale(deps, e) } };
      if (e instanceof UserError) return { kind: 'form-errors', errors: { q0: e.message } };
      throw e;
    }
    return { kind: 'form-done', message: message(`Draft saved for ${c.ind.slug}, ${formatPeriod(c.period)}.`, text(`📝 Draft saved for **${c.ind.slug}**, ${formatPeriod(c.period)}. Finish it from \`/kpi mine\` when you are ready.`)) };
  }
  const errors = completenessErrors(questions, answers);
  if (Object.keys(errors).length) return { kind: 'form-errors', errors };
  const admins = await deps.repo.people({ role: 'admin' });
  const submitted = () =>
    message(
      `Exception report submitted for ${c.ind.slug}, ${formatPeriod(c.period)}.`,
      text(`✅ Exception report submitted for **${c.ind.slug}**, ${formatPeriod(c.period)}. ${admins.length ? 'The performance team has been asked to review it.' : 'No performance admin is set up to review it yet.'}`),
    );
  // The same answers sent again (a double click, a retry): already done.
  if (c.report && sameAnswers(c.report, answers, author.id)) return { kind: 'form-done', message: submitted() };
  let saved: ExceptionReportRecord;
  try {
    saved = await deps.repo.saveExceptionReport(
      { indicatorId: c.ind.id, periodKey: c.period.key, questions, answers, state: nextState(c.report, 'submit'), authorId: author.id, submittedAt: now, reviewComment: null, reviewerId: null, reviewedAt: null },
      { expectedVersion, audit: audit('exception.submit') },
    );
  } catch (e) {
    if (e instanceof StaleReportError) {
      if (e.current && sameAnswers(e.current, answers, author.id)) return { kind: 'form-done', message: submitted() };
      return { kind: 'form-errors', errors: { q0: await stale(deps, e) } };
    }
    if (e instanceof UserError) return { kind: 'form-errors', errors: { q0: e.message } };
    throw e;
  }
  for (const admin of admins) {
    await deps.outbox.enqueue(
      {
        // From the transition (this report's version), never the clock: a retry queues nothing new.
        key: `exception-review:${saved.id}:v${saved.version}:${admin.id}`,
        purpose: 'exception-review',
        to: { kind: 'person', personId: admin.id },
        message: message(
          `${author.displayName} submitted the exception report for ${c.ind.slug}, ${formatPeriod(c.period)}.`,
          text(`📝 ${mention(author.id)} submitted the exception report for **${c.ind.slug}**, ${formatPeriod(c.period)}. Please review it.`),
          ...reportMessageBlocks(c.ind, c, saved),
          ...reviewButtons(saved),
        ),
      },
      now,
    );
  }
  return { kind: 'form-done', message: submitted() };
}

function reviewButtons(r: ExceptionReportRecord): Block[] {
  return [
    actions(
      { id: 'approve-exception', label: 'Approve', value: reviewValue(r), style: 'primary' },
      { id: 'return-exception', label: 'Return with a comment', value: reviewValue(r) },
    ),
  ];
}

/**
 * A review button or form for a version that is no longer the report's: say who changed it, and
 * show it as it stands (with fresh buttons while it still waits for review).
 */
async function changedSinceShown(deps: CommandDeps, r: ExceptionReportRecord): Promise<CommandResult> {
  const ind = (await deps.repo.indicator(r.indicatorId))!;
  const c = await context4(deps, r.indicatorId, r.periodKey);
  const said = await stale(deps, new StaleReportError(r));
  return reply('private', message(said, text(`⚠️ ${literal(said)}`), ...reportMessageBlocks(ind, c, r), ...(r.state === 'submitted' ? reviewButtons(r) : [])));
}

function reportMessageBlocks(ind: IndicatorRecord, c: Awaited<ReturnType<typeof context4>>, r: ExceptionReportRecord): Block[] {
  return [...reportHeader(ind, c), ...r.questions.flatMap((q, i) => [text(`**${literal(q)}**\n${literal(r.answers[i] || '—')}`)])];
}

export async function approveException(deps: CommandDeps, actor: Actor, raw: string): Promise<CommandResult> {
  const { exceptionReportId, version } = parseJson(reviewSchema, raw);
  ensureAllowed(actor.person, 'approve-exception');
  const r = await deps.repo.exceptionReportById(exceptionReportId);
  if (!r) throw new NotFoundError('That exception report no longer exists.');
  const ind = (await deps.repo.indicator(r.indicatorId))!;
  if (r.state === 'approved') return say(`The exception report for ${ind.slug}, ${r.periodKey} was already approved.`);
  // Approve only the text the reviewer was shown.
  if (version !== r.version) return changedSinceShown(deps, r);
  const now = deps.clock.now();
  // Approved for the value and status its period has now: when either changes, it needs updating.
  const c = await context4(deps, r.indicatorId, r.periodKey);
  let saved: ExceptionReportRecord;
  try {
    saved = await deps.repo.saveExceptionReport(
      { ...r, state: nextState(r, 'approve'), reviewerId: actor.person!.id, reviewedAt: now, approvedValue: c.value, approvedStatus: c.ev.status },
      { expectedVersion: r.version, audit: { at: now, actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'exception.approve' } },
    );
  } catch (e) {
    if (e instanceof StaleReportError) return say(await stale(deps, e));
    throw e;
  }
  if (r.authorId) {
    await deps.outbox.enqueue(
      {
        key: `exception-approved:${r.id}:v${saved.version}`,
        purpose: 'exception-approved',
        to: { kind: 'person', personId: r.authorId },
        message: message(`Your exception report for ${ind.slug}, ${r.periodKey} was approved.`, text(`✅ Your exception report for **${ind.slug}**, ${r.periodKey} was approved by ${mention(actor.person!.id)}.`)),
      },
      now,
    );
  }
  return say(`✅ Approved the exception report for **${ind.slug}**, ${r.periodKey}. The author has been told.`);
}

export async function openReturnForm(deps: CommandDeps, actor: Actor, raw: string): Promise<CommandResult> {
  const { exceptionReportId, version } = parseJson(reviewSchema, raw);
  ensureAllowed(actor.person, 'approve-exception');
  const r = await deps.repo.exceptionReportById(exceptionReportId);
  if (!r) throw new NotFoundError('That exception report no longer exists.');
  if (r.state !== 'submitted') return say(`That exception report is ${r.state}, not waiting for review.`);
  if (version !== r.version) return changedSinceShown(deps, r);
  return {
    kind: 'form',
    form: {
      id: 'return-exception',
      title: 'Return exception report',
      submitLabel: 'Return',
      intro: [text('Say what the author should add or change. They will see your comment when they open the report again.')],
      fields: [{ id: 'comment', label: 'Comment for the author', kind: 'textarea', required: true, maxLength: MAX_COMMENT_CHARS }],
      state: reviewValue(r),
    },
  };
}

export async function submitReturnForm(deps: CommandDeps, actor: Actor, state: string, values: FormValues): Promise<CommandResult> {
  const { exceptionReportId, version } = parseJson(reviewSchema, state);
  ensureAllowed(actor.person, 'approve-exception');
  const comment = [values.comment].flat().join(' ').trim();
  if (comment.split(/\s+/).filter(Boolean).length < MIN_WORDS) return { kind: 'form-errors', errors: { comment: 'Tell the author what to change, in a sentence.' } };
  if (comment.length > MAX_COMMENT_CHARS) return { kind: 'form-errors', errors: { comment: `Keep the comment under ${formatNumber(MAX_COMMENT_CHARS, 0)} characters: it has ${formatNumber(comment.length, 0)}.` } };
  const r = await deps.repo.exceptionReportById(exceptionReportId);
  if (!r) throw new NotFoundError('That exception report no longer exists.');
  if (version !== r.version) return { kind: 'form-errors', errors: { comment: await stale(deps, new StaleReportError(r)) } };
  const ind = (await deps.repo.indicator(r.indicatorId))!;
  const now = deps.clock.now();
  let saved: ExceptionReportRecord;
  try {
    saved = await deps.repo.saveExceptionReport(
      { ...r, state: nextState(r, 'return'), reviewerId: actor.person!.id, reviewComment: comment, reviewedAt: now },
      { expectedVersion: r.version, audit: { at: now, actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}`, action: 'exception.return', details: { comment } } },
    );
  } catch (e) {
    if (e instanceof StaleReportError) return { kind: 'form-errors', errors: { comment: await stale(deps, e) } };
    if (e instanceof UserError) return { kind: 'form-errors', errors: { comment: e.message } };
    throw e;
  }
  if (r.authorId) {
    await deps.outbox.enqueue(
      {
        key: `exception-returned:${r.id}:v${saved.version}`,
        purpose: 'exception-returned',
        to: { kind: 'person', personId: r.authorId },
        message: message(
          `Your exception report for ${ind.slug}, ${r.periodKey} was returned.`,
          text(`↩️ Your exception report for **${ind.slug}**, ${r.periodKey} was returned by ${mention(actor.person!.id)}: “${literal(comment)}”`),
          actions({ id: 'open-exception', label: 'Open the report', value: JSON.stringify({ indicatorId: r.indicatorId, periodKey: r.periodKey }), style: 'primary' }),
        ),
      },
      now,
    );
  }
  return { kind: 'form-done', message: message('Returned to the author.', text(`↩️ Returned the exception report for **${ind.slug}**, ${r.periodKey} to its author with your comment.`)) };
}

/** /kpi exception <indicator> [period] — open the report form from a command line. */
export const exceptionCommand = defineCommand({
  name: 'exception',
  aliases: ['exception-report', 'er'],
  usage: 'exception <indicator> [period]',
  summary: 'write (or finish) the exception report for a red or amber indicator',
  async run(deps, actor, args) {
    const [q = '', ...rest] = args.trim().split(/\s+/);
    if (!q) throw new ValidationError('Which indicator?', {}, 'Usage: /kpi exception <indicator> [period], e.g. /kpi exception sickness-absence 2025/26 Q2');
    const found = await findIndicator(deps.repo, q);
    if (found.kind !== 'one') throw new NotFoundError(`I could not tell which indicator "${literal(q)}" is. Try its short name from /kpi mine.`);
    const ind = found.indicator;
    const org = await deps.repo.org();
    let periodKey: string;
    if (rest.length) {
      const p = parsePeriod(rest.join(' '), { frequency: ind.frequency, today: localDateOf(deps.clock.now(), org.timeZone), fyStartMonth: org.fyStartMonth });
      if (!p.ok) throw new ValidationError(describePeriodError(p.reason, { indicator: ind.slug }));
      periodKey = p.value.key;
    } else {
      const ev = evaluateIndicator(ind, startedBy(await deps.repo.history(ind.id), localDateOf(deps.clock.now(), org.timeZone), org.fyStartMonth), org);
      if (!ev.period) throw new ValidationError(`${ind.slug} has no values yet, so there is nothing to explain.`);
      periodKey = ev.period.key;
    }
    return openExceptionForm(deps, actor, JSON.stringify({ indicatorId: ind.id, periodKey }));
  },
  actions: {
    /** value: JSON { indicatorId, periodKey } */
    'open-exception': openExceptionForm,
    /** value: JSON { exceptionReportId } */
    'approve-exception': approveException,
    /** value: JSON { exceptionReportId } */
    'return-exception': openReturnForm,
  },
  forms: {
    exception: { submitted: (deps, actor, state, values) => submitExceptionForm(deps, actor, state, values), reopen: 'open the report again with `/kpi exception <indicator>` — your answers are above' },
    'return-exception': { submitted: (deps, actor, state, values) => submitReturnForm(deps, actor, state, values), reopen: 'press "Return with a comment" again' },
  },
});
