// Ports: what commands/ and jobs/ need from the outside world, as plain TypeScript interfaces.
// Implementations live in src/repo (Prisma), src/charts (chart.js), src/platforms/* and src/outbox.
import type {
  Aggregation,
  DotBasis,
  Frequency,
  LocalDate,
  MaintainedBand,
  Polarity,
  Status,
  Direction,
  Tolerance,
} from './domain/types.ts';
import type { ChartRenderer } from './charts/spec.ts';
import type { Message } from './messages/types.ts';
import type { Logger } from './log.ts';
import type { Register, WriteOptions, WriteSummary } from './register/types.ts';

export type { ChartRenderer };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type Role = 'officer' | 'director' | 'admin';
/**
 * A chat platform's name as the registry gives it (src/platforms/index.ts; the console is 'console').
 * Text, not a list here: a new platform is a folder and a registry line, nothing in the ports.
 */
export type PlatformName = string;
export type ExceptionState = 'draft' | 'submitted' | 'returned' | 'approved';

export interface PersonRecord {
  id: number;
  displayName: string;
  email: string | null;
  /** The person's user id on each chat platform they are linked on (Slack U…, Teams Entra object id). */
  identities: Partial<Record<PlatformName, string>>;
  role: Role;
  deputyId: number | null;
  absentUntil: LocalDate | null;
  active: boolean;
}

export interface ThemeRecord {
  id: number;
  name: string;
  slug: string;
  kind: string;
  directorId: number | null;
}

export interface IndicatorRecord {
  id: number;
  ref: string | null;
  slug: string;
  name: string;
  definition: string | null;
  themeId: number | null;
  themeName: string | null;
  ownerId: number | null;
  deputyId: number | null;
  /** The theme's director. */
  directorId: number | null;
  unit: string;
  polarity: Polarity;
  frequency: Frequency;
  reportingLagDays: number;
  aggregation: Aggregation;
  tolerance: Tolerance | null;
  /** Null: the organisation's default basis. */
  dotBasis: DotBasis | null;
  /** Null: the organisation's default "maintained" band. */
  maintainedBand: MaintainedBand | null;
  decimals: number;
  isKey: boolean;
  active: boolean;
  baseline: { value: number | null; period: string | null; text: string | null };
}

export interface ObservationRecord {
  id: number;
  indicatorId: number;
  periodKey: string;
  version: number;
  value: number;
  estimated: boolean;
  provisional: boolean;
  note: string | null;
  assessedStatus: Status | null;
  source: string;
  submittedById: number | null;
  submittedByLabel: string | null;
  submittedAt: Date;
  correctionReason: string | null;
}

/** What evaluating and charting an indicator read of an observation. */
export type ValueRecord = Pick<ObservationRecord, 'periodKey' | 'value' | 'estimated' | 'provisional' | 'assessedStatus'>;

export interface TargetRecord {
  indicatorId: number;
  periodKey: string;
  value: number | null;
  amberFloor: number | null;
  text: string | null;
}

export interface OrgSettings {
  name: string;
  fyStartMonth: number;
  tolerance: Tolerance;
  /** Direction of travel for indicators that set no basis (parse what people type with src/services/direction-settings.ts). */
  dotBasis: DotBasis;
  /** "Maintained" for indicators that set no band of their own. */
  maintainedBand: MaintainedBand;
  exceptionQuestions: string[];
  exceptionForAmber: boolean;
  alertOnDeclining: boolean;
  /** Working days after the due date on which to remind. */
  chaseCadence: number[];
  escalateAfter: number;
  timeZone: string;
  /** The date the bot's clock shows instead of today's (the demo organisation runs on 15 January 2018); null: today. */
  demoToday?: LocalDate | null;
}

