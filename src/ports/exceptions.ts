// Exception reports: the explanation an owner writes for a red (or amber) indicator, and its review.

export type ExceptionState = 'draft' | 'submitted' | 'returned' | 'approved';

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
