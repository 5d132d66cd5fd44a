// What a channel reads about a risk (the notification stage's risk half): one living post per risk,
// episode — a spell in which it is above the appetite, or has just risen into a higher band — and
// channel. A condition newly holding posts it (or edits it, with a note in its thread); a later review
// while it holds edits it and says what changed in the thread; when nothing holds any more (back within
// the appetite, a review that did not raise it again) the post says it is resolved.
import type { ConditionChangeRecord, OrgSettings, RiskRecord } from '../ports.ts';
import { formatDate } from '../domain/dates.ts';
import { TREND_ARROW } from '../domain/risks.ts';
import { currentOf, riskMatrix, riskTrend, scoreWords } from '../services/risks.ts';
import { actions, context, fields, header, literal, mention, message, text } from '../messages/build.ts';
import { literalCode } from '../messages/markup.ts';
import type { Message } from '../messages/types.ts';
import type { RiskCondition } from './evaluation.ts';
import type { ConditionTransition } from './state.ts';
import { conditionAlert, type LivingAlert } from './notification.ts';
import type { Route } from './routing.ts';

/** One risk change in one channel, for the notification stage. */
export function riskAlert(t: ConditionTransition<RiskRecord>, route: Route, org: OrgSettings): LivingAlert {
  return conditionAlert('risk-alert', 'risks', t, route, { message: (updated) => riskAlertMessage(t, org, updated), note: () => riskChangeNote(t, org) });
}

const conditionsOf = (c: Pick<ConditionChangeRecord, 'conditions'>): RiskCondition[] => c.conditions as RiskCondition[];

/** "above the risk appetite (scores over 9)", "risen into Very high". */
function conditionWords(cs: RiskCondition[], band: string, appetite: number): string {
  const w = cs.map((c) => (c === 'above_appetite' ? `above the risk appetite (scores over ${appetite})` : `risen into ${band}`));
  return w.length > 1 ? `${w.slice(0, -1).join(', ')} and ${w.at(-1)}` : (w[0] ?? `within the risk appetite (scores up to ${appetite})`);
}

/** What it was and is, in a sentence: "Now 16 (4×4) Very high ↑ at the review of 16 Jan 2018 (was 12)." */
function whatChanged(t: ConditionTransition<RiskRecord>, org: OrgSettings): string {
  const r = t.reading.subject;
  const m = riskMatrix(org);
  const trend = riskTrend(r);
  const was = typeof t.prev.detail.score === 'number' ? t.prev.detail.score : r.previous ? r.previous.likelihood * r.previous.impact : null;
  const review = r.latest ? ` at the review of ${formatDate(r.latest.reviewedOn)}` : '';
  const before = was !== null && was !== (currentOf(r) ? currentOf(r)!.likelihood * currentOf(r)!.impact : null) ? ` (was ${was})` : '';
  return `Now ${scoreWords(currentOf(r), m)}${trend ? ` ${TREND_ARROW[trend]}` : ''}${review}${before}.`;
}

function riskAlertMessage(t: ConditionTransition<RiskRecord>, org: OrgSettings, updated: boolean): Message {
  const r = t.reading.subject;
  const m = riskMatrix(org);
  const now = conditionsOf(t.change);
  const band = String(t.change.detail.band ?? '');
  const said = conditionWords(now, band, m.appetite);
  const lead = now.length ? `${now.includes('above_appetite') ? '⚠️' : '📈'} ${updated ? `Now ${said}` : `Risk ${said}`}` : '✅ Resolved';
  const title = `${lead}: ${r.ref} ${r.title}`;
  return message(
    `${now.length ? `Risk ${r.ref} is ${said}` : `Resolved: risk ${r.ref} is ${said}`}: ${r.title}.`,
    header(title.length > 150 ? `${title.slice(0, 149)}…` : title),
    text(literal(whatChanged(t, org))),
    ...(!now.length ? [context(`✅ Resolved: ${literal(r.ref)} is within the risk appetite and has not risen again.`)] : []),
    ...(r.latest?.commentary ? [text(`**Latest review:** ${literal(r.latest.commentary)}`)] : []),
    fields([
      { label: 'Score', value: scoreWords(currentOf(r), m) },
      { label: 'Target', value: scoreWords(r.target, m) },
      { label: 'Owner', value: r.ownerId ? mention(r.ownerId) : 'no owner set' },
      { label: 'Theme', value: r.themeName ? literal(r.themeName) : 'none' },
    ]),
    actions({ id: 'open-risk-review', label: `Review ${r.ref}`.slice(0, 75), value: JSON.stringify({ riskId: r.id }) }),
    context(`${literal(r.ref)}${r.themeName ? ` · ${literal(r.themeName)}` : ''} · ${literalCode(`/kpi risk ${r.ref}`)} for its history${updated ? ' · updated, see the thread' : ''}`),
  );
}

function riskChangeNote(t: ConditionTransition<RiskRecord>, org: OrgSettings): Message {
  const now = conditionsOf(t.change);
  const lead = t.kind === 'cleared' ? '✅ Resolved.' : `${now.includes('above_appetite') ? '⚠️' : '📈'} Update.`;
  return message(`${lead} ${whatChanged(t, org)}`, text(literal(`${lead} ${whatChanged(t, org)}`)));
}
