// Rules every Repository implementation applies the same way — the Prisma one in this folder and the
// in-memory one (test/support/memory/repository.ts) the unit tests run on: how a subscription's scope is keyed,
// which stored alert events count, how indicators matching what a person typed are ranked, which
// sign-off covers a period, who may save a value and what the save audits, when a lookup may be
// claimed, how people are edited, merged and retired, and how text sorts. The contract tests (test/contract) hold both implementations to them.
import type { AlertEvent, ApiScope, ApiTokenRecord, AuditEntry, ChangedBy, ComparatorGroupRecord, ComparatorValueRecord, ExceptionReportRecord, HandOver, LookupOutcome, NewObservation, NotCollectedRecord, PeriodLockRecord, PersonPatch, PersonRecord, Role, SignOffHold } from '../ports.ts';
import type { LocalDate, Period } from '../domain/types.ts';
import { isYear, quartersReporting } from '../domain/coverage.ts';
import { ALERT_EVENT_NAMES } from '../domain/monitor.ts';
import { addDays, daysBetween } from '../domain/dates.ts';
import { platformLabel } from '../catalogue/platforms.ts';
import { ConflictError, LockedPeriodSaveError, PermissionError, ValidationError } from '../errors.ts';

/** Text in the order the database sorts it (the C collation: by code unit). */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- subscriptions ----

/** The scope key of a subscription: one per channel and scope. */
export function subscriptionScope(s: { themeId: number | null; indicatorId: number | null }): string {
  return s.indicatorId !== null ? `indicator:${s.indicatorId}` : s.themeId !== null ? `theme:${s.themeId}` : 'all';
}

/** Stored event names the bot knows (an unknown one, from an older or newer version, is ignored). */
export const toAlertEvents = (e: readonly string[] | null): AlertEvent[] => (e ?? []).filter((x): x is AlertEvent => (ALERT_EVENT_NAMES as readonly string[]).includes(x));

/** Events as stored: each once, sorted. */
export const storedEvents = (e: readonly string[]): string[] => [...new Set(e)].sort();

/** A second subscription for the same channel and scope changes nothing when its events are the same and it names no other channel name. */
export const sameSubscription = (existing: { events: readonly string[] | null; channelName: string | null }, events: string[], channelName: string | null): boolean =>
  JSON.stringify(storedEvents(existing.events ?? [])) === JSON.stringify(events) && (channelName === null || existing.channelName === channelName);

// ---- finding indicators ----

/** Normalise a reference for matching: "bv12i" finds "BV 12i". */
export const refKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Candidates for a search (slug, reference or name matching `query`) ranked best first: the exact
 * slug, the exact reference, slug prefix, slug, name, part of the reference, every word in the name;
 * then by slug. Anything matching none of these is left out.
 */
export function rankMatches<T extends { slug: string; ref: string | null; name: string }>(rows: T[], query: string, limit: number): T[] {
  const q = query.trim();
  const lq = q.toLowerCase();
  const rk = refKey(q);
  const words = q.split(/\s+/).filter(Boolean);
  const score = (i: T) => {
    if (i.slug === lq) return 0;
    if (i.ref && refKey(i.ref) === rk) return 1;
    if (i.slug.startsWith(lq)) return 2;
    if (i.slug.includes(lq)) return 3;
    if (i.name.toLowerCase().includes(lq)) return 4;
    if (i.ref && rk.length >= 2 && refKey(i.ref).includes(rk)) return 5;
    if (words.every((w) => i.name.toLowerCase().includes(w.toLowerCase()))) return 6;
    return 99;
  };
  return rows
    .map((r) => ({ r, s: score(r) }))
    .filter((x) => x.s < 99)
    .sort((a, b) => a.s - b.s || a.r.slug.localeCompare(b.r.slug))
    .slice(0, limit)
    .map((x) => x.r);
}

// ---- sign-off ----

const overlapDays = (l: Pick<PeriodLockRecord, 'periodStart' | 'periodEnd'>, start: LocalDate, end: LocalDate) =>
  daysBetween(l.periodStart > start ? l.periodStart : start, l.periodEnd < end ? l.periodEnd : end) + 1;

