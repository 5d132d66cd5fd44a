// What a channel reads about an action (the notification stage's action half): one living post per
// action, episode — a spell in which it is off track, overdue or re-phased by more than 3 months — and
// channel. A condition newly holding posts it (or edits it, with a note in its thread); a later change
// (another condition, a new update, a new due date) edits it and says what changed in the thread; when
// nothing holds any more the post says it is resolved. A condition raised again after that is a new post.
import type { ActionRecord, ConditionChangeRecord, OrgSettings } from '../ports.ts';
import { CONDITION_LABEL, PROGRESS_LABEL, type ActionCondition } from '../domain/actions.ts';
import { formatDate } from '../domain/dates.ts';
import type { LocalDate } from '../domain/types.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import { dueWords } from '../services/actions.ts';
import { actions, context, fields, header, literal, mention, message, text } from '../messages/build.ts';
import type { Message } from '../messages/types.ts';
import type { ConditionTransition } from './state.ts';
import { conditionAlert, type LivingAlert } from './notification.ts';
import type { Route } from './routing.ts';

const ICON: Record<ActionCondition, string> = { off_track: '🔴', overdue: '⏰', rephased: '📅' };

/** One action change in one channel, for the notification stage. */
export function actionAlert(t: ConditionTransition<ActionRecord>, route: Route, org: OrgSettings): LivingAlert {
  return conditionAlert('action-alert', 'actions', t, route, { message: (updated) => actionAlertMessage(t, org, updated), note: () => actionChangeNote(t) });
}

const conditionsOf = (c: Pick<ConditionChangeRecord, 'conditions'>): ActionCondition[] => c.conditions as ActionCondition[];

/** "off track and overdue". */
function conditionWords(cs: ActionCondition[]): string {
  const w = cs.map((c) => CONDITION_LABEL[c]);
  return w.length > 1 ? `${w.slice(0, -1).join(', ')} and ${w.at(-1)}` : (w[0] ?? 'no longer off track, overdue or re-phased by more than 3 months');
}

/** What it was and is, in a sentence: "Was off track; now off track and overdue (due 31 Mar 2018)." */
function whatChanged(t: ConditionTransition<ActionRecord>): string {
  const a = t.reading.subject;
  const was = conditionsOf(t.prev);
  const now = conditionsOf(t.change);
  const progress = a.latest ? PROGRESS_LABEL[a.latest.progress].toLowerCase() : null;
  const first = t.kind === 'cleared' ? `Now ${progress ?? 'no longer off track, overdue or re-phased'}` : `Now ${conditionWords(now)}`;
  const before = was.length ? ` (was ${conditionWords(was)})` : '';
  const due = t.prev.detail.due && t.prev.detail.due !== a.due ? ` The due date moved from ${formatDate(String(t.prev.detail.due) as LocalDate)} to ${formatDate(a.due)}.` : '';
  const update = t.prev.detail.progress !== undefined && t.prev.detail.update !== (a.latest?.id ?? null) && a.latest ? ` New progress update: ${PROGRESS_LABEL[a.latest.progress].toLowerCase()}.` : '';
  return `${first}${before}.${due}${update}`;
}

function actionAlertMessage(t: ConditionTransition<ActionRecord>, org: OrgSettings, updated: boolean): Message {
  const a = t.reading.subject;
  const now = conditionsOf(t.change);
  const word = org.actionWord ?? 'action';
  const Word = `${word[0]!.toUpperCase()}${word.slice(1)}`;
  const lead = now.length ? `${ICON[now[0]!]} ${updated ? `Now ${conditionWords(now)}` : `${Word} ${conditionWords(now)}`}` : '✅ Resolved';
  const title = `${lead}: ${a.ref} ${a.title}`;
  const latest = a.latest;
  const update = latest ? `${PROGRESS_LABEL[latest.progress]} · ${formatPeriod(periodFromKey(latest.periodKey, org.fyStartMonth))}` : 'No update yet';
  return message(
    `${now.length ? `${Word} ${a.ref} is ${conditionWords(now)}` : `Resolved: ${word} ${a.ref} is ${conditionWords(now)}`}: ${a.title}.`,
    header(title.length > 150 ? `${title.slice(0, 149)}…` : title),
    text(literal(whatChanged(t))),
    ...(!now.length ? [context(`✅ Resolved: ${literal(a.ref)} is no longer off track, overdue or re-phased by more than 3 months.`)] : []),
    ...(latest?.commentary ? [text(`**Latest update:** ${literal(latest.commentary)}`)] : []),
    fields([
      { label: 'Progress', value: update },
      { label: 'Due', value: `${dueWords(a)}${a.rephaseReason ? ` — ${literal(a.rephaseReason)}` : ''}` },
      { label: 'Owner', value: a.ownerId ? mention(a.ownerId) : 'no owner set' },
      { label: 'Theme', value: a.themeName ? literal(a.themeName) : 'none' },
    ]),
    actions({ id: 'open-action-update', label: `Update ${a.ref}`.slice(0, 75), value: JSON.stringify({ actionId: a.id }) }),
    context(`${literal(a.ref)}${a.themeName ? ` · ${literal(a.themeName)}` : ''}${updated ? ' · updated, see the thread' : ''}`),
  );
}

function actionChangeNote(t: ConditionTransition<ActionRecord>): Message {
  const now = conditionsOf(t.change);
  const lead = t.kind === 'cleared' ? '✅ Resolved.' : `${ICON[now[0]!] ?? '🔔'} Update.`;
  return message(`${lead} ${whatChanged(t)}`, text(literal(`${lead} ${whatChanged(t)}`)));
}