export interface NewObservation {
  indicatorId: number;
  periodKey: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  value: number;
  estimated: boolean;
  provisional: boolean;
  note: string | null;
  assessedStatus?: Status | null;
  source: string;
  submittedById: number | null;
  submittedByLabel: string;
  submittedAt: Date;
  /** For a correction: the version being replaced (optimistic check); null when none is expected. */
  replacesVersion: number | null;
  /**
   * Why a value changes. The save itself checks, in its transaction, that the submitter may submit
   * for the indicator and that a signed-off period gets a value only from a performance admin with a
   * reason (audited as observation.correct-locked).
   */
  correctionReason?: string | null;
}

export interface ExceptionReportRecord {
  id: number;
  indicatorId: number;
  periodKey: string;
  questions: string[];
  answers: string[];
  state: ExceptionState;
  authorId: number | null;
  reviewerId: number | null;
  reviewComment: string | null;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  chaseCount: number;
  lastChasedAt: Date | null;
  updatedAt: Date;
  /** Goes up by one with every change: a write names the version it read (compare-and-set). */
  version: number;
}

export interface PeriodLockRecord {
  periodKey: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  closedAt: Date;
  closedById: number | null;
}

export interface StatusChangeRecord {
  id: number;
  indicatorId: number;
  periodKey: string;
  previousStatus: Status | null;
  status: Status;
  previousDirection: Direction | null;
  direction: Direction | null;
  value: number | null;
  /** The target that applied (null: none, or recorded before targets were kept). */
  target: number | null;
  /** The year-end forecast missed its target (null: no forecast, or recorded before forecasts were kept). */
  forecastMiss: boolean | null;
  explanation: string;
  observedAt: Date;
}

export interface NewStatusChange {
  indicatorId: number;
  periodKey: string;
  /** Unique per indicator: a retry or an overlapping run computing the same transition finds it taken. */
  transitionKey: string;
  previousStatus: Status | null;
  status: Status;
  previousDirection: Direction | null;
  direction: Direction | null;
  value: number | null;
  /** Null or absent: none. */
  target?: number | null;
  /** Null or absent: no forecast. */
  forecastMiss?: boolean | null;
  explanation: string;
  observedAt: Date;
}

/** What a channel can be told about; none chosen: what the organisation alerts on (see alertEvents). */
export type AlertEvent = 'red' | 'declining' | 'recovered' | 'forecast';

export interface SubscriptionRecord {
  platform: PlatformName;
  channelId: string;
  themeId: number | null;
  indicatorId: number | null;
  /** Empty: the organisation's default (turned red, and declining when it alerts on declining). */
  events: AlertEvent[];
  channelName: string | null;
}

export interface NewSubscription extends SubscriptionRecord {
  createdById: number | null;
}

/** How a person was linked to a platform user. */
export type LinkedBy = 'import' | 'first-contact' | 'lookup' | 'roster' | 'install' | 'cli' | 'migration';

export type LookupOutcome = 'found' | 'not_found' | 'failed';

export interface IdentityLookupRecord {
  personId: number;
  platform: PlatformName;
  outcome: LookupOutcome | null;
  detail: string | null;
  lookedUpAt: Date | null;
  reportedAt: Date | null;
}

/** The last message the bot tried to send a person, and how it went. */
export interface DeliveryRecord {
  personId: number;
  platform: PlatformName | null;
  state: 'pending' | 'sent' | 'dead' | 'undeliverable';
  purpose: string;
  at: Date;
  error: string | null;
}

export type ReminderKind = 'data' | 'exception';

export interface ReminderRecord {
  kind: ReminderKind;
  indicatorId: number;
  periodKey: string;
  personId: number;
  /** 0 owner (or the deputy standing in), 1 escalated to the deputy, 2 escalated to the director. */
  level: number;
  sentOn: LocalDate;
  /** The outbox message that carried it. */
  messageKey?: string | null;
}

export interface AuditEntry {
  at: Date;
  actorId: number | null;
  actorLabel: string;
  action: string;
  entity: string;
  entityId?: string | null;
  details?: unknown;
}