/**
 * The sign-off a period falls under: signed-off periods that together cover all of it — its quarter
 * for a month or a quarter, all four quarters for a financial year. The latest of them is returned
 * (by sign-off time, then period end). `locks` may hold any locks; those not overlapping are ignored.
 */
export function coveringLock(locks: PeriodLockRecord[], periodStart: LocalDate, periodEnd: LocalDate): PeriodLockRecord | null {
  const overlapping = locks.filter((l) => l.periodStart <= periodEnd && l.periodEnd >= periodStart);
  const covered = overlapping.reduce((n, l) => n + overlapDays(l, periodStart, periodEnd), 0);
  const top = [...overlapping].sort((a, b) => b.closedAt.getTime() - a.closedAt.getTime() || byText(b.periodEnd, a.periodEnd))[0];
  return top && covered >= daysBetween(periodStart, periodEnd) + 1 ? top : null;
}

/**
 * The sign-off that holds a value of an indicator for a period, given every sign-off (`locks`), the
 * quarters whose signed-off report printed this indicator's value for the period (`printedIn`, from
 * their snapshots) and the day the value is given. A quarter's report covers the periods
 * src/domain/coverage.ts lists; once it is signed off:
 *   - the quarter and its months are held (and a year whose four quarters all are): "signed-off";
 *   - a year's value the report printed is held: "printed";
 *   - a year the report covers is held while it has not ended (a value for it then would change
 *     what the signed-off reports said of a year still running): "year-running";
 *   - a year is held once the last quarter whose report covers it is signed off: "last-report".
 * A year that has ended, whose value no signed-off report printed, still takes its first value for
 * the reports to come (the year-end report); the signed-off ones list it as entered after sign-off.
 */
export function signOffHold(locks: PeriodLockRecord[], printedIn: readonly string[], period: Period, today: LocalDate, fy: number): SignOffHold | null {
  const covering = coveringLock(locks, period.start, period.end);
  if (covering) return { ...covering, reason: 'signed-off' };
  if (!isYear(period)) return null;
  const quarters = quartersReporting(period, fy);
  const signed = quarters.flatMap((q) => locks.filter((l) => l.periodKey === q.key));
  if (!signed.length) return null;
  const latest = (ls: PeriodLockRecord[]) => [...ls].sort((a, b) => b.closedAt.getTime() - a.closedAt.getTime() || byText(b.periodEnd, a.periodEnd))[0]!;
  const printed = signed.filter((l) => printedIn.includes(l.periodKey));
  if (printed.length) return { ...latest(printed), reason: 'printed' };
  const last = signed.find((l) => l.periodKey === quarters.at(-1)!.key);
  if (last) return { ...last, reason: 'last-report' };
  if (today <= period.end) return { ...latest(signed), reason: 'year-running' };
  return null;
}

/** The sign-off in a sentence's words, with the day as stored: "2017/18 Q3 was signed off on 2018-01-15", "2017/18 was printed in the 2017/18 Q3 report, signed off on …". */
export function holdClause(periodKey: string, hold: SignOffHold): string {
  const on = `signed off on ${hold.closedAt.toISOString().slice(0, 10)}`;
  switch (hold.reason) {
    case 'signed-off':
      return periodKey === hold.periodKey ? `${periodKey} was ${on}` : `${periodKey} is in ${hold.periodKey}, ${on}`;
    case 'printed':
      return `${periodKey} was printed in the ${hold.periodKey} report, ${on}`;
    case 'year-running':
      return `${periodKey} is covered by the ${hold.periodKey} report, ${on}, and has not ended yet`;
    case 'last-report':
      return `${periodKey} is covered by the ${hold.periodKey} report, the last to show it, ${on}`;
  }
}

/** The audit entry of a sign-off: the values it was signed off with (none can land in it afterwards without an audited reason). */
export function periodCloseAudit(lock: { periodKey: string; periodStart: LocalDate; periodEnd: LocalDate; closedById: number | null; actorLabel: string; at: Date }, values: number): AuditEntry {
  return {
    at: lock.at,
    actorId: lock.closedById,
    actorLabel: lock.actorLabel,
    action: 'period.close',
    entity: 'period',
    entityId: lock.periodKey,
    details: { periodStart: lock.periodStart, periodEnd: lock.periodEnd, values },
  };
}

