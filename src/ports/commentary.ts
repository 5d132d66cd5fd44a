// Attributed commentary: a quarter's narrative per theme (its director's) and for the whole report
// (the performance team's), in the organisation's sections, every version kept — who, when, the text,
// draft or submitted (src/domain/commentary.ts reads them).
import type { CommentarySection, CommentaryState } from '../domain/commentary.ts';
import type { LocalDate } from '../domain/types.ts';
import type { AuditEntry } from './organisation.ts';

export interface CommentaryRecord {
  id: number;
  /** Null: the whole report's. */
  themeId: number | null;
  periodKey: string;
  version: number;
  sections: CommentarySection[];
  state: CommentaryState;
  authorId: number | null;
  /** chat:<platform>, demo. */
  source: string;
  createdAt: Date;
}

export interface NewCommentary {
  themeId: number | null;
  periodKey: string;
  sections: CommentarySection[];
  state: CommentaryState;
  authorId: number | null;
  source: string;
  at: Date;
}

/** A quarter's commentary asked for (jobs/chase-actions.ts): one per scope, quarter and day. */
export interface CommentaryReminderRecord {
  themeId: number | null;
  periodKey: string;
  personId: number | null;
  /** 0 the director (or the deputy standing in), 1 the director's deputy, 2 the performance team. */
  level: number;
  sentOn: LocalDate;
}

/** The commentary store: the Prisma repository's and the memory repository's `commentary`. */
export interface CommentaryStore {
  /**
   * The current (newest) version of every scope's commentary for a quarter, in theme id order (the whole
   * report's, themeId null, first); `submitted`: the newest submitted version of each (what the report prints).
   */
  forQuarter(periodKey: string, opts?: { submitted?: boolean }): Promise<CommentaryRecord[]>;
  /** Every version of one scope's commentary for a quarter, newest first. */
  versions(periodKey: string, themeId: number | null): Promise<CommentaryRecord[]>;
  /**
   * Save a version. The same sections and state as the current version: nothing is written and the
   * current one is returned with `created` false. Audited (commentary.save / commentary.submit) in
   * the same transaction.
   */
  save(c: NewCommentary, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ commentary: CommentaryRecord; created: boolean }>;
  /** Reminders sent for a quarter's commentary, oldest first. */
  reminders(periodKey: string): Promise<CommentaryReminderRecord[]>;
  /** Record reminders; one already recorded for its scope, quarter and day is skipped. Returns how many were new. */
  recordReminders(rows: CommentaryReminderRecord[]): Promise<number>;
}
