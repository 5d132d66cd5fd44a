// What a source system does through the HTTP API (src/http/api.ts): post a value, list the indicators,
// read one. Plain functions over the ports, as the chat handlers are: a posted value goes through the
// one check of `/kpi submit` (commands/submit.ts: the period read as chat reads it, the frequency, the
// period begun, a signed-off quarter refused, the plausibility question) and the same save, so
// statuses, alerts and chases follow as for a value typed in chat. Each answer is an HTTP status and
// a JSON body in plain text (no chat markup); the period is said back in full.
import type { Actor, ApiTokenRecord, CommandDeps, IndicatorRecord, ThemeRecord } from '../src/ports.ts';
import { describeScope, exactIndicator, inScope, API_SOURCE } from '../src/services/api-tokens.ts';
import { evaluateIndicator, needsExceptionReport } from '../src/services/evaluation.ts';
import { reopenOutdatedApprovals } from '../src/services/outdated-approvals.ts';
import { periodQuestionText, periodReason } from '../src/services/period-question.ts';
import { provenance } from '../src/services/provenance.ts';
import { statusLabel } from '../src/services/labels.ts';
import { plainMarkup } from '../src/messages/markup.ts';
import { formatPeriodInFull, FREQUENCY_WORDS, periodFromKey } from '../src/domain/periods.ts';
import { ConflictError, LockedPeriodSaveError, PermissionError } from '../src/errors.ts';
import { actorLabel, alreadySaved, check, saveValue } from './submit.ts';