// ---- periods not collected ----

/** Whether two marks are for the same scope and period (a second mark replaces the first). */
export const sameNotCollected = (a: { indicatorId: number | null; themeId: number | null; periodKey: string }, b: { indicatorId: number | null; themeId: number | null; periodKey: string }): boolean =>
  a.indicatorId === b.indicatorId && a.themeId === b.themeId && a.periodKey === b.periodKey;

/** period.not-collected (marked, or its reason changed) and period.collected (undone), keyed by the period. */
export function notCollectedAudit(action: 'period.not-collected' | 'period.collected', mark: NotCollectedRecord, who: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>, replaced?: string): AuditEntry {
  return {
    ...who,
    action,
    entity: 'period',
    entityId: mark.periodKey,
    details: { indicatorId: mark.indicatorId, themeId: mark.themeId, reason: mark.reason, ...(replaced !== undefined ? { replacedReason: replaced } : {}) },
  };
}

// ---- saving a value ----

/**
 * What a save checks inside its transaction, whoever sent it: the submitter (when a person) may
 * still submit for the indicator, and a signed-off period takes a value only from a performance
 * admin with a reason (or, from the system, with a reason).
 */
export function checkSave(
  o: Pick<NewObservation, 'periodKey' | 'submittedById' | 'correctionReason'> & { source?: string },
  who: { role: Role; active: boolean } | null,
  ind: { ownerId: number | null; deputyId: number | null; formula?: string | null } | null,
  lock: SignOffHold | null,
): void {
  // A calculated indicator's values are worked out from its inputs (src/repo/calculated.ts), whichever way a value comes in.
  if (ind?.formula && o.source !== 'calculated') {
    throw new ValidationError(`Not saved: this indicator is calculated (${ind.formula}); its value is worked out when its inputs' values arrive. Give those instead.`);
  }
  if (o.submittedById !== null) {
    const admin = who?.active === true && who.role === 'admin';
    if (!who?.active || !ind || !(admin || ind.ownerId === o.submittedById || ind.deputyId === o.submittedById)) {
      throw new PermissionError('You can no longer submit for this indicator (your role or its owner changed). Nothing was saved.');
    }
    if (lock && !(admin && o.correctionReason?.trim())) {
      throw new LockedPeriodSaveError(`${holdClause(o.periodKey, lock)} meanwhile: its values are locked. Nothing was saved; a performance admin can correct it, with the reason.`);
    }
  } else if (lock && !o.correctionReason?.trim()) {
    throw new LockedPeriodSaveError(`${holdClause(o.periodKey, lock)}: a value there needs the reason for the change.`);
  }
}

/** The optimistic check: the save names the version it replaces (null: none expected). */
export function checkReplaces(o: Pick<NewObservation, 'periodKey' | 'replacesVersion'>, current: { version: number } | null): void {
  if ((current?.version ?? null) === o.replacesVersion) return;
  throw new ConflictError(
    current
      ? `Someone saved a value for ${o.periodKey} while you were typing (now version ${current.version}). Look at it with /kpi show and try again.`
      : `The value you meant to correct for ${o.periodKey} is no longer there. Try again.`,
  );
}

/** Two saves raced past the check and the unique (indicator, period, version) key stopped the second. */
export const sameMomentConflict = (periodKey: string) => new ConflictError(`Someone saved a value for ${periodKey} at the same moment. Look at it with /kpi show and try again.`);

/** A saved value's fields (its period's dates and whether it is the latest are the store's to write). */
export function observationFields(o: NewObservation, version: number) {
  return {
    indicatorId: o.indicatorId,
    periodKey: o.periodKey,
    version,
    value: o.value,
    estimated: o.estimated,
    provisional: o.provisional,
    note: o.note,
    assessedStatus: o.assessedStatus ?? null,
    source: o.source,
    submittedById: o.submittedById,
    submittedByLabel: o.submittedByLabel,
    submittedAt: o.submittedAt,
    correctionReason: o.correctionReason ?? null,
  };
}