export interface IndicatorFilter {
  themeId?: number;
  /** Owner or deputy. */
  personId?: number;
  /** Indicators in themes this director is accountable for. */
  directorId?: number;
  activeOnly?: boolean;
  /** Only these indicators. */
  ids?: number[];
}

/** What evaluate-statuses saw on its last run (incremental evaluation: src/services/incremental.ts). */
export interface EvaluationState {
  /** The time the last run evaluated as of. */
  lastRunAt: Date;
  /** The time of the last run that evaluated every indicator. */
  lastFullAt: Date;
  /** The organisation's settings it evaluated with (a fingerprint: any change evaluates everything). */
  settings: string;
}

/**
 * An indicator whose values, targets or own settings changed since evaluate-statuses last looked,
 * as recorded by the database itself (triggers on observation, target and indicator). `mark` tells
 * one change from a later one: a change made while a run is under way is not taken as seen.
 */
export interface IndicatorChange {
  indicatorId: number;
  mark: string;
}

/** A reporting cadence: indicators with the same frequency and lag fall due on the same days. */
export interface Cadence {
  frequency: Frequency;
  reportingLagDays: number;
}

/** Everything the command handlers and jobs read and write. */
export interface Repository {
  org(): Promise<OrgSettings>;
  updateOrg(patch: Partial<OrgSettings>): Promise<OrgSettings>;

  person(id: number): Promise<PersonRecord | null>;
  people(filter?: { role?: Role; ids?: number[] }): Promise<PersonRecord[]>;
  personByPlatformUser(platform: PlatformName, userId: string): Promise<PersonRecord | null>;
  personByEmail(email: string): Promise<PersonRecord | null>;
  /**
   * Link a platform user id to a person (first contact by e-mail, a lookup, a roster, an install).
   * Race-free: two requests linking the same user at once both succeed. `conflict` when the person
   * is already linked to another user on that platform, or the user to another person (nothing changes).
   */
  linkPlatformUser(personId: number, platform: PlatformName, userId: string, how?: { linkedBy: LinkedBy; at: Date }): Promise<'linked' | 'already' | 'conflict'>;
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
  /** Save a value (a new version when the period has one). Throws ConflictError when `replacesVersion` is stale. */
  saveObservation(obs: NewObservation): Promise<ObservationRecord>;