/** One value as a source system posts it (validated at the edge, src/http/api.ts). */
export interface ApiValue {
  indicator: string;
  period: string;
  value: number;
  note?: string | null;
  estimated?: boolean;
  provisional?: boolean;
  /** Why a value replaces an earlier one (default: the note). */
  reason?: string | null;
  /** Save a value the plausibility check finds unusual (after it was asked about, as chat's "Save anyway"). */
  acceptUnusual?: boolean;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

const plain = (s: string) => plainMarkup(s);
const refused = (status: number, error: string, message: string, more: Record<string, unknown> = {}): ApiAnswer => ({ status, body: { error, message: plain(message), ...more } });

/** A JSON number as digits, as a person would type it: never JavaScript's exponent form (1e-7), which chat does not read. */
const numberText = (n: number) => (/e/i.test(String(n)) ? n.toLocaleString('en-GB', { useGrouping: false, maximumSignificantDigits: 21 }) : String(n));

/** The actor a token is: no person, the integration's name ("api:hr-system" on the values it gives). */
export function integrationActor(t: Pick<ApiTokenRecord, 'name'>): Actor {
  return { platform: API_SOURCE, userId: t.name, person: null, integration: t.name };
}

/**
 * Post one value: 201 saved (or corrected), 200 already saved as sent; 403 out of the token's scope;
 * 422 with the reasons chat gives (fields by name), or the question chat asks (`unusual-value`,
 * `period-unclear`); 409 a signed-off quarter, or someone saved a value for the period meanwhile.
 */
export async function postValue(deps: CommandDeps, token: ApiTokenRecord, v: ApiValue, retried = false): Promise<ApiAnswer> {
  const found = await exactIndicator(deps.repo, v.indicator);
  if (!('indicator' in found)) {
    return refused(422, 'unknown-indicator', `No indicator has the short name or reference "${v.indicator}".${found.suggestions.length ? ` Did you mean ${found.suggestions.join(', ')}?` : ''}`, { fields: { indicator: 'unknown' }, suggestions: found.suggestions });
  }
  const ind = found.indicator;
  if (!inScope(token, ind)) {
    const indicators = new Map((await deps.repo.indicators({ activeOnly: false })).map((i) => [i.id, i]));
    return refused(403, 'out-of-scope', `The token ${token.name} may not write ${ind.slug}: it writes ${describeScope(token.scope, indicators, await deps.repo.themes())}. A performance admin can make a token that does (kpi api-token create).`, { indicator: ind.slug });
  }
  const actor = integrationActor(token);
  const raw = { periodText: v.period, valueText: numberText(v.value), estimated: v.estimated ?? false, provisional: v.provisional ?? false, note: v.note?.trim() || null };
  const c = await check(deps, actor, ind, raw, v.acceptUnusual ? { unusualAccepted: true } : {});
  const who = { indicator: ind.slug, period: v.period };
  if ('errors' in c) {
    const said = Object.values(c.errors).join(' ');
    // A period that a signed-off quarter's report covers: a conflict with the state of the register, not bad input.
    return c.locked ? refused(409, 'signed-off', said, { ...who, fields: c.errors }) : refused(422, 'invalid', said, { ...who, fields: Object.fromEntries(Object.entries(c.errors).map(([k, m]) => [k, plain(m)])) });
  }
  const period = { key: c.period.key, inFull: formatPeriodInFull(c.period) };
  if (alreadySaved(actor, c)) return { status: 200, body: { result: 'already-saved', ...(await answerFor(deps, ind, c.period.key, c.existing!.version)) } };
  if (c.periodAsk) {
    const q = c.periodAsk.question;
    return refused(422, 'period-unclear', `${periodReason(c.periodAsk)} ${periodQuestionText(c.periodAsk)} Send the period with its year (e.g. ${q.period.key}).`, {
      indicator: ind.slug,
      period,
      ...(q.alternative ? { alternative: { key: q.alternative.key, inFull: formatPeriodInFull(q.alternative) } } : {}),
    });
  }
  if (c.unusual) {
    return refused(422, 'unusual-value', `${ind.slug}, ${formatPeriodInFull(c.period)}: ${c.unusual.verdict.question} Send it again with "acceptUnusual": true to save it as it is.`, {
      indicator: ind.slug,
      period,
      value: v.value,
      question: plain(c.unusual.verdict.question),
      suggestion: c.unusual.verdict.suggestion,
    });
  }
  try {
    const reason = c.existing ? v.reason?.trim() || c.submission.note : null;
    const s = await saveValue(deps, actor, ind, c.submission, reason, c);
    await reopenOutdatedApprovals(deps, deps.clock.now(), { indicatorIds: [ind.id], actorLabel: actorLabel(actor), byId: null });
    return {
      status: 201,
      body: {
        result: s.before ? 'corrected' : 'saved',
        ...(await answerFor(deps, ind, s.period.key, s.saved.version)),
        ...(s.before ? { replaced: { version: s.before.version, value: s.before.value } } : {}),
        ...(s.unchecked ? { unchecked: plain(s.unchecked) } : {}),
      },
    };
  } catch (e) {
    // The save's own transaction saw a sign-off, or a version saved meanwhile.
    if (e instanceof LockedPeriodSaveError) return refused(409, 'signed-off', e.message, who);
    // A version saved meanwhile (the same value sent twice at once, to two replicas): checked again
    // once, now — the same value from this integration is "already saved", anything else a conflict.
    if (e instanceof ConflictError) return retried ? refused(409, 'conflict', e.message, who) : postValue(deps, token, v, true);
    if (e instanceof PermissionError) return refused(403, 'forbidden', e.message, who);
    throw e;
  }
}

/** The value as saved and what it means now: the status and its sentence, as chat says them. */
async function answerFor(deps: CommandDeps, ind: IndicatorRecord, periodKey: string, version: number): Promise<Record<string, unknown>> {
  const org = await deps.repo.org();
  const history = await deps.repo.history(ind.id);
  const period = periodFromKey(periodKey, org.fyStartMonth);
  const ev = evaluateIndicator(ind, history, org, period);
  const o = history.observations.find((x) => x.periodKey === periodKey);
  return {
    indicator: ind.slug,
    period: { key: period.key, inFull: formatPeriodInFull(period) },
    value: o?.value ?? null,
    estimated: o?.estimated ?? false,
    provisional: o?.provisional ?? false,
    version,
    status: ev.status,
    statusLabel: plain(statusLabel(ev.status)),
    explanation: plain(ev.explanation),
    exceptionReportDue: needsExceptionReport(ev.status, org),
  };
}

/** An indicator as the API lists it. */
function listed(ind: IndicatorRecord, themes: readonly ThemeRecord[], token: ApiTokenRecord) {
  return {
    slug: ind.slug,
    ref: ind.ref,
    name: ind.name,
    unit: ind.unit,
    decimals: ind.decimals,
    frequency: ind.frequency,
    reported: FREQUENCY_WORDS[ind.frequency],
    theme: themes.find((t) => t.id === ind.themeId)?.name ?? null,
    writable: inScope(token, ind),
  };
}

/** GET /api/v1/indicators: every active indicator, and whether this token may write it. */
export async function listIndicators(deps: CommandDeps, token: ApiTokenRecord): Promise<ApiAnswer> {
  const [inds, themes] = await Promise.all([deps.repo.indicators({ activeOnly: true }), deps.repo.themes()]);
  return { status: 200, body: { indicators: inds.map((i) => listed(i, themes, token)) } };
}

/** GET /api/v1/indicators/<slug or ref>: the indicator, its status now and its latest values with who gave them. */
export async function showIndicator(deps: CommandDeps, token: ApiTokenRecord, query: string): Promise<ApiAnswer> {
  const found = await exactIndicator(deps.repo, query);
  if (!('indicator' in found)) return refused(404, 'unknown-indicator', `No indicator has the short name or reference "${query}".${found.suggestions.length ? ` Did you mean ${found.suggestions.join(', ')}?` : ''}`, { suggestions: found.suggestions });
  const ind = found.indicator;
  const [org, history, themes] = await Promise.all([deps.repo.org(), deps.repo.history(ind.id), deps.repo.themes()]);
  const ev = evaluateIndicator(ind, history, org);
  const ids = [...new Set(history.observations.flatMap((o) => (o.submittedById !== null ? [o.submittedById] : [])))];
  const people = new Map((ids.length ? await deps.repo.people({ ids }) : []).map((p) => [p.id, p]));
  const values = history.observations.slice(-12).map((o) => {
    const p = periodFromKey(o.periodKey, org.fyStartMonth);
    return { period: { key: p.key, inFull: formatPeriodInFull(p) }, value: o.value, estimated: o.estimated, provisional: o.provisional, version: o.version, given: provenance(o, people, org.timeZone) };
  });
  return {
    status: 200,
    body: {
      ...listed(ind, themes, token),
      status: ev.status,
      statusLabel: plain(statusLabel(ev.status)),
      explanation: plain(ev.explanation),
      evaluatedPeriod: ev.period ? { key: ev.period.key, inFull: formatPeriodInFull(ev.period) } : null,
      values,
    },
  };
}