/** The audit entry of a saved value. */
export function observationAudit(o: NewObservation, created: { id: number; version: number }, replaced: boolean, lock: SignOffHold | null): AuditEntry {
  return {
    at: o.submittedAt,
    actorId: o.submittedById,
    actorLabel: o.submittedByLabel,
    action: lock ? 'observation.correct-locked' : replaced ? 'observation.correct' : 'observation.submit',
    entity: 'observation',
    entityId: String(created.id),
    details: {
      indicatorId: o.indicatorId,
      periodKey: o.periodKey,
      version: created.version,
      value: o.value,
      estimated: o.estimated,
      provisional: o.provisional,
      source: o.source,
      ...(o.correctionReason ? { reason: o.correctionReason } : {}),
      ...(lock ? { lock: lock.periodKey, held: lock.reason } : {}),
    },
  };
}

/** The audit entry written with an exception report, in the same transaction. */
export function exceptionAudit(audit: Omit<AuditEntry, 'entity' | 'entityId'>, saved: Pick<ExceptionReportRecord, 'id' | 'version' | 'state'>): AuditEntry {
  return { ...audit, entity: 'exception_report', entityId: String(saved.id), details: { version: saved.version, state: saved.state, ...((audit.details as object | undefined) ?? {}) } };
}

// ---- looking people up ----

/**
 * May a lookup be claimed now: nobody holds it (or their claim ran out), and either `force`, or it
 * was never answered, or its last answer is old enough (found / not found before `notFoundBefore`,
 * failed before `failedBefore`). (The Prisma repository says the same in one atomic upsert.)
 */
export function mayClaimLookup(
  row: { outcome: string | null; lookedUpAt: Date | null; claimedUntil: Date | null },
  now: Date,
  opts: { notFoundBefore: Date; failedBefore: Date; force?: boolean },
): boolean {
  if (row.claimedUntil !== null && row.claimedUntil >= now) return false;
  if (opts.force || row.outcome === null) return true;
  if (row.lookedUpAt === null) return false;
  if (row.outcome === 'found' || row.outcome === 'not_found') return row.lookedUpAt < opts.notFoundBefore;
  return row.outcome === 'failed' && row.lookedUpAt < opts.failedBefore;
}

/** What recording a lookup sets: a person found again, or found after all, is news to report again if they are lost later. */
export const lookupRecorded = (outcome: LookupOutcome, detail: string | null, now: Date) => ({
  outcome,
  detail,
  lookedUpAt: now,
  claimedBy: null,
  claimedUntil: null,
  ...(outcome === 'found' ? { reportedAt: null } : {}),
});

// ---- reminders ----

/** A reminder counts only when its message reached someone: not one given up or undeliverable. */
export const reminderCounts = (messageState: string | null): boolean => messageState !== 'dead' && messageState !== 'undeliverable';

// ---- dates ----

/** The same day a year earlier (29 February → 28 February), as the database's `date - interval '1 year'`. */
export function yearBefore(d: LocalDate): LocalDate {
  const y = String(Number(d.slice(0, 4)) - 1).padStart(4, '0');
  const md = d.slice(5);
  return md === '02-29' ? addDays(`${y}-03-01`, -1) : `${y}-${md}`;
}

// ---- changing people (people edit, merge, retire) ----

type Named = Pick<PersonRecord, 'id' | 'displayName' | 'email'>;

/** A person as an audit entry names them. */
export const personRef = (p: Named) => ({ id: p.id, name: p.displayName, email: p.email });

/** The new e-mail of an edit is someone else's. */
export const emailTaken = (email: string, other: Named) =>
  new ConflictError(`${email} is already the address of ${other.displayName} in the register. If they are the same person, merge them: people merge <the duplicate's e-mail> <the one to keep>.`);

/** The platform user an edit names is confirmed as someone else. */
export const userTaken = (platform: string, userId: string, other: Named) =>
  new ConflictError(`${platformLabel(platform) ?? platform} user ${userId} is already ${other.displayName}${other.email ? ` (${other.email})` : ''}. Unlink them there first (people edit ${other.email ?? '…'} --${platform}-id none).`);

