// The life of an exception report, in one place: which change is allowed from which state, what
// state it leads to, and how a change someone else made first is said to the person who lost.
//
//   (none) ─draft→ draft ─submit→ submitted ─approve→ approved ─outdate→ needs_update
//                    ↑                │  ↑  ↑                                   │
//                    └──── returned ←─┘  │  └─ submit (edits while it waits)     │
//                                        └────────────── submit ←──────────────┘
//
// An approved report explains a value: when the value of its period, or its status, changes after
// approval (a correction, a new target, a value after sign-off), the report goes back to
// needs_update — its owner is told, it is chased again, and reports print it as needing an update
// beside the narrative written for the old value (src/services/outdated-approvals.ts).
//
// Every write is conditioned on the version it read (compare-and-set in the repository), so two
// people changing a report at once never silently undo each other: the second is told.
import type { ExceptionReportRecord, ExceptionState } from '../ports.ts';
import type { Status } from '../domain/types.ts';
import { ConflictError, UserError } from '../errors.ts';

export type ExceptionChange = 'save-draft' | 'submit' | 'approve' | 'return' | 'outdate';

const ALLOWED: Record<ExceptionChange, (ExceptionState | null)[]> = {
  'save-draft': [null, 'draft', 'returned', 'needs_update'],
  submit: [null, 'draft', 'returned', 'submitted', 'needs_update'],
  approve: ['submitted'],
  return: ['submitted'],
  outdate: ['approved'],
};

const WORDS: Record<ExceptionState, string> = {
  draft: 'a draft',
  submitted: 'waiting for review',
  returned: 'returned to its author',
  approved: 'approved',
  needs_update: 'waiting for its author to update it',
};

/** The state a change leads to from the report as it is now, or a UserError saying why it cannot happen. */
export function nextState(current: Pick<ExceptionReportRecord, 'state'> | null, change: ExceptionChange): ExceptionState {
  const from = current?.state ?? null;
  if (!ALLOWED[change].includes(from)) {
    if (from === 'approved') throw new UserError('This exception report has been approved; it can no longer be changed.');
    throw new UserError(from === null ? 'There is no exception report to review yet.' : `That exception report is ${WORDS[from]}, not waiting for review.`);
  }
  switch (change) {
    case 'save-draft':
      return from === 'returned' || from === 'needs_update' ? from : 'draft';
    case 'outdate':
      return 'needs_update';
    case 'submit':
      return 'submitted';
    case 'approve':
      return 'approved';
    case 'return':
      return 'returned';
  }
}

/** The report changed since it was read: `current` is how it stands now. */
export class StaleReportError extends ConflictError {
  constructor(readonly current: ExceptionReportRecord | null) {
    super('This exception report was changed by someone else meanwhile.');
  }
}

/** "Priya Shah approved this 10 seconds ago — reopen to see it." */
export function staleMessage(current: ExceptionReportRecord | null, names: Map<number, string>, now: Date): string {
  if (!current) return 'This exception report was removed meanwhile.';
  const by = (id: number | null) => (id !== null ? (names.get(id) ?? 'Someone') : 'Someone');
  const ago = (at: Date | null) => {
    if (!at) return '';
    const s = Math.round((now.getTime() - at.getTime()) / 1000);
    if (s < 0) return '';
    if (s < 90) return ` ${s} second${s === 1 ? '' : 's'} ago`;
    if (s < 5400) return ` ${Math.round(s / 60)} minutes ago`;
    return ` on ${at.toISOString().slice(0, 16).replace('T', ' ')}`;
  };
  let what: string;
  switch (current.state) {
    case 'approved':
      what = `${by(current.reviewerId)} approved this${ago(current.reviewedAt)}`;
      break;
    case 'returned':
      what = `${by(current.reviewerId)} returned this to its author${ago(current.reviewedAt)}`;
      break;
    case 'submitted':
      what = `${by(current.authorId)} submitted a new version of this${ago(current.submittedAt)}`;
      break;
    case 'draft':
      what = `${by(current.authorId)} changed this draft meanwhile`;
      break;
    case 'needs_update':
      what = `The value this report explains changed after it was approved, so it needs updating`;
      break;
  }
  return `${what} — reopen to see it. Nothing you sent was saved.`;
}

/** What an approved report was approved for, and what its period has now. */
export interface OutdatedApproval {
  was: { value: number | null; status: Status | null };
  now: { value: number | null; status: Status };
}

/**
 * An approved report whose period's value or status is no longer the one it was approved for (null:
 * it still holds, or it is not approved). What it was approved for may be partly unknown (a report
 * imported as approved has no status): only what is known is compared.
 */
export function approvalOutdated(r: Pick<ExceptionReportRecord, 'state' | 'approvedValue' | 'approvedStatus'>, now: { value: number | null; status: Status }): OutdatedApproval | null {
  if (r.state !== 'approved') return null;
  const valueChanged = r.approvedValue !== null && now.value !== r.approvedValue;
  const statusChanged = r.approvedStatus !== null && now.status !== r.approvedStatus;
  return valueChanged || statusChanged ? { was: { value: r.approvedValue, status: r.approvedStatus }, now } : null;
}

/** The report counts as written: submitted, or approved for what its period still has. */
export function reportStands(r: Pick<ExceptionReportRecord, 'state' | 'approvedValue' | 'approvedStatus'> | null, now: { value: number | null; status: Status }): boolean {
  if (!r) return false;
  return r.state === 'submitted' || (r.state === 'approved' && !approvalOutdated(r, now));
}

/** Needs updating: put back by the bot, or approved for a value or status its period no longer has. */
export function needsUpdate(r: Pick<ExceptionReportRecord, 'state' | 'approvedValue' | 'approvedStatus'> | null, now: { value: number | null; status: Status }): boolean {
  return r !== null && (r.state === 'needs_update' || approvalOutdated(r, now) !== null);
}

/** How an exception report still owed stands, in a list of what is owed: "draft", "returned", "needs updating: …". */
export function owedLabel(state: ExceptionState): string {
  return state === 'approved' || state === 'needs_update' ? 'needs updating: its value changed after approval' : state;
}
