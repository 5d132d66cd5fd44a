// Who may do what. One place, so the permission matrix test covers every rule.
import type { IndicatorRecord, PersonRecord, ThemeOwned } from '../ports.ts';
import { NotInRegisterError, PermissionError } from '../errors.ts';

export type Permission =
  | 'submit'
  | 'correct'
  | 'correct-locked'
  | 'close-quarter'
  | 'approve-exception'
  | 'write-exception'
  | 'import'
  | 'report'
  | 'subscribe'
  | 'settings'
  | 'people'
  | 'not-collected'
  | 'api-tokens'
  | 'show'
  | 'list';

export const isAdmin = (p: PersonRecord | null): boolean => p?.role === 'admin' && p.active;

/** Owner, deputy and performance admins may submit and correct values for an indicator. */
/** What a person owns under a theme (an action, a risk): its owner, deputy, the theme's director and performance admins may act on it. */
export function canActOnOwned(p: PersonRecord | null, x: Pick<ThemeOwned, 'ownerId' | 'deputyId' | 'directorId'>): boolean {
  if (!p || !p.active) return false;
  return isAdmin(p) || x.ownerId === p.id || x.deputyId === p.id || (x.directorId !== null && x.directorId === p.id);
}

export function canSubmit(p: PersonRecord | null, ind: IndicatorRecord): boolean {
  if (!p || !p.active) return false;
  return isAdmin(p) || ind.ownerId === p.id || ind.deputyId === p.id;
}

export function can(p: PersonRecord | null, action: Permission, ind?: IndicatorRecord): boolean {
  switch (action) {
    case 'show':
    case 'list':
      // Indicators are published performance information: anyone in the workspace may look.
      return true;
    case 'submit':
    case 'correct':
    case 'write-exception':
      return ind ? canSubmit(p, ind) : false;
    case 'correct-locked':
    case 'close-quarter':
    case 'approve-exception':
    case 'import':
    case 'report':
    case 'subscribe':
    case 'settings':
    case 'people':
    case 'not-collected':
    case 'api-tokens':
      return isAdmin(p);
  }
}

const ADMIN_VERBS: Partial<Record<Permission, string>> = {
  settings: 'change the organisation’s settings',
  people: 'see how the bot reaches people',
  subscribe: 'choose where alerts go',
  'not-collected': 'mark periods not collected',
  'api-tokens': 'make, list or revoke API tokens',
};

export function ensureAllowed(p: PersonRecord | null, action: Permission, ind?: IndicatorRecord, ownerName?: string): void {
  if (can(p, action, ind)) return;
  if (!p) {
    throw new NotInRegisterError(
      'You are not in the indicator register yet, so I cannot let you change anything. Ask your performance team to add you (with your email address).',
    );
  }
  switch (action) {
    case 'submit':
    case 'correct':
    case 'write-exception':
      throw new PermissionError(
        `Sorry, only the owner${ownerName ? ` (${ownerName})` : ''}, their deputy or a performance admin can ${action === 'write-exception' ? 'write the exception report for' : 'submit values for'} ${ind ? `\`${ind.slug}\`` : 'this indicator'}.`,
      );
    case 'correct-locked':
      throw new PermissionError('That period has been signed off. Only a performance admin can correct it, with a reason.');
    default:
      throw new PermissionError(`Sorry, only performance admins can ${ADMIN_VERBS[action] ?? action.replace('-', ' ')}.`);
  }
}
