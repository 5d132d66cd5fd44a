// The organisation and what everything shares: the clock, its settings, the platforms it runs on, the audit trail.
import type { DotBasis, LocalDate, MaintainedBand, Tolerance } from '../domain/types.ts';
import type { RiskBand } from '../domain/risks.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A chat platform's name as the registry gives it (src/platforms/index.ts; the console is 'console').
 * Text, not a list here: a new platform is a folder and a registry line, nothing in the ports.
 */
export type PlatformName = string;

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
  /**
   * Go-live: the key of the first period whose values are collected (`2017/18 Q3`); periods of any
   * frequency ending before it starts are never chased. Null: not set yet — the first chase records
   * the most recent quarter that has ended (src/domain/collection.ts, src/services/go-live.ts).
   */
  collectFrom?: string | null;
  /** The day collection from `collectFrom` began (set with it): reminders and escalation count from no earlier. */
  collectingSince?: LocalDate | null;
  /** Whose bank holidays are not working days for chases (England and Wales unless set). */
  bankHolidays?: BankHolidays;
  /** How action progress is printed: Cheshire West's six categories (`plan`, the default) or Halton's green/amber/red key (`colours`). */
  actionProgress?: ActionProgressStyle;
  /**
   * A period whose value is not in yet is judged on the latest value of its financial year, marked as
   * that period's (as councils report); off: "in measurement". Unset: on.
   */
  latestAvailable?: boolean;
  /** The word the organisation uses for an action ("action", "milestone", "commitment"…); "action" unless set. */
  actionWord?: string;
  /** Risks: likelihood and impact are each scored 1…riskScale (5 unless set). */
  riskScale?: number;
  /** Risk rating bands rising from 1 (src/domain/risks.ts); null: the scale's default bands. */
  riskBands?: RiskBand[] | null;
  /** Risk appetite: the highest score tolerated (a risk above it is escalated); null: below the third band. */
  riskAppetite?: number | null;
  /** The commentary's sections, in order (src/domain/commentary.ts: the default, or a council's preset). */
  commentarySections?: string[];
  /** Print the author's initials after each paragraph of commentary (Halton). */
  commentaryInitials?: boolean;
  /** Our own area code in comparator data (Trafford: E08000009); null: not set, nothing is ranked. */
  comparatorArea?: string | null;
  /** The comparator group we are ranked in unless another is named ("our group"); null: not set. */
  comparatorGroup?: string | null;
}

export type ActionProgressStyle = 'plan' | 'colours';

/** The nations whose bank holidays differ (src/services/holidays.ts), or weekends only. */
export type BankHolidays = 'england-and-wales' | 'scotland' | 'northern-ireland' | 'none';

export interface AuditEntry {
  at: Date;
  actorId: number | null;
  actorLabel: string;
  action: string;
  entity: string;
  entityId?: string | null;
  details?: unknown;
}
