// The tables of the in-memory repository (./repository.ts) and its outbox (./outbox.ts):
// plain rows with the same unique keys as the schema, ids counted per table, and a transaction that
// puts every table back as it was when its work throws (a dry run, a refused import).
import type {
  ApiTokenRecord,
  NewConditionChange,
  ActionChangeRecord,
  ActionRecord,
  ActionReminderRecord,
  ActionUpdateRecord,
  RiskRecord,
  RiskReminderRecord,
  RiskReviewRecord,
  CommentaryRecord,
  CommentaryReminderRecord,
  ComparatorGroupRecord,
  ComparatorValueRecord,
  AuditEntry,
  EvaluationState,
  ExceptionReportRecord,
  IndicatorRecord,
  LinkedBy,
  NotCollectedRecord,
  ObservationRecord,
  OrgSettings,
  PeriodLockRecord,
  SignedOffValue,
  PlatformName,
  ReminderRecord,
  Role,
  StatusChangeRecord,
  TargetRecord,
  ThemeRecord,
} from '../../../src/ports.ts';
import type { LocalDate } from '../../../src/domain/types.ts';
import type { Message } from '../../../src/messages/types.ts';

export interface PersonRow {
  id: number;
  displayName: string;
  email: string | null;
  role: Role;
  deputyId: number | null;
  absentUntil: LocalDate | null;
  active: boolean;
  successorId: number | null;
  /** When their personal data was erased. */
  erasedAt?: Date;
}

export interface IdentityRow {
  platform: string;
  platformUserId: string;
  personId: number;
  linkedBy: LinkedBy;
  linkedAt: Date;
  /** False for an id from a People sheet its platform has not confirmed. */
  confirmed: boolean;
}

export interface LookupRow {
  personId: number;
  platform: PlatformName;
  outcome: string | null;
  detail: string | null;
  lookedUpAt: Date | null;
  claimedBy: string | null;
  claimedUntil: Date | null;
  reportedAt: Date | null;
}

/** An indicator as stored: its theme's name and director are read through the theme. */
export type IndicatorRow = Omit<IndicatorRecord, 'themeName' | 'directorId'>;

export interface Dated {
  periodStart: LocalDate;
  periodEnd: LocalDate;
}

export type TargetRow = TargetRecord & Dated;
export type ObservationRow = ObservationRecord & Dated & { latest: boolean };
export type StatusChangeRow = StatusChangeRecord & { transitionKey: string };

export interface SubscriptionRow {
  id: number;
  platform: PlatformName;
  channelId: string;
  themeId: number | null;
  indicatorId: number | null;
  events: string[];
  channelName: string | null;
  createdById: number | null;
  scope: string;
}

export type ReminderRow = ReminderRecord & { id: number };

/** An action as stored: its theme's name and director, its indicators and latest update are read through their tables. */
export type ActionRow = Omit<ActionRecord, 'themeName' | 'directorId' | 'indicatorIds' | 'latest'> & { createdAt: Date; updatedAt: Date };

/** A risk as stored: its theme's name and director, its links and reviews are read through their tables. */
export type RiskRow = Omit<RiskRecord, 'themeName' | 'directorId' | 'actionIds' | 'indicatorIds' | 'latest' | 'previous'> & { createdAt: Date; updatedAt: Date };

