// Actions and milestones: what the council is doing about its indicators, each with its dates
// (the original due date kept when it moves), owner and deputy, the indicators it addresses, and a
// progress update per reporting period with every version kept (src/domain/actions.ts reads them).
import type { ThemeOwned } from './people.ts';
import type { Progress } from '../domain/actions.ts';
import type { LocalDate } from '../domain/types.ts';
import type { AuditEntry } from './organisation.ts';

export type ActionKind = 'action' | 'milestone';

export interface ActionUpdateRecord {
  id: number;
  actionId: number;
  periodKey: string;
  version: number;
  progress: Progress;
  percentComplete: number | null;
  commentary: string;
  authorId: number | null;
  /** chat:<platform>, import:<file>, demo. */
  source: string;
  createdAt: Date;
}

export interface ActionRecord extends ThemeOwned {
  id: number;
  ref: string;
  kind: ActionKind;
  title: string;
  description: string | null;
  start: LocalDate | null;
  due: LocalDate;
  /** The due date first agreed; re-phasing is measured against it. */
  originalDue: LocalDate;
  rephaseReason: string | null;
  isKey: boolean;
  active: boolean;
  /** The indicators it addresses. */
  indicatorIds: number[];
  /** The newest version of the latest period's update; null when none was ever given. */
  latest: ActionUpdateRecord | null;
}

export interface ActionFilter {
  themeId?: number;
  /** Owner or deputy. */
  personId?: number;
  /** Actions in themes this director is accountable for. */
  directorId?: number;
  /** Actions addressing this indicator. */
  indicatorId?: number;
  activeOnly?: boolean;
  ids?: number[];
}

/** An action as a register sheet gives it (people and theme as ids; indicators as ids). */
export interface ActionFields {
  ref: string;
  kind: ActionKind;
  title: string;
  description: string | null;
  themeId: number | null;
  ownerId: number | null;
  deputyId: number | null;
  start: LocalDate | null;
  due: LocalDate;
  /** Given: the original due date as the sheet says it; absent: kept (or, for a new action, the due date). */
  originalDue?: LocalDate | null;
  rephaseReason?: string | null;
  isKey: boolean;
  active: boolean;
  indicatorIds: number[];
}

export interface NewActionUpdate {
  actionId: number;
  periodKey: string;
  progress: Progress;
  percentComplete: number | null;
  commentary: string;
  authorId: number | null;
  source: string;
  at: Date;
}

/** A change that needs the theme's director or a performance admin: a new due date, or "no longer viable". */
export interface ActionChangeRecord {
  id: number;
  actionId: number;
  kind: 'due' | 'no_longer_viable';
  proposedDue: LocalDate | null;
  reason: string;
  periodKey: string | null;
  state: 'pending' | 'approved' | 'returned' | 'withdrawn';
  requestedById: number | null;
  requestedAt: Date;
  decidedById: number | null;
  decidedAt: Date | null;
}

export type NewActionChange = Pick<ActionChangeRecord, 'actionId' | 'kind' | 'proposedDue' | 'reason' | 'periodKey' | 'requestedById' | 'requestedAt'>;

/** A progress update asked for (src/jobs chase-actions): one per action, quarter and day. */
export interface ActionReminderRecord {
  actionId: number;
  periodKey: string;
  personId: number | null;
  /** 0 the owner (or the deputy standing in), 1 the deputy, 2 the director. */
  level: number;
  sentOn: LocalDate;
}

/** The actions store: the Prisma repository's and the memory repository's `actions`. */
export interface ActionStore {
  list(filter?: ActionFilter): Promise<ActionRecord[]>;
  byRef(ref: string): Promise<ActionRecord | null>;
  /** Every version of every update of these actions (one query for a report's worth): by action, latest period first, newest version first. */
  updates(actionIds: number[]): Promise<ActionUpdateRecord[]>;
  /**
   * Record a progress update: a new version when the period has one. Identical to the current version
   * (progress, percent and commentary): nothing is written, and the current one is returned with
   * `created` false. Audited (action.update) in the same transaction.
   */
  saveUpdate(u: NewActionUpdate, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ update: ActionUpdateRecord; created: boolean }>;
  /** Ask for a change (audited action.change-requested); a pending request for the same action is withdrawn. */
  requestChange(c: NewActionChange, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<ActionChangeRecord>;
  actionChange(id: number): Promise<ActionChangeRecord | null>;
  /** Requests still waiting for a decision (optionally one action's). */
  pendingChanges(actionId?: number): Promise<ActionChangeRecord[]>;
  /**
   * Approve or return a pending request, once (null when it was decided already or withdrawn). Approving
   * a new due date moves the action's due date (the original stays) with the reason; approving "no
   * longer viable" records that progress for its quarter. Audited (action.change-approved / -returned).
   */
  decideChange(id: number, decision: 'approved' | 'returned', by: { personId: number; label: string; at: Date }): Promise<ActionChangeRecord | null>;
  /** Reminders sent for these actions' progress for a quarter, oldest first. */
  reminders(actionIds: number[], periodKey: string): Promise<ActionReminderRecord[]>;
  /** Record reminders; one already recorded for its action, quarter and day is skipped. Returns how many were new. */
  recordReminders(rows: ActionReminderRecord[]): Promise<number>;
  /** Create or change actions by ref (an import); each unchanged one is left untouched. */
  upsert(actions: ActionFields[], at: Date): Promise<{ created: number; updated: number; unchanged: number; ids: Map<string, number> }>;
}
