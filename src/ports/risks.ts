// Risks: the council's risk register, each risk scored likelihood × impact on the organisation's scale
// (src/domain/risks.ts), inherent, current (its latest review) and target, with the actions mitigating
// it, the indicators watching it, and every review kept.
import type { ThemeOwned } from './people.ts';
import type { LocalDate } from '../domain/types.ts';
import type { AuditEntry } from './organisation.ts';

/** A likelihood and an impact, each on the organisation's scale. */
export interface RiskAssessment {
  likelihood: number;
  impact: number;
}

export interface RiskReviewRecord extends RiskAssessment {
  id: number;
  riskId: number;
  reviewedOn: LocalDate;
  commentary: string;
  authorId: number | null;
  /** chat:<platform>, import:<file>, demo. */
  source: string;
  createdAt: Date;
}

export interface RiskRecord extends ThemeOwned {
  id: number;
  ref: string;
  title: string;
  description: string | null;
  controls: string | null;
  /** Before controls. */
  inherent: RiskAssessment | null;
  /** Where the council means to bring it. */
  target: RiskAssessment | null;
  /** How often it is reviewed, in months. */
  reviewMonths: number;
  active: boolean;
  /** The day it was entered (its first review falls due a review period after, when it has none). */
  createdOn: LocalDate;
  /** The mitigating actions. */
  actionIds: number[];
  indicatorIds: number[];
  /** The latest review (the current assessment); null when never reviewed. */
  latest: RiskReviewRecord | null;
  /** The review before it, for the trend. */
  previous: RiskReviewRecord | null;
}

export interface RiskFilter {
  themeId?: number;
  /** Owner or deputy. */
  personId?: number;
  /** Risks in themes this director is accountable for. */
  directorId?: number;
  indicatorId?: number;
  actionId?: number;
  activeOnly?: boolean;
  ids?: number[];
}

/** A risk as a register sheet gives it (people, theme, actions and indicators as ids). */
export interface RiskFields {
  ref: string;
  title: string;
  description: string | null;
  themeId: number | null;
  ownerId: number | null;
  deputyId: number | null;
  controls: string | null;
  inherent: RiskAssessment | null;
  target: RiskAssessment | null;
  reviewMonths: number;
  active: boolean;
  actionIds: number[];
  indicatorIds: number[];
}

export interface NewRiskReview extends RiskAssessment {
  riskId: number;
  reviewedOn: LocalDate;
  commentary: string;
  authorId: number | null;
  source: string;
  at: Date;
}

/** A review asked for (jobs/chase-risks): one per risk, due date and day. */
export interface RiskReminderRecord {
  riskId: number;
  /** The day the review fell due: the chase of one review cycle. */
  dueOn: LocalDate;
  personId: number | null;
  /** 0 the owner (or the deputy standing in), 1 the deputy, 2 the director. */
  level: number;
  sentOn: LocalDate;
}

export type RiskAudit = Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>;

/** The risks store: the Prisma repository's and the memory repository's `risks`. */
export interface RiskStore {
  /** By ref. */
  list(filter?: RiskFilter): Promise<RiskRecord[]>;
  byRef(ref: string): Promise<RiskRecord | null>;
  /** Every review of these risks: by risk, newest first. */
  reviews(riskIds: number[]): Promise<RiskReviewRecord[]>;
  /**
   * Record a review. One that says what the risk's latest review of the same day says (likelihood,
   * impact, commentary: a button pressed twice, an import run again) writes nothing and returns it with
   * `created` false. Audited (risk.review) in the same transaction.
   */
  saveReview(r: NewRiskReview, audit: RiskAudit): Promise<{ review: RiskReviewRecord; created: boolean }>;
  /** Reminders sent for these risks' reviews due on a day, oldest first. */
  reminders(riskIds: number[], dueOn: LocalDate): Promise<RiskReminderRecord[]>;
  /** Record reminders; one already recorded for its risk, due date and day is skipped. Returns how many were new. */
  recordReminders(rows: RiskReminderRecord[]): Promise<number>;
  /** Create or change risks by ref (an import); each unchanged one is left untouched. */
  upsert(risks: RiskFields[], at: Date): Promise<{ created: number; updated: number; unchanged: number; ids: Map<string, number> }>;
}
