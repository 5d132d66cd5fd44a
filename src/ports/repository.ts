// The Repository: everything the command handlers and jobs read and write (src/repo/prisma-repository.ts, the memory repository in test/support).
import type { LocalDate } from '../domain/types.ts';
import type { Register, WriteOptions, WriteSummary } from '../register/types.ts';
import type { ConditionChangeStore, NewSubscription, ReminderKind, ReminderRecord, SubscriptionRecord } from './alerts.ts';
import type { Cadence, EvaluationState, IndicatorChange, NewStatusChange, StatusChangeRecord } from './evaluation.ts';
import type { ExceptionReportRecord, ExceptionState } from './exceptions.ts';
import type { IndicatorFilter, IndicatorRecord, NewNotCollected, NewObservation, NotCollectedRecord, ObservationRecord, PeriodLockRecord, QuarterSnapshot, SignedOffValue, SignOffHold, TargetRecord, ThemeRecord, ValueRecord } from './indicators.ts';
import type { AuditEntry, OrgSettings, PlatformName } from './organisation.ts';
import type { ActionStore } from './actions.ts';
import type { RiskStore } from './risks.ts';
import type { CommentaryStore } from './commentary.ts';
import type { ComparatorStore } from './comparators.ts';
import type { ApiStore } from './api.ts';
import type { ChangedBy, DeliveryRecord, Erasure, ErasureRequest, HandOver, IdentityLookupRecord, LinkedBy, LookupOutcome, PersonalData, PersonPatch, PersonRecord, Role } from './people.ts';

/** Everything the command handlers and jobs read and write. */
export interface Repository {
  /** Actions and milestones (src/ports/actions.ts). */
  readonly actions: ActionStore;
  /** What held for actions (and risks next) when it changed: the alerting state of subjects other than indicators. */
  readonly conditionChanges: ConditionChangeStore;
  /** The risk register (src/ports/risks.ts). */
  readonly risks: RiskStore;
  /** Attributed commentary per quarter (src/ports/commentary.ts). */
  readonly commentary: CommentaryStore;
  /** Benchmarks: other councils' values and comparator groups (src/ports/comparators.ts). */
  readonly comparators: ComparatorStore;
  /** API tokens and Idempotency-Keys (src/ports/api.ts). */
  readonly api: ApiStore;

  org(): Promise<OrgSettings>;
  updateOrg(patch: Partial<OrgSettings>): Promise<OrgSettings>;

  person(id: number): Promise<PersonRecord | null>;
  people(filter?: { role?: Role; ids?: number[] }): Promise<PersonRecord[]>;
  /** The person this platform user is (a confirmed link only: an unconfirmed id from a sheet is nobody yet). */
  personByPlatformUser(platform: PlatformName, userId: string): Promise<PersonRecord | null>;
  personByEmail(email: string): Promise<PersonRecord | null>;
  /**
   * Link a platform user id to a person, confirmed (first contact by e-mail, a lookup, a roster, an
   * install): it replaces an unconfirmed id of theirs there, and anyone's unconfirmed link to that
   * user. Race-free: two requests linking the same user at once both succeed. `conflict` when the
   * person is already confirmed as another user on that platform, or the user as another person
   * (nothing changes).
   */
  linkPlatformUser(personId: number, platform: PlatformName, userId: string, how?: { linkedBy: LinkedBy; at: Date }): Promise<'linked' | 'already' | 'conflict'>;
  /** Drop a person's unconfirmed id on a platform (the platform said it is not theirs). */
  forgetUnconfirmed(personId: number, platform: PlatformName): Promise<void>;
  /**
   * A performance admin's change to a person, audited (person.edit) in the same transaction. A new
   * e-mail address forgets what lookups found under the old one. Throws ConflictError when the
   * e-mail, or a platform user id, is another person's.
   */
  editPerson(personId: number, patch: PersonPatch, by: ChangedBy): Promise<PersonRecord>;
  /**
   * Fold one person into another (a duplicate): indicators owned and deputised, themes directed,
   * deputyships, platform links, and the history they made (values, exception reports, reminders)
   * go to `intoId`; `fromId` is kept, inactive, with `intoId` as successor. Audited (person.merge).
   */
  mergePeople(fromId: number, intoId: number, by: ChangedBy): Promise<HandOver>;
  /**
   * Retire a person: their indicators, deputyships and themes go to `handToId` (when given), their
   * platform links are removed, and they are inactive (never chased, never linked). Audited (person.retire).
   */
  retirePerson(personId: number, handToId: number | null, by: ChangedBy): Promise<HandOver>;
  /**
   * Erase a person who has left (inactive, nothing owned: the caller checks): their name, address,
   * platform links, lookups, conversation references, absence, open forms and messages to them go;
   * what the council keeps (values, reports, updates, reviews, commentary, reminders, audit) stays,
   * attributed to `label`, and any text or JSON naming them is rewritten with it. Duplicates merged
   * into them go with them. One transaction, audited (person.erase) without their data; a second
   * call changes nothing (`already`).
   */
  erasePerson(personId: number, request: ErasureRequest): Promise<Erasure>;
  /** Everything held about a person (a subject-access request): their record and every row that refers to them. */
  personalData(personId: number): Promise<PersonalData>;
  /** Set (or clear, with null) the day a person is away until: chases go to their deputy meanwhile. */
  setAbsence(personId: number, until: LocalDate | null): Promise<void>;

