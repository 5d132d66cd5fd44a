// Exception reports: the explanation an owner writes for a red (or amber) indicator, and its review.
import type { Status } from '../domain/types.ts';

/** needs_update: approved, then the value or status it explains changed (src/services/exception-states.ts). */
export type ExceptionState = 'draft' | 'submitted' | 'returned' | 'approved' | 'needs_update';

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
  /** The value and status of the period the report was approved for (null: not known, e.g. an import's report has no status). */
  approvedValue: number | null;
  approvedStatus: Status | null;
  /** Goes up by one with every change: a write names the version it read (compare-and-set). */
  version: number;
}