/** What an edit changes, field by field, for the audit entry (nothing when it changes nothing). */
export function personChanges(before: PersonRecord, patch: PersonPatch): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const field = <K extends 'email' | 'displayName' | 'role' | 'deputyId' | 'active'>(k: K) => {
    const to = patch[k];
    if (to !== undefined && to !== before[k]) out[k] = { from: before[k], to };
  };
  field('email');
  field('displayName');
  field('role');
  field('deputyId');
  field('active');
  for (const [platform, userId] of Object.entries(patch.identities ?? {})) {
    const from = before.identities[platform as keyof PersonRecord['identities']] ?? before.unconfirmed?.[platform as keyof PersonRecord['identities']] ?? null;
    const confirmed = before.identities[platform as keyof PersonRecord['identities']] !== undefined;
    if (userId !== undefined && (from !== userId || !confirmed)) out[`${platform} id`] = { from, to: userId };
  }
  return out;
}

/** A platform link as a handover sees it. */
export interface HandOverLink {
  platform: string;
  userId: string;
  confirmed: boolean;
}

/**
 * Which of a duplicate's platform links the person kept takes: each platform where they have none,
 * or only an unconfirmed one that a confirmed link replaces; the rest are dropped (the person kept
 * is already someone there).
 */
export function mergeLinks(from: HandOverLink[], into: HandOverLink[]): { move: HandOverLink[]; drop: HandOverLink[]; replaced: HandOverLink[] } {
  const move: HandOverLink[] = [];
  const drop: HandOverLink[] = [];
  const replaced: HandOverLink[] = [];
  for (const l of from) {
    const theirs = into.find((i) => i.platform === l.platform);
    if (!theirs) move.push(l);
    else if (!theirs.confirmed && l.confirmed) {
      move.push(l);
      replaced.push(theirs);
    } else drop.push(l);
  }
  return { move, drop, replaced };
}

/** The deputy of the person kept after a merge: their own, or the duplicate's when they had none (never themselves, never the duplicate). */
export function deputyAfterMerge(from: Pick<PersonRecord, 'id' | 'deputyId'>, into: Pick<PersonRecord, 'id' | 'deputyId'>): number | null {
  const own = into.deputyId === from.id ? null : into.deputyId;
  const theirs = from.deputyId === into.id ? null : from.deputyId;
  return own ?? theirs;
}

export const emptyHandOver = (): HandOver => ({
  indicatorsOwned: 0,
  indicatorsDeputised: 0,
  actionsOwned: 0,
  actionsDeputised: 0,
  risksOwned: 0,
  risksDeputised: 0,
  themesDirected: 0,
  deputyFor: 0,
  identitiesMoved: [],
  identitiesDropped: [],
  values: 0,
  exceptionReports: 0,
  reminders: 0,
});

export function handOverAudit(action: 'person.merge' | 'person.retire', by: ChangedBy, from: Named, to: Named | null, h: HandOver): AuditEntry {
  return { ...by, action, entity: 'person', entityId: String(from.id), details: { person: personRef(from), [action === 'person.merge' ? 'into' : 'handedTo']: to ? personRef(to) : null, ...h } };
}

// ---- erasing a person, and what is held about them ----

/**
 * Every column that refers to a person, and the section of a subject-access export its rows go in
 * (`kpi people export`); the memory repository's rows name the column in camelCase. What erasure
 * does with each is said in src/services/people-admin.ts (ERASURE) and docs/operating.md.
 */
