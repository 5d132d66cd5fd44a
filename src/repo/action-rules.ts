// What both action stores (Prisma and memory) agree on: which update is current, when an update
// repeats the current one, and when an action row from a sheet changes the stored action.
import type { ActionFields, ActionRecord, ActionUpdateRecord, NewActionUpdate } from '../ports.ts';

/** The current update: the latest period, then its newest version. */
export function newerUpdate(u: ActionUpdateRecord, than: ActionUpdateRecord | null): boolean {
  if (!than) return true;
  if (u.periodKey !== than.periodKey) return u.periodKey > than.periodKey;
  return u.version > than.version;
}

/** An update that says what the current version says (a button pressed twice, a retried request). */
export const sameUpdate = (current: ActionUpdateRecord, u: NewActionUpdate): boolean =>
  current.progress === u.progress && current.percentComplete === u.percentComplete && current.commentary === u.commentary;

/** Whether a sheet's row changes the stored action (an original due date not given keeps the stored one). */
export function actionChanged(found: ActionRecord, a: ActionFields): boolean {
  const same =
    found.kind === a.kind &&
    found.title === a.title &&
    found.description === a.description &&
    found.themeId === a.themeId &&
    found.ownerId === a.ownerId &&
    found.deputyId === a.deputyId &&
    found.start === a.start &&
    found.due === a.due &&
    (!a.originalDue || found.originalDue === a.originalDue) &&
    (a.rephaseReason === undefined || found.rephaseReason === a.rephaseReason) &&
    found.isKey === a.isKey &&
    found.active === a.active &&
    found.indicatorIds.join(',') === [...new Set(a.indicatorIds)].sort((x, y) => x - y).join(',');
  return !same;
}
