// People: their records and platform links, looking them up by e-mail, reaching them, and who is asking.
import type { LocalDate } from '../domain/types.ts';
import type { PlatformName } from './organisation.ts';

export type Role = 'officer' | 'director' | 'admin';

export interface PersonRecord {
  id: number;
  displayName: string;
  email: string | null;
  /** The person's user id on each chat platform they are linked on (the platform's own user id: src/catalogue/<name>.ts says its form). */
  identities: Partial<Record<PlatformName, string>>;
  /**
   * User ids from a People sheet that their platform has not confirmed to be this person's yet: never
   * delivered to, never taken as the person; confirmed (they become `identities`) or replaced by
   * the person's own first contact or an e-mail lookup.
   */
  unconfirmed?: Partial<Record<PlatformName, string>>;
  role: Role;
  deputyId: number | null;
  absentUntil: LocalDate | null;
  active: boolean;
  /** For a person no longer active: who took over (merged into, or handed their work to when retired). */
  successorId?: number | null;
  /** When their personal data was erased (`kpi people erase`): present only for an erased person, whose name is then "a former officer (erased <date>)". */
  erasedAt?: Date;
}

/** A change to a person by a performance admin (`people edit`): only the fields given change. */
export interface PersonPatch {
  email?: string;
  displayName?: string;
  role?: Role;
  /** null: no deputy. */
  deputyId?: number | null;
  active?: boolean;
  /** A platform user id per platform (confirmed: an admin said so), or null to unlink them there. */
  identities?: Partial<Record<PlatformName, string | null>>;
}

/** Who changes people, and when (the audit entry). */
export interface ChangedBy {
  at: Date;
  actorId: number | null;
  actorLabel: string;
}

/** What a merge or a retirement handed from one person to another, counted. */
export interface HandOver {
  indicatorsOwned: number;
  indicatorsDeputised: number;
  /** Actions and milestones owned and deputised. */
  actionsOwned: number;
  actionsDeputised: number;
  /** Risks owned and deputised. */
  risksOwned: number;
  risksDeputised: number;
  themesDirected: number;
  /** People whose deputy they were. */
  deputyFor: number;
  /** Platform links moved to the other person (merge), or removed (retire). */
  identitiesMoved: PlatformName[];
  /** Platform links dropped because the other person is already linked there. */
  identitiesDropped: { platform: PlatformName; userId: string }[];
  /** History re-attributed (merge only): values submitted, exception reports written or reviewed, reminders. */
  values: number;
  exceptionReports: number;
  reminders: number;
}

/** Erasing a person (`kpi people erase`): who does it, why, and the words the council's record keeps instead of their name. */
export interface ErasureRequest {
  /** "a former officer (erased 15 January 2018)": their name everywhere it was. */
  label: string;
  /** Why (an erasure request, left the council): audited, with their name and address taken out. */
  reason: string;
  by: ChangedBy;
}

/** What erasing a person removed or anonymised, counted (src/services/people-admin.ts, ERASURE, says what and why). */
export interface Erasure {
  /** They had been erased before: nothing changed. */
  already: boolean;
  /** Duplicates merged into them earlier (the same person under another address), erased with them. */
  duplicates: number;
  /** Platform links, e-mail lookups and stored conversation references (deleted). */
  identities: number;
  lookups: number;
  conversationRefs: number;
  /** Forms sent to them as cards, still open (deleted). */
  openForms: number;
  /** Messages to them: emptied, and given up when not yet delivered. */
  messages: number;
  /** Indicators, actions, risks and people they were deputy for (no deputy now). */
  deputyships: number;
  /** Rows elsewhere whose text or JSON named them (by name, address or platform id), rewritten with the label. */
  mentions: number;
}

/** Everything held about a person, for a subject-access request: their record, then the rows of each table that refer to them. */
export interface PersonalData {
  person: PersonRecord;
  /** Section (what the rows are: values submitted, exception reports written…) → rows as stored. */
  sections: Record<string, Record<string, unknown>[]>;
}

/** How a person was linked to a platform user. */
export type LinkedBy = 'import' | 'first-contact' | 'lookup' | 'roster' | 'install' | 'cli' | 'admin' | 'migration';