  /** What the bot last found looking people up by e-mail, per platform. */
  identityLookups(personIds?: number[]): Promise<IdentityLookupRecord[]>;
  /**
   * Take the right to look a person up on a platform now: false when another process holds it, or
   * when the last not-found (or failed) lookup is newer than the given time — a not-found is not
   * asked again on every message. `force` asks again whatever the last answer (kpi people sync).
   */
  claimLookup(personId: number, platform: PlatformName, holder: string, now: Date, opts: { notFoundBefore: Date; failedBefore: Date; claimUntil: Date; force?: boolean }): Promise<boolean>;
  /** Record a lookup's outcome and release the claim. */
  recordLookup(personId: number, platform: PlatformName, outcome: LookupOutcome, detail: string | null, now: Date): Promise<void>;
  /** Performance admins have been told these people cannot be reached. */
  markLookupsReported(personIds: number[], platforms: PlatformName[], at: Date): Promise<void>;
  /** Each person's most recent outbox message: how the bot last tried to reach them. */
  lastDeliveries(personIds?: number[]): Promise<Map<number, DeliveryRecord>>;

  themes(): Promise<ThemeRecord[]>;
  theme(id: number): Promise<ThemeRecord | null>;

  indicator(id: number): Promise<IndicatorRecord | null>;
  indicatorBySlug(slug: string): Promise<IndicatorRecord | null>;
  indicators(filter?: IndicatorFilter): Promise<IndicatorRecord[]>;
  /** Ranked matches on slug, ref and name for what a person typed. */
  searchIndicators(query: string, limit: number, filter?: IndicatorFilter): Promise<IndicatorRecord[]>;

  /** The latest version of every observation of an indicator, oldest period first, and all its targets. */
  history(indicatorId: number): Promise<{ observations: ObservationRecord[]; targets: TargetRecord[] }>;
  /** History for many indicators in one round trip. */
  histories(indicatorIds: number[]): Promise<Map<number, { observations: ObservationRecord[]; targets: TargetRecord[] }>>;
  /** Every version for one period (or, without a period, for every period: latest period first), newest version first. */
  observationVersions(indicatorId: number, periodKey?: string): Promise<ObservationRecord[]>;
  /** Every version of these indicators' values submitted after a time, oldest first (what came in after a sign-off). */
  observationVersionsSince(since: Date, indicatorIds: number[]): Promise<ObservationRecord[]>;
  /** Save a value (a new version when the period has one). Throws ConflictError when `replacesVersion` is stale. */
  saveObservation(obs: NewObservation): Promise<ObservationRecord>;

  periodLocks(): Promise<PeriodLockRecord[]>;
  /** The lock covering a period (by dates), if any. */
  lockCovering(periodStart: LocalDate, periodEnd: LocalDate): Promise<PeriodLockRecord | null>;
  /**
   * Sign off a period (audited as period.close), with the quarter's report as signed off: kept as it
   * was, and what it covered holds values as src/repo/rules.ts (signOffHold) says. `created` is false
   * when it was already signed off (nothing changes).
   */
  closePeriod(
    lock: { periodKey: string; periodStart: LocalDate; periodEnd: LocalDate; closedById: number | null; actorLabel: string; at: Date },
    snapshot?: { takenAt: Date; report: unknown; covered: SignedOffValue[] },
  ): Promise<{ lock: PeriodLockRecord; created: boolean }>;
  /** A signed-off quarter's report as it was signed off (null: not signed off, or signed off before reports were kept). */
  quarterSnapshot(quarterKey: string): Promise<QuarterSnapshot | null>;
  /** The sign-off that holds a value of this indicator for this period, for a value given at `at` (null: none; the save checks the same). */
  signOffHold(indicatorId: number, periodKey: string, at: Date): Promise<SignOffHold | null>;

