// Typed errors. A UserError carries the text the person sees; anything else is a bug and is
// reported as "something went wrong" with the detail in the log only.

export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(
    message: string,
    /** Optional usage line or hint shown under the message. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Input that failed validation. `fields` maps a form field id to its message (for modal errors). */
export class ValidationError extends UserError {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
    hint?: string,
  ) {
    super(message, hint);
  }
}

export class PermissionError extends UserError {
  override readonly name: string = 'PermissionError';
}

/**
 * The person asking is not in the indicator register — or is, but their chat account is not linked
 * to their register person yet: then the platform knows why (Actor.held), and says that instead.
 */
export class NotInRegisterError extends PermissionError {
  override readonly name: string = 'NotInRegisterError';
}

export class NotFoundError extends UserError {
  override readonly name = 'NotFoundError';
}

/** The database is in a state the app must not run against (behind on migrations, locked). */
export class StartupError extends UserError {
  override readonly name = 'StartupError';
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** Someone else changed the record first (e.g. two corrections of the same value at once). */
export class ConflictError extends UserError {
  override readonly name = 'ConflictError';
}

/** A value for a period signed off while it was being saved (or without the reason a signed-off period needs). */
export class LockedPeriodSaveError extends UserError {
  override readonly name = 'LockedPeriodSaveError';
}