export type LookupOutcome = 'found' | 'not_found' | 'failed';

export interface IdentityLookupRecord {
  personId: number;
  platform: PlatformName;
  outcome: LookupOutcome | null;
  detail: string | null;
  lookedUpAt: Date | null;
  reportedAt: Date | null;
}

/** The last message the bot tried to send a person, and how it went. */
export interface DeliveryRecord {
  personId: number;
  platform: PlatformName | null;
  state: 'pending' | 'sent' | 'dead' | 'undeliverable' | 'held';
  purpose: string;
  at: Date;
  error: string | null;
}

/** Finds people on a chat platform who have never written to the bot (by e-mail, through the platform's user directory or the member lists the app can see). */
export interface PeopleFinder {
  readonly platform: PlatformName;
  /** The platform's name as a sentence gives it: for sentences about where someone was not found. */
  readonly label: string;
  /** The platform user with this e-mail address, or null when there is none. Throws when the platform cannot answer. */
  findByEmail(email: string): Promise<string | null>;
  /** Why someone with this e-mail was not found, in a few words ("no <platform> member has the e-mail …"). */
  notFound(email: string): string;
  /**
   * Whether the platform says this user id is the person with this e-mail: `yes`; `no` with why (no
   * such user, or another e-mail); `unknown` when the platform cannot tell (the user is not visible
   * to the app). Throws when the platform cannot answer.
   */
  confirm(userId: string, email: string): Promise<{ verdict: 'yes' } | { verdict: 'no' | 'unknown'; why: string }>;
}

export interface SyncResult {
  platform: PlatformName;
  label: string;
  /** Already linked before this sync. */
  linked: number;
  found: PersonRecord[];
  notFound: { person: PersonRecord; reason: string }[];
  failed: { person: PersonRecord; reason: string }[];
}

export type Reachability = { ok: true; platform: PlatformName; userId: string } | { ok: false; reason: string };

/** Where people are reached: their platform links, or a lookup by e-mail the first time a job needs them. */
export interface Directory {
  /** The chat platforms this deployment delivers on, in order of preference. */
  readonly platforms: readonly PlatformName[];
  /**
   * Where a person can be reached now. Someone not linked on any platform is looked up by e-mail
   * (at most once a day when not found; one process at a time). `force` asks again now (kpi people sync).
   */
  reach(person: PersonRecord, now: Date, opts?: { force?: boolean }): Promise<Reachability>;
  /**
   * Look everyone not yet linked on each platform up by e-mail (`kpi people sync`, `/kpi people sync`):
   * per platform, who was found, not found, or could not be asked. `force` asks again about recent not-founds.
   */
  sync(people: PersonRecord[], now: Date, opts?: { force?: boolean }): Promise<SyncResult[]>;
  /** Why a person cannot be reached, from what is already known (no lookup): null when they can be, or it is not known yet. */
  known(person: PersonRecord, lookups: IdentityLookupRecord[], last: DeliveryRecord | undefined): string | null;
}

/** Who is asking, from which platform. */
export interface Actor {
  platform: PlatformName;
  /** The platform's id for the user (its own user id, in the form src/catalogue/<name>.ts gives; a user name on the console). */
  userId: string;
  /** The person record, when this platform user is linked to one. */
  person: PersonRecord | null;
  /** Where the command was typed, when known. */
  channelId?: string;
  /**
   * Why this platform user is not taken as the register person their e-mail names (that person is
   * linked to another user on the platform, and the performance admins have been asked): what to tell
   * them instead of "you are not in the register".
   */
  held?: string;
  /**
   * A source system posting through the HTTP API with a token (its name, "hr-system"): no person;
   * the token's scope stands for "may submit" (checked by the API), and a signed-off period is refused.
   */
  integration?: string;
}

/** Something a person owns under a theme (an action, a risk): its owner, deputy and the theme's director above them. */
export interface ThemeOwned {
  themeId: number | null;
  themeName: string | null;
  ownerId: number | null;
  deputyId: number | null;
  /** The theme's director. */
  directorId: number | null;
}