  periodLocks(): Promise<PeriodLockRecord[]>;
  /** The lock covering a period (by dates), if any. */
  lockCovering(periodStart: LocalDate, periodEnd: LocalDate): Promise<PeriodLockRecord | null>;
  /** Sign off a period (audited as period.close). `created` is false when it was already signed off (nothing changes). */
  closePeriod(lock: { periodKey: string; periodStart: LocalDate; periodEnd: LocalDate; closedById: number | null; actorLabel: string; at: Date }): Promise<{ lock: PeriodLockRecord; created: boolean }>;

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
      Partial<Pick<ExceptionReportRecord, 'reviewerId' | 'reviewComment' | 'submittedAt' | 'reviewedAt'>>,
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

/** Messages to other people and channels go through the outbox (src/outbox). */
export type Recipient =
  | { kind: 'person'; personId: number }
  | { kind: 'channel'; platform: PlatformName; channelId: string };

export interface OutboxItem {
  /** Unique for the lifetime of the database: e.g. `chase-data:2025-10-06:person:12`. */
  key: string;
  /** What it is for (logs, tests, the digest): alert, alert-update, chase-data, digest, exception-review… */
  purpose: string;
  to: Recipient;
  message: Message;
  /** post a new message (default), update the message of `parentKey`, or reply in its thread. */
  action?: 'post' | 'update' | 'reply';
  parentKey?: string;
}

export interface Outbox {
  /** Queue a message. Returns false when a message with this key already exists (nothing queued). */
  enqueue(item: OutboxItem, now: Date): Promise<boolean>;
  /** Has a message with this key been queued (sent or not)? */
  has(key: string): Promise<boolean>;
}

/** Turns a self-contained HTML page into a PDF (src/report/pdf.ts: headless Chromium). */
export interface DocumentRenderer {
  /** A4, backgrounds printed, `footer` and page numbers at the foot of every page; the title is the page's <title>. */
  pdf(html: string, opts: { footer: string }): Promise<Uint8Array>;
}

/** Finds people on a chat platform who have never written to the bot (Slack users.lookupByEmail, a Teams roster). */
export interface PeopleFinder {
  readonly platform: PlatformName;
  /** "Slack", "Microsoft Teams": for sentences about where someone was not found. */
  readonly label: string;
  /** The platform user with this e-mail address, or null when there is none. Throws when the platform cannot answer. */
  findByEmail(email: string): Promise<string | null>;
  /** Why someone with this e-mail was not found, in a few words ("no Slack member has the e-mail …"). */
  notFound(email: string): string;
}

/** What a platform can do about a channel someone subscribes to alerts. */
export interface ChannelAccess {
  readonly platform: PlatformName;
  /** Make sure the bot can post there (a public Slack channel is joined); a refusal says what to do, in the platform's words. */
  prepare(channelId: string): Promise<{ ok: true; name: string | null } | { ok: false; reason: string }>;
  /** The channel's name for lists, when the platform says. */
  nameOf(channelId: string): Promise<string | null>;
}

export interface SyncResult {
  platform: PlatformName;
  label: string;
  /** Already linked before this sync. */
  linked: number;
  found: PersonRecord[];
  notFound: { person: PersonRecord; reason: string }[];
  failed: { person: PersonRecord; reason: string }[];
}

export type Reachability = { ok: true; platform: PlatformName; userId: string } | { ok: false; reason: string };

/** Where people are reached: their platform links, or a lookup by e-mail the first time a job needs them. */
export interface Directory {
  /** The chat platforms this deployment delivers on, in order of preference. */
  readonly platforms: readonly PlatformName[];
  /**
   * Where a person can be reached now. Someone not linked on any platform is looked up by e-mail
   * (at most once a day when not found; one process at a time). `force` asks again now (kpi people sync).
   */
  reach(person: PersonRecord, now: Date, opts?: { force?: boolean }): Promise<Reachability>;
  /**
   * Look everyone not yet linked on each platform up by e-mail (`kpi people sync`, `/kpi people sync`):
   * per platform, who was found, not found, or could not be asked. `force` asks again about recent not-founds.
   */
  sync(people: PersonRecord[], now: Date, opts?: { force?: boolean }): Promise<SyncResult[]>;
  /** Why a person cannot be reached, from what is already known (no lookup): null when they can be, or it is not known yet. */
  known(person: PersonRecord, lookups: IdentityLookupRecord[], last: DeliveryRecord | undefined): string | null;
}

/** Services every command handler gets. */
export interface CommandDeps {
  repo: Repository;
  clock: Clock;
  charts: ChartRenderer;
  documents: DocumentRenderer;
  outbox: Outbox;
  log: Logger;
  directory: Directory;
  /** Per platform: joining and naming channels (for subscriptions). */
  channels: Partial<Record<PlatformName, ChannelAccess>>;
}

/** Jobs get the same services; the time they run "as of" is passed to each run. */
export type JobDeps = CommandDeps;

/** What a job run did, for logs, the job_run table and the CLI. */
export interface JobSummary {
  [key: string]: number | string | string[];
}

/** A file a person sent (a form's file field, a file shared with the bot): the platform downloads it on request. */
export interface IncomingFile {
  name: string;
  /** Bytes, when the platform says; null when unknown. */
  size: number | null;
  read(): Promise<Uint8Array>;
}

/** Who is asking, from which platform. */
export interface Actor {
  platform: PlatformName;
  /** The platform's id for the user (Slack U…, Teams AAD id, console user name). */
  userId: string;
  /** The person record, when this platform user is linked to one. */
  person: PersonRecord | null;
  /** Where the command was typed, when known. */
  channelId?: string;
}

/** Delivers a neutral message now (used by the outbox dispatcher; jobs enqueue instead). */
export interface MessageTarget {
  kind: 'channel' | 'person';
  /** Channel id, or the person's platform user id. */
  id: string;
}

export interface SentMessage {
  messageId: string;
  channel: string;
}

/** How far a post delivered in parts got: its text (the platform's message), then this many charts or files. */
export interface PostProgress {
  sent: SentMessage;
  parts: number;
}

export interface PostOptions {
  threadOf?: SentMessage;
  /** The outbox key, carried in the post where the platform allows (Slack message metadata). */
  key?: string;
  /** What an earlier attempt already delivered: only the rest is sent. */
  resume?: PostProgress | null;
  /** After each part is delivered; resolves once that is recorded. Throws to stop sending. */
  progress?: (p: PostProgress) => Promise<void>;
  /** Before each call to the platform; throws when the sender may no longer send. */
  guard?: () => void;
  /** An earlier attempt may have posted it (it timed out or its answer was lost): look for it before posting. */
  outcomeUnknown?: boolean;
}

/**
 * What a failed post or update means, read by the platform's own messenger (only it knows its
 * error codes): wait and send again, give up, or try again later — and whether the platform may
 * have done the work anyway (the next attempt then looks for the post before making it again).
 */
export type DeliveryFailure =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'permanent' }
  | { kind: 'transient'; outcomeUnknown: boolean };