export interface OutboxRow {
  id: number;
  key: string;
  platform: PlatformName | null;
  channel: string;
  personId: number | null;
  purpose: string;
  action: 'post' | 'update' | 'reply';
  parentId: number | null;
  message: Message;
  state: 'pending' | 'sent' | 'dead' | 'undeliverable' | 'held';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface Tables {
  org: OrgSettings | null;
  people: PersonRow[];
  identities: IdentityRow[];
  lookups: LookupRow[];
  themes: ThemeRecord[];
  indicators: IndicatorRow[];
  targets: TargetRow[];
  observations: ObservationRow[];
  locks: PeriodLockRecord[];
  /** Signed-off quarters' reports (period_lock.report) and what they covered (signed_off_value). */
  snapshots: { quarterKey: string; takenAt: Date; report: unknown }[];
  signedOffValues: (SignedOffValue & { quarterKey: string })[];
  notCollected: NotCollectedRecord[];
  actions: ActionRow[];
  actionUpdates: ActionUpdateRecord[];
  actionIndicators: { actionId: number; indicatorId: number }[];
  actionChanges: ActionChangeRecord[];
  actionReminders: ActionReminderRecord[];
  risks: RiskRow[];
  riskReviews: RiskReviewRecord[];
  riskActions: { riskId: number; actionId: number }[];
  riskIndicators: { riskId: number; indicatorId: number }[];
  riskReminders: RiskReminderRecord[];
  commentary: CommentaryRecord[];
  commentaryReminders: CommentaryReminderRecord[];
  comparatorValues: ComparatorValueRecord[];
  comparatorGroups: ComparatorGroupRecord[];
  apiTokens: (ApiTokenRecord & { hash: string })[];
  apiIdempotency: { tokenId: number; key: string; requestHash: string; status: number | null; response: unknown; createdAt: Date; expiresAt: Date }[];
  exceptionReports: ExceptionReportRecord[];
  statusChanges: StatusChangeRow[];
  /** Actions' (and risks') condition changes, each with its unique transition key. */
  conditionChanges: (NewConditionChange & { id: number })[];
  subscriptions: SubscriptionRow[];
  reminders: ReminderRow[];
  snoozes: { indicatorId: number; until: Date; byId: number | null }[];
  inboundEvents: { id: string; receivedAt: Date }[];
  audit: AuditEntry[];
  outbox: OutboxRow[];
  /** What evaluate-statuses saw on its last run, and each indicator's fingerprint as it read it. */
  evaluation: { state: EvaluationState | null; seen: Record<number, string> };
  /** The last id given out, per table. */
  ids: Record<string, number>;
}

const empty = (): Tables => ({
  org: null,
  people: [],
  identities: [],
  lookups: [],
  themes: [],
  indicators: [],
  targets: [],
  observations: [],
  locks: [],
  snapshots: [],
  signedOffValues: [],
  notCollected: [],
  actions: [],
  actionUpdates: [],
  actionIndicators: [],
  actionChanges: [],
  actionReminders: [],
  risks: [],
  riskReviews: [],
  riskActions: [],
  riskIndicators: [],
  riskReminders: [],
  commentary: [],
  commentaryReminders: [],
  comparatorValues: [],
  comparatorGroups: [],
  apiTokens: [],
  apiIdempotency: [],
  exceptionReports: [],
  statusChanges: [],
  conditionChanges: [],
  subscriptions: [],
  reminders: [],
  snoozes: [],
  inboundEvents: [],
  audit: [],
  outbox: [],
  evaluation: { state: null, seen: {} },
  ids: {},
});

/** A copy to hand out: nothing a caller changes reaches the tables. */
export const copy = <T>(v: T): T => structuredClone(v);

/**
 * Add each row a unique index would let in (none already there that is `same`), as `make` stores it;
 * how many were added. The reminder tables' "record once per day" in memory.
 */
export function insertNew<R, T>(table: T[], rows: readonly R[], same: (there: T, row: R) => boolean, make: (row: R) => T): number {
  let n = 0;
  for (const r of rows) {
    if (table.some((x) => same(x, r))) continue;
    table.push(make(r));
    n++;
  }
  return n;
}

/** An audit entry as the audit_log table keeps it: no entity id is null, details are JSON (none: null). */
export const storedAudit = (e: AuditEntry): AuditEntry => ({ ...e, entityId: e.entityId ?? null, details: e.details === undefined ? null : JSON.parse(JSON.stringify(e.details)) });

export class MemoryStore {
  t: Tables = empty();

  nextId(table: string): number {
    const id = (this.t.ids[table] ?? 0) + 1;
    this.t.ids[table] = id;
    return id;
  }

  /** Run `fn`; when it throws every table is as it was before. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const before = copy(this.t);
    try {
      return await fn();
    } catch (e) {
      this.t = before;
      throw e;
    }
  }
}