export const PERSON_REFERENCES = [
  { section: 'platformLinks', table: 'person_identity', column: 'person_id' },
  { section: 'lookups', table: 'identity_lookup', column: 'person_id' },
  { section: 'conversationReferences', table: 'conversation_ref', column: 'person_id' },
  { section: 'deputyFor', table: 'person', column: 'deputy_id' },
  { section: 'themesDirected', table: 'theme', column: 'director_id' },
  { section: 'indicatorsOwned', table: 'indicator', column: 'owner_id' },
  { section: 'indicatorsDeputised', table: 'indicator', column: 'deputy_id' },
  { section: 'actionsOwned', table: 'action', column: 'owner_id' },
  { section: 'actionsDeputised', table: 'action', column: 'deputy_id' },
  { section: 'risksOwned', table: 'risk', column: 'owner_id' },
  { section: 'risksDeputised', table: 'risk', column: 'deputy_id' },
  { section: 'valuesSubmitted', table: 'observation', column: 'submitted_by_id' },
  { section: 'exceptionReportsWritten', table: 'exception_report', column: 'author_id' },
  { section: 'exceptionReportsReviewed', table: 'exception_report', column: 'reviewer_id' },
  { section: 'actionUpdates', table: 'action_update', column: 'author_id' },
  { section: 'actionChangesRequested', table: 'action_change', column: 'requested_by_id' },
  { section: 'actionChangesDecided', table: 'action_change', column: 'decided_by_id' },
  { section: 'riskReviews', table: 'risk_review', column: 'author_id' },
  { section: 'commentary', table: 'commentary', column: 'author_id' },
  { section: 'reminders', table: 'reminder', column: 'person_id' },
  { section: 'actionReminders', table: 'action_reminder', column: 'person_id' },
  { section: 'riskReminders', table: 'risk_reminder', column: 'person_id' },
  { section: 'commentaryReminders', table: 'commentary_reminder', column: 'person_id' },
  { section: 'snoozes', table: 'snooze', column: 'by_id' },
  { section: 'signOffs', table: 'period_lock', column: 'closed_by_id' },
  { section: 'notCollectedMarks', table: 'not_collected', column: 'by_id' },
  { section: 'subscriptionsMade', table: 'channel_subscription', column: 'created_by_id' },
  { section: 'messagesToThem', table: 'outbound_message', column: 'person_id' },
  { section: 'auditByThem', table: 'audit_log', column: 'actor_id' },
] as const;

/** snake_case → camelCase: a column as a row object names it. */
export const camelCase = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The person's message in the outbox after erasure: nothing of what was said to them. */
export const ERASED_MESSAGE = { text: 'Erased: a message to a former officer.', blocks: [] } as const;
export const ERASED_CHANNEL = 'erased';
export const ERASED_ERROR = 'Not sent: the person’s data was erased.';

export interface ErasedIdentity {
  names: string[];
  emails: string[];
  platformIds: string[];
}

/**
 * The names and addresses a person had before (a `people edit` changed them: the audit entry says
 * from what), so erasure finds those too.
 */
export function earlierIdentity(audit: readonly AuditEntry[], personIds: readonly number[]): { names: string[]; emails: string[] } {
  const names: string[] = [];
  const emails: string[] = [];
  for (const a of audit) {
    if (a.action !== 'person.edit' || a.entity !== 'person' || !personIds.map(String).includes(a.entityId ?? '')) continue;
    const changes = (a.details as { changes?: Record<string, { from?: unknown }> } | null)?.changes ?? {};
    if (typeof changes.displayName?.from === 'string') names.push(changes.displayName.from);
    if (typeof changes.email?.from === 'string') emails.push(changes.email.from);
  }
  return { names, emails };
}

/** The duplicates merged into a person (audited person.merge … into), and theirs, transitively. */
export function mergedInto(audit: readonly AuditEntry[], personId: number): number[] {
  const out: number[] = [];
  const queue = [personId];
  while (queue.length) {
    const into = queue.shift()!;
    for (const a of audit) {
      if (a.action !== 'person.merge') continue;
      const from = Number(a.entityId);
      if ((a.details as { into?: { id?: number } } | null)?.into?.id === into && from !== personId && !out.includes(from)) {
        out.push(from);
        queue.push(from);
      }
    }
  }
  return out;
}