export interface Messenger {
  readonly platform: PlatformName;
  post(target: MessageTarget, message: Message, opts?: PostOptions): Promise<SentMessage>;
  update(sent: SentMessage, message: Message): Promise<void>;
  /** What an error thrown by post or update means for the outbox. */
  classify(e: unknown): DeliveryFailure;
}

// ---- What a chat transport keeps in the database (src/repo/transport-stores.ts) ----
// Plain rows: each transport reads and checks its own JSON (zod), the database only keeps it.

/** How a transport reaches a person or a channel nobody has just written to, per platform and key. */
export interface ConversationReferences {
  /** Keep the newest reference; `ifAbsent` keeps one already stored. */
  save(platform: PlatformName, key: string, reference: object, personId: number | null, opts?: { ifAbsent?: boolean }): Promise<void>;
  get(platform: PlatformName, key: string): Promise<unknown>;
  /** Every reference whose key starts with `prefix`, oldest first. */
  list(platform: PlatformName, prefix: string): Promise<unknown[]>;
  /** The reference most recently saved whose JSON field `field` is `value`. */
  latestWith(platform: PlatformName, field: string, value: string): Promise<unknown>;
}

export interface HostedFileRow {
  /** 128 random bits, base64url: the only key to it. */
  id: string;
  kind: 'chart' | 'file';
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  altText: string | null;
  createdAt: Date;
}

/** Charts and files a transport serves itself (Teams cards link to them). */
export interface HostedFileStore {
  put(file: HostedFileRow): Promise<void>;
  get(id: string): Promise<HostedFileRow | null>;
  /** Remove files (not charts) stored before `cutoff`. */
  deleteFilesBefore(cutoff: Date): Promise<void>;
}

export interface StoredFormRow {
  id: string;
  /** Who may submit it (their platform id), or null for anyone in the conversation. */
  audience: string | null;
  form: unknown;
  values: unknown;
  pages: unknown;
  createdAt: Date;
  expiresAt: Date;
}

/** Forms kept server-side while they are open in a chat (Teams cards carry only the row's id). */
export interface StoredFormStore {
  create(row: StoredFormRow): Promise<void>;
  get(id: string): Promise<StoredFormRow | null>;
  update(id: string, data: { values: object; pages: unknown[] }): Promise<void>;
  delete(id: string): Promise<void>;
  deleteExpired(now: Date): Promise<void>;
}

export interface TransportStores {
  references: ConversationReferences;
  hostedFiles: HostedFileStore;
  forms: StoredFormStore;
}
