// Which register person a People sheet row is. A person is matched by the e-mail or the confirmed
// chat user id the register already has for them; an address that changed is an edit of that person,
// never a second one — when the row says so (a "Previous email" column), or when its name is that of
// exactly one person whose address no chat platform ever confirmed (a typo nobody could be found
// by). Anything less certain is a problem for the performance team to settle, not a guess. A user id
// in the row is kept only when no platform confirmed it as someone else's (or this person as someone
// else): the writer stores it unconfirmed until its platform says it is theirs.
import { isChatPlatform, platformLabel } from '../catalogue/platforms.ts';

/** A person as the register holds them, for matching rows against. */
export interface KnownPerson {
  id: number;
  email: string | null;
  displayName: string;
  /** Confirmed platform user ids. */
  identities: Partial<Record<string, string>>;
  /** Ids from an earlier sheet that no platform has confirmed. */
  unconfirmed?: Partial<Record<string, string>>;
  active?: boolean;
  successorId?: number | null;
}

/** A People row as read. `previousEmail` "new": a new person, whatever their name. */
export interface PersonRow {
  name: string;
  email: string;
  previousEmail: string | null;
  identities: Record<string, string>;
}

export type RowMatch =
  /** Nobody in the register: a new person. */
  | { kind: 'new' }
  /** The register person with this e-mail. */
  | { kind: 'same'; person: KnownPerson }
  /** The register person whose address changes to the row's; `note` says why when the row did not name the old address. */
  | { kind: 'changed'; person: KnownPerson; note: string | null }
  /** A person retired or merged: the row is not written. */
  | { kind: 'inactive'; person: KnownPerson }
  | { kind: 'problem'; column: 'previousEmail' | 'email' | 'name'; message: string };

const label = (platform: string) => platformLabel(platform) ?? platform;
const same = (a: string | null | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** The chat platforms that confirmed this person's address (a link made by a lookup, a first message, a roster). */
export function confirmedOn(p: KnownPerson): string[] {
  return Object.keys(p.identities).filter((k) => isChatPlatform(k) && p.identities[k]);
}

/**
 * The register person a row is. `inFile`: every e-mail the file's People rows give (a register
 * person who is on another row is not a candidate for a name match).
 */
export function matchPersonRow(row: PersonRow, known: readonly KnownPerson[], inFile: ReadonlySet<string>): RowMatch {
  const byEmail = (e: string) => known.find((k) => same(k.email, e));
  const current = byEmail(row.email);
  const prev = row.previousEmail;
  if (prev === 'new' || (prev && same(prev, row.email))) return current ? settle(current) : { kind: 'new' };
  if (prev) {
    const old = byEmail(prev);
    if (current && old && old.id !== current.id) {
      return { kind: 'problem', column: 'previousEmail', message: `${prev} and ${row.email} are two people in the register (${old.displayName}, ${current.displayName}): if they are one person, merge them (kpi people merge ${prev} ${row.email}) rather than change an address` };
    }
    // Already changed (the same file imported again).
    if (current) return settle(current);
    if (!old) return { kind: 'problem', column: 'previousEmail', message: 'expected the address the register has for this person now; nobody in the register has it' };
    if (old.active === false) return { kind: 'problem', column: 'previousEmail', message: `${old.displayName} (${prev}) is no longer active in the register (retired, or merged into someone else)` };
    return { kind: 'changed', person: old, note: null };
  }
  if (current) return settle(current);

  // The row's chat user id, where its platform confirmed it: that person, at a new address.
  for (const [platform, id] of Object.entries(row.identities)) {
    const holder = known.find((k) => k.active !== false && k.identities[platform] === id);
    if (!holder || (holder.email && inFile.has(holder.email.toLowerCase()))) continue;
    if (!same(holder.displayName.trim(), row.name.trim())) {
      return { kind: 'problem', column: 'email', message: `the ${label(platform)} ID ${id} is ${holder.displayName}'s (${holder.email}, confirmed by ${label(platform)}): if ${holder.displayName}'s name and address changed, give ${holder.email} in a "Previous email" column; otherwise correct the ID` };
    }
    return { kind: 'changed', person: holder, note: `matched by the ${label(platform)} ID ${id}, which ${label(platform)} confirmed as theirs` };
  }

  // Their name, when it is exactly one active person's who is on no other row.
  const named = known.filter((k) => k.active !== false && k.email && !inFile.has(k.email.toLowerCase()) && same(k.displayName.trim(), row.name.trim()));
  if (!named.length) return { kind: 'new' };
  if (named.length > 1) {
    return { kind: 'problem', column: 'name', message: `expected one person of this name; the register has ${named.length} (${named.map((k) => k.email).join(', ')}): say which in a "Previous email" column (or "new" for another person)` };
  }
  const k = named[0]!;
  const on = confirmedOn(k);
  if (on.length) {
    return {
      kind: 'problem',
      column: 'email',
      message:
        `the register has ${k.displayName} as ${k.email}, which ${on.map(label).join(' and ')} confirmed, so I will not change it on a name alone: ` +
        `if their address changed, give ${k.email} in a "Previous email" column (or run kpi people edit ${k.email} --email ${row.email}); if this is another person of the same name, write "new" there`,
    };
  }
  return { kind: 'changed', person: k, note: `taken as the register's ${k.displayName} (${k.email}, an address no chat platform ever confirmed); if they are two people, write "new" in a "Previous email" column` };
}

function settle(p: KnownPerson): RowMatch {
  return p.active === false ? { kind: 'inactive', person: p } : { kind: 'same', person: p };
}

/**
 * The row's user ids that may be stored (unconfirmed) for the person it is: not one a platform
 * confirmed as someone else, and not against a confirmed id of the person's own. Why each other id
 * is left out.
 */
export function sheetIds(row: PersonRow, self: KnownPerson | null, known: readonly KnownPerson[]): { keep: Record<string, string>; dropped: string[] } {
  const keep: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [platform, id] of Object.entries(row.identities)) {
    const holder = known.find((k) => k.identities[platform] === id);
    if (holder && holder.id !== self?.id) {
      dropped.push(`the ${label(platform)} ID ${id} is ${holder.displayName}'s (${label(platform)} confirmed it), so it is not linked to ${row.name}`);
      continue;
    }
    const own = self?.identities[platform];
    if (own && own !== id) {
      dropped.push(`${label(platform)} confirmed ${own} as ${row.name}; the sheet's ${id} is ignored`);
      continue;
    }
    keep[platform] = id;
  }
  return { keep, dropped };
}
