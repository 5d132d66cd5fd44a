// What both risk stores (Prisma and memory) agree on: which review is current, when a review repeats
// it, and when a risk row from a sheet changes the stored risk.
import type { NewRiskReview, RiskAssessment, RiskFields, RiskRecord, RiskReviewRecord } from '../ports.ts';

/** Newest first: the later day, then the later entry. */
export const reviewOrder = (a: RiskReviewRecord, b: RiskReviewRecord): number => (a.reviewedOn === b.reviewedOn ? b.id - a.id : a.reviewedOn < b.reviewedOn ? 1 : -1);

/** The latest review and the one before it. */
export function latestTwo(reviews: RiskReviewRecord[]): { latest: RiskReviewRecord | null; previous: RiskReviewRecord | null } {
  const sorted = [...reviews].sort(reviewOrder);
  return { latest: sorted[0] ?? null, previous: sorted[1] ?? null };
}

/** A review that says what the latest review of the same day says. */
export const sameReview = (current: RiskReviewRecord, r: NewRiskReview): boolean =>
  current.reviewedOn === r.reviewedOn && current.likelihood === r.likelihood && current.impact === r.impact && current.commentary === r.commentary;

const sameAssessment = (a: RiskAssessment | null, b: RiskAssessment | null) => (a === null ? b === null : b !== null && a.likelihood === b.likelihood && a.impact === b.impact);
const ids = (xs: number[]) => [...new Set(xs)].sort((x, y) => x - y).join(',');

/** Whether a sheet's row changes the stored risk. */
export function riskChanged(found: RiskRecord, r: RiskFields): boolean {
  const same =
    found.title === r.title &&
    found.description === r.description &&
    found.themeId === r.themeId &&
    found.ownerId === r.ownerId &&
    found.deputyId === r.deputyId &&
    found.controls === r.controls &&
    sameAssessment(found.inherent, r.inherent) &&
    sameAssessment(found.target, r.target) &&
    found.reviewMonths === r.reviewMonths &&
    found.active === r.active &&
    ids(found.actionIds) === ids(r.actionIds) &&
    ids(found.indicatorIds) === ids(r.indicatorIds);
  return !same;
}