/** What to look for: each name, address and id once, the longest first (so a longer one is replaced whole). Names another person in the register also has are left out (they are not this person's to erase). */
export function erasureNeedles(who: ErasedIdentity, namesOfOthers: readonly string[]): string[] {
  const others = new Set(namesOfOthers.map((n) => n.trim().toLowerCase()));
  const all = [...who.names.filter((n) => !others.has(n.trim().toLowerCase())), ...who.emails, ...who.platformIds].map((s) => s.trim()).filter((s) => s.length >= 2);
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A mention of any needle, whole (not part of a longer word or id), whatever its case. */
export const mentionPattern = (needles: readonly string[]): RegExp | null =>
  needles.length ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${needles.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'giu') : null;

/** LIKE patterns that find the rows a mention could be in (the pattern then decides): each needle as text and as JSON writes it. */
export function mentionLikes(needles: readonly string[]): string[] {
  const like = (s: string) => `%${s.replace(/[\\%_]/g, '\\$&')}%`;
  return [...new Set(needles.flatMap((n) => [like(n), like(JSON.stringify(n).slice(1, -1))]))];
}

/** A value (text, or JSON of any depth) with every mention replaced by the label; other values (dates, numbers) as they were. */
export function scrubMentions(v: unknown, re: RegExp, label: string): { value: unknown; changed: boolean } {
  if (typeof v === 'string') {
    const s = v.replace(re, label);
    return { value: s, changed: s !== v };
  }
  if (Array.isArray(v)) {
    const parts = v.map((x) => scrubMentions(x, re, label));
    return parts.some((p) => p.changed) ? { value: parts.map((p) => p.value), changed: true } : { value: v, changed: false };
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = Object.entries(v).map(([k, x]) => [k, scrubMentions(x, re, label)] as const);
    return entries.some(([, p]) => p.changed) ? { value: Object.fromEntries(entries.map(([k, p]) => [k, p.value])), changed: true } : { value: v, changed: false };
  }
  return { value: v, changed: false };
}

export const emptyErasure = () => ({ already: false, duplicates: 0, identities: 0, lookups: 0, conversationRefs: 0, openForms: 0, messages: 0, deputyships: 0, mentions: 0 });

/** The erasure's audit entry: who did it, why (with any mention of them taken out) and what it did — nothing of theirs. */
export function erasureAudit(personId: number, req: { reason: string; label: string; by: ChangedBy }, re: RegExp | null, counts: object): AuditEntry {
  const reason = re ? String(scrubMentions(req.reason, re, req.label).value) : req.reason;
  return { ...req.by, action: 'person.erase', entity: 'person', entityId: String(personId), details: { label: req.label, reason, ...counts } };
}

// ---- benchmarks (comparator values and groups) ----

/** One comparator value's key: indicator, period, area. */
export const comparatorKey = (v: { indicatorId: number; periodKey: string; areaCode: string }): string => `${v.indicatorId}|${v.periodKey}|${v.areaCode}`;

/** A comparator value as the database keeps it: to six decimal places. */
export const storedComparatorValue = (v: ComparatorValueRecord): ComparatorValueRecord => ({ ...v, value: v.value === null ? null : Number(v.value.toFixed(6)) });

/** Nothing to write: the same value and the same area name (where it came from is not a change). */
export const sameComparatorValue = (a: ComparatorValueRecord, b: ComparatorValueRecord): boolean => a.value === b.value && a.areaName === b.areaName;

/** By indicator, then period, then area code (the order both stores list values in). */
export const compareComparatorValues = (a: ComparatorValueRecord, b: ComparatorValueRecord): number => a.indicatorId - b.indicatorId || byText(a.periodKey, b.periodKey) || byText(a.areaCode, b.areaCode);

/** What saving a group does to the one held under its name. */
export function groupChange(held: ComparatorGroupRecord | null, group: ComparatorGroupRecord): 'created' | 'updated' | 'unchanged' {
  if (!held) return 'created';
  return held.areas.length === group.areas.length && held.areas.every((a, i) => a === group.areas[i]) ? 'unchanged' : 'updated';
}

/** A token's scope from its stored columns: a theme when it has one, else its list of indicators. */
export function scopeOf(indicatorIds: readonly number[], themeId: number | null): ApiScope {
  return themeId !== null ? { kind: 'theme', themeId } : { kind: 'indicators', indicatorIds: [...indicatorIds] };
}

/** The audit entry of an API token created or revoked: its name, prefix and scope, never its secret or hash. */
export function apiTokenAudit(action: 'api-token.create' | 'api-token.revoke', t: ApiTokenRecord, by: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): AuditEntry {
  return { ...by, action, entity: 'api_token', entityId: t.name, details: { prefix: t.prefix, scope: t.scope } };
}