  /** Periods marked "not collected", oldest period first (optionally only those that may cover these indicators: theirs, their themes' and every indicator's). */
  notCollected(filter?: { indicatorIds?: number[] }): Promise<NotCollectedRecord[]>;
  /**
   * Mark a period "not collected" for a scope (audited as period.not-collected, with the reason). A mark
   * for the same scope and period is replaced (its reason updated): `created` is false then.
   */
  markNotCollected(mark: NewNotCollected, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ mark: NotCollectedRecord; created: boolean }>;
  /** Undo a mark for a scope and period (audited as period.collected); null when there was none. */
  unmarkNotCollected(scope: { indicatorId: number | null; themeId: number | null; periodKey: string }, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<NotCollectedRecord | null>;

  exceptionReport(indicatorId: number, periodKey: string): Promise<ExceptionReportRecord | null>;
  exceptionReportById(id: number): Promise<ExceptionReportRecord | null>;
  exceptionReports(filter?: { periodKey?: string; states?: ExceptionState[]; indicatorIds?: number[] }): Promise<ExceptionReportRecord[]>;
  /**
   * Write an exception report only if it is still at `expectedVersion` (null: only if there is none
   * yet), with its audit entry in the same transaction. Throws StaleReportError (src/services/exception-states.ts),
   * carrying the report as it now stands, when someone changed it first.
   */
  saveExceptionReport(
    r: Pick<ExceptionReportRecord, 'indicatorId' | 'periodKey' | 'questions' | 'answers' | 'state' | 'authorId'> &
      Partial<Pick<ExceptionReportRecord, 'reviewerId' | 'reviewComment' | 'submittedAt' | 'reviewedAt' | 'approvedValue' | 'approvedStatus'>>,
    opts: { expectedVersion: number | null; audit?: Omit<AuditEntry, 'entity' | 'entityId'> },
  ): Promise<ExceptionReportRecord>;

  /** The latest recorded status change per indicator (for lists and digests). */
  latestStatusChanges(indicatorIds?: number[]): Promise<Map<number, StatusChangeRecord>>;
  statusChangesSince(since: Date): Promise<StatusChangeRecord[]>;

  /** Record status changes, each once: returns those recorded now (a transition already recorded is skipped). */
  recordStatusChanges(changes: NewStatusChange[]): Promise<StatusChangeRecord[]>;
  /**
   * The last `window` values of every active indicator and the targets around them, in two queries:
   * enough to evaluate each indicator's latest period (evaluate-statuses over large registers).
   */
  recentHistories(window: number, indicatorIds?: number[]): Promise<Map<number, { observations: ValueRecord[]; targets: TargetRecord[] }>>;
  /** Whether any status change was ever recorded (none: the next evaluation is the baseline). */
  hasStatusChanges(): Promise<boolean>;

  /** Incremental evaluation: what the last run saw, the changes since, and the active indicators' cadences. */
  evaluationState(): Promise<EvaluationState | null>;
  changedIndicators(): Promise<IndicatorChange[]>;
  indicatorCadences(): Promise<Cadence[]>;
  /** The active indicators with one of these cadences. */
  indicatorIdsWithCadence(cadences: Cadence[]): Promise<number[]>;
  /** The active indicators with a current value for a period that began after `after` and by `upTo`. */
  indicatorIdsWithValuesBegun(after: LocalDate, upTo: LocalDate): Promise<number[]>;
  /** A run is done: the changes it saw are forgotten (unless changed again meanwhile) and its state kept. */
  finishEvaluation(o: { at: Date; full: boolean; settings: string; seen: IndicatorChange[] }): Promise<void>;
  channelSubscriptions(filter?: { platform?: PlatformName; channelId?: string }): Promise<SubscriptionRecord[]>;
  /** Subscribe a channel (one subscription per channel and scope: a second one replaces the events). */
  subscribe(sub: NewSubscription): Promise<'created' | 'updated' | 'unchanged'>;
  /** Remove a channel's subscription for a scope; false when there was none. */
  unsubscribe(platform: PlatformName, channelId: string, scope: { themeId: number | null; indicatorId: number | null }): Promise<boolean>;
  /** Reminders sent of a kind for these indicators (all periods), leaving out those whose message was given up or had nobody to go to. */
  reminders(kind: ReminderKind, indicatorIds: number[]): Promise<ReminderRecord[]>;
  /** The people sent a reminder of any kind on or after a day (leaving out reminders whose message was given up or had nobody to go to). */
  peopleRemindedSince(since: LocalDate): Promise<Set<number>>;
  /** Record reminders; a (kind, indicator, period, day) already recorded is skipped. Returns how many were new. */
  recordReminders(rows: ReminderRecord[]): Promise<number>;

  /** Silence alerts for an indicator until a time. */
  snooze(indicatorId: number, until: Date, byId: number | null): Promise<void>;
  /** Indicators whose alerts are snoozed at this instant. */
  snoozedIndicatorIds(now: Date): Promise<Set<number>>;

  audit(entry: AuditEntry): Promise<void>;

  /** Note an event a platform delivered (by its id): true the first time, false for a repeat (a retry, another process got it first). */
  recordInboundEvent(id: string, at: Date): Promise<boolean>;

  /** Write a validated register (import, demo) in one transaction; a dry run rolls back and says what would change. */
  writeRegister(register: Register, opts: WriteOptions): Promise<WriteSummary>;
}
