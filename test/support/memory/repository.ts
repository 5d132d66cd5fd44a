// The Repository port in memory, a test double (nothing in production runs on it): the same answers
// as the Prisma repository (test/contract holds the two to one set of cases on PGlite and PostgreSQL),
// for fast tests of handlers and jobs. Unique keys refuse a second row as the schema does; a write that
// must be all or nothing runs in the store's transaction; the rules both share live in src/repo/rules.ts.
import { MemoryActionStore } from './actions.ts';
import { MemoryConditionChanges } from './conditions.ts';
import { MemoryRiskStore } from './risks.ts';
import { MemoryCommentaryStore } from './commentary.ts';
import { MemoryComparatorStore } from './comparators.ts';
import { MemoryApiStore } from './api.ts';
import type {
  AuditEntry,
  Cadence,
  ChangedBy,
  Clock,
  DeliveryRecord,
  Erasure,
  ErasureRequest,
  ExceptionReportRecord,
  ExceptionState,
  HandOver,
  IdentityLookupRecord,
  IndicatorChange,
  IndicatorFilter,
  IndicatorRecord,
  LinkedBy,
  LookupOutcome,
  NewNotCollected,
  NewObservation,
  NewStatusChange,
  NewSubscription,
  NotCollectedRecord,
  ObservationRecord,
  OrgSettings,
  PeriodLockRecord,
  PersonalData,
  PersonPatch,
  PersonRecord,
  QuarterSnapshot,
  SignedOffValue,
  SignOffHold,
  PlatformName,
  ReminderKind,
  ReminderRecord,
  Repository,
  Role,
  StatusChangeRecord,
  SubscriptionRecord,
  TargetRecord,
  ThemeRecord,
  ValueRecord,
} from '../../../src/ports.ts';
import { systemClock } from '../../../src/ports.ts';
import type { LocalDate } from '../../../src/domain/types.ts';
import { localDateOf } from '../../../src/domain/dates.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import type { Register, WriteOptions, WriteSummary } from '../../../src/register/types.ts';
import { StaleReportError } from '../../../src/services/exception-states.ts';
import { NotFoundError } from '../../../src/errors.ts';
import { DEFAULT_ORG } from '../../../src/repo/defaults.ts';
import { storedOrg } from '../../../src/repo/org.ts';
import { copy, insertNew, MemoryStore, storedAudit, type IndicatorRow, type ObservationRow, type PersonRow, type Tables } from './store.ts';
import {
  byText,
  checkReplaces,
  checkSave,
  coveringLock,
  camelCase,
  deputyAfterMerge,
  earlierIdentity,
  emailTaken,
  emptyErasure,
  emptyHandOver,
  ERASED_CHANNEL,
  ERASED_ERROR,
  ERASED_MESSAGE,
  erasureAudit,
  erasureNeedles,
  mentionPattern,
  mergedInto,
  PERSON_REFERENCES,
  scrubMentions,
  handOverAudit,
  mergeLinks,
  personChanges,
  personRef,
  userTaken,
  exceptionAudit,
  lookupRecorded,
  mayClaimLookup,
  observationAudit,
  observationFields,
  periodCloseAudit,
  rankMatches,
  notCollectedAudit,
  reminderCounts,
  sameNotCollected,
  sameSubscription,
  signOffHold,
  storedEvents,
  subscriptionScope,
  toAlertEvents,
  yearBefore,
} from '../../../src/repo/rules.ts';
import { writeRegisterIn } from './register.ts';
import { recalculate, registerIndicatorIds, type CalculationStore } from '../../../src/repo/calculated.ts';

const byPeriod = (a: { periodStart: LocalDate }, b: { periodStart: LocalDate }) => byText(a.periodStart, b.periodStart);
const same = (a: string | null | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** Rows with an owner and a deputy (indicators, actions) become another person's; never the same person as both. */
function handOverRows(rows: { ownerId: number | null; deputyId: number | null }[], fromId: number, toId: number): { owned: number; deputised: number } {
  let owned = 0;
  let deputised = 0;
  for (const r of rows) {
    if (r.ownerId === fromId) {
      r.ownerId = toId;
      owned++;
    }
    if (r.deputyId === fromId) {
      if (r.ownerId === toId) r.deputyId = null;
      else {
        r.deputyId = toId;
        deputised++;
      }
    }
    if (r.ownerId === toId && r.deputyId === toId) r.deputyId = null;
  }
  return { owned, deputised };
}

/** The memory table of each database table a person is referred to from (PERSON_REFERENCES); conversation references are kept by the platforms' own stores, not here. */
const MEMORY_TABLES: Record<(typeof PERSON_REFERENCES)[number]['table'], keyof Tables | null> = {
  person_identity: 'identities',
  identity_lookup: 'lookups',
  conversation_ref: null,
  person: 'people',
  theme: 'themes',
  indicator: 'indicators',
  action: 'actions',
  risk: 'risks',
  observation: 'observations',
  exception_report: 'exceptionReports',
  action_update: 'actionUpdates',
  action_change: 'actionChanges',
  risk_review: 'riskReviews',
  commentary: 'commentary',
  reminder: 'reminders',
  action_reminder: 'actionReminders',
  risk_reminder: 'riskReminders',
  commentary_reminder: 'commentaryReminders',
  snooze: 'snoozes',
  period_lock: 'locks',
  not_collected: 'notCollected',
  channel_subscription: 'subscriptions',
  outbound_message: 'outbox',
  audit_log: 'audit',
};

export class MemoryRepository implements Repository {
  readonly store: MemoryStore;
  readonly actions: MemoryActionStore;
  readonly conditionChanges: MemoryConditionChanges;
  readonly risks: MemoryRiskStore;
  readonly commentary: MemoryCommentaryStore;
  readonly comparators: MemoryComparatorStore;
  readonly api: MemoryApiStore;
  private readonly clock: Clock;

  /** `clock`: what a row's "updated at" says (the database's own clock in the Prisma repository). */
  constructor(o: { store?: MemoryStore; clock?: Clock } = {}) {
    this.store = o.store ?? new MemoryStore();
    this.clock = o.clock ?? systemClock;
    this.actions = new MemoryActionStore(this.store);
    this.conditionChanges = new MemoryConditionChanges(this.store);
    this.risks = new MemoryRiskStore(this.store);
    this.commentary = new MemoryCommentaryStore(this.store);
    this.comparators = new MemoryComparatorStore(this.store);
    this.api = new MemoryApiStore(this.store);
  }

  private get t() {
    return this.store.t;
  }

  // ---- the organisation ----

  async org(): Promise<OrgSettings> {
    return copy(this.t.org ?? DEFAULT_ORG);
  }

  async updateOrg(patch: Partial<OrgSettings>): Promise<OrgSettings> {
    const merged = { ...(await this.org()), ...copy(patch) };
    this.t.org = storedOrg(merged, this.t.org);
    return merged;
  }

  // ---- people ----

  private toPerson(p: PersonRow): PersonRecord {
    const links = (confirmed: boolean) => Object.fromEntries(this.t.identities.filter((i) => i.personId === p.id && i.confirmed === confirmed).map((i) => [i.platform, i.platformUserId]));
    const unconfirmed = links(false);
    return copy({ ...p, identities: links(true), ...(Object.keys(unconfirmed).length ? { unconfirmed } : {}) });
  }

  async person(id: number) {
    const p = this.t.people.find((x) => x.id === id);
    return p ? this.toPerson(p) : null;
  }

  async people(filter: { role?: Role; ids?: number[] } = {}) {
    return this.t.people
      .filter((p) => (filter.role === undefined || p.role === filter.role) && (!filter.ids || filter.ids.includes(p.id)))
      .sort((a, b) => byText(a.displayName, b.displayName))
      .map((p) => this.toPerson(p));
  }

  async personByPlatformUser(platform: PlatformName, userId: string) {
    const link = this.t.identities.find((i) => i.platform === platform && i.platformUserId === userId);
    if (link?.confirmed) return this.person(link.personId);
    if (platform !== 'console') return null;
    // On the console people are who they say they are: an e-mail address, a chat platform's user id or a name.
    // A merged duplicate keeps the name: the active person first.
    const p = [...this.t.people.filter((x) => x.active), ...this.t.people.filter((x) => !x.active)].find(
      (x) => same(x.email, userId) || this.t.identities.some((i) => i.personId === x.id && i.platformUserId === userId) || same(x.displayName, userId),
    );
    return p ? this.toPerson(p) : null;
  }

  async personByEmail(email: string) {
    const p = this.t.people.find((x) => same(x.email, email.trim()));
    return p ? this.toPerson(p) : null;
  }

  async linkPlatformUser(personId: number, platform: PlatformName, userId: string, how: { linkedBy: LinkedBy; at: Date } = { linkedBy: 'first-contact', at: new Date() }): Promise<'linked' | 'already' | 'conflict'> {
    if (platform === 'console') return 'already';
    // An unconfirmed id (from a sheet) gives way: the person's own there, and anyone's link to this user.
    this.t.identities = this.t.identities.filter((i) => !(i.platform === platform && !i.confirmed && (i.personId === personId || i.platformUserId === userId)));
    const taken = this.t.identities.find((i) => i.platform === platform && i.platformUserId === userId);
    if (taken) return taken.personId === personId ? 'already' : 'conflict';
    if (this.t.identities.some((i) => i.personId === personId && i.platform === platform)) return 'conflict';
    this.t.identities.push({ platform, platformUserId: userId, personId, linkedBy: how.linkedBy, linkedAt: how.at, confirmed: true });
    return 'linked';
  }

  async forgetUnconfirmed(personId: number, platform: PlatformName) {
    this.t.identities = this.t.identities.filter((i) => !(i.personId === personId && i.platform === platform && !i.confirmed));
  }

  private row(id: number): PersonRow {
    const p = this.t.people.find((x) => x.id === id);
    if (!p) throw new NotFoundError(`There is no person ${id} in the register.`);
    return p;
  }

  editPerson(personId: number, patch: PersonPatch, by: ChangedBy): Promise<PersonRecord> {
    return this.store.transaction(async () => {
      const p = this.row(personId);
      const was = this.toPerson(p);
      if (patch.email !== undefined && !same(was.email, patch.email)) {
        const other = this.t.people.find((x) => x.id !== personId && same(x.email, patch.email!));
        if (other) throw emailTaken(patch.email, other);
      }
      const changes = personChanges(was, patch);
      if (!Object.keys(changes).length) return was;
      if (patch.email !== undefined) p.email = patch.email;
      if (patch.displayName !== undefined) p.displayName = patch.displayName;
      if (patch.role !== undefined) p.role = patch.role;
      if (patch.deputyId !== undefined) p.deputyId = patch.deputyId;
      if (patch.active !== undefined) {
        p.active = patch.active;
        if (patch.active) p.successorId = null;
      }
      if (changes.email) this.t.lookups = this.t.lookups.filter((l) => l.personId !== personId);
      for (const [platform, userId] of Object.entries(patch.identities ?? {})) {
        if (userId === undefined) continue;
        const holder = userId === null ? undefined : this.t.identities.find((i) => i.platform === platform && i.platformUserId === userId);
        if (holder && holder.personId !== personId && holder.confirmed) throw userTaken(platform, userId!, this.row(holder.personId));
        this.t.identities = this.t.identities.filter((i) => !(i.platform === platform && (i.personId === personId || i.platformUserId === userId)));
        if (userId !== null) this.t.identities.push({ platform, platformUserId: userId, personId, linkedBy: 'admin', linkedAt: by.at, confirmed: true });
        this.t.lookups = this.t.lookups.filter((l) => !(l.personId === personId && l.platform === platform));
      }
      this.t.audit.push(storedAudit({ ...by, action: 'person.edit', entity: 'person', entityId: String(personId), details: { person: personRef(was), changes } }));
      return this.toPerson(p);
    });
  }

  /** One person's indicators, deputyships and themes become another's; an indicator never has the same person as owner and deputy. */
  private handOverWork(fromId: number, toId: number): HandOver {
    const h = emptyHandOver();
    const indicators = handOverRows(this.t.indicators, fromId, toId);
    const actions = handOverRows(this.t.actions, fromId, toId);
    const risks = handOverRows(this.t.risks, fromId, toId);
    Object.assign(h, { indicatorsOwned: indicators.owned, indicatorsDeputised: indicators.deputised, actionsOwned: actions.owned, actionsDeputised: actions.deputised, risksOwned: risks.owned, risksDeputised: risks.deputised });
    for (const t of this.t.themes) {
      if (t.directorId === fromId) {
        t.directorId = toId;
        h.themesDirected++;
      }
    }
    for (const p of this.t.people) {
      if (p.deputyId === fromId && p.id !== toId) {
        p.deputyId = toId;
        h.deputyFor++;
      }
    }
    return h;
  }

  mergePeople(fromId: number, intoId: number, by: ChangedBy): Promise<HandOver> {
    return this.store.transaction(async () => {
      const from = this.row(fromId);
      const into = this.row(intoId);
      const fromPerson = this.toPerson(from);
      const deputy = deputyAfterMerge(from, into);
      const h = this.handOverWork(fromId, intoId);
      const links = (id: number) => this.t.identities.filter((i) => i.personId === id).map((i) => ({ platform: i.platform, userId: i.platformUserId, confirmed: i.confirmed }));
      const m = mergeLinks(links(fromId), links(intoId));
      this.t.identities = this.t.identities.filter((i) => !(i.personId === intoId && m.replaced.some((r) => r.platform === i.platform)));
      for (const i of this.t.identities) if (i.personId === fromId && m.move.some((l) => l.platform === i.platform)) i.personId = intoId;
      this.t.identities = this.t.identities.filter((i) => i.personId !== fromId);
      h.identitiesMoved = m.move.map((l) => l.platform as PlatformName);
      h.identitiesDropped = m.drop.map((l) => ({ platform: l.platform as PlatformName, userId: l.userId }));
      for (const o of this.t.observations) {
        if (o.submittedById === fromId) {
          o.submittedById = intoId;
          h.values++;
        }
      }
      for (const r of this.t.exceptionReports) {
        if (r.authorId === fromId) {
          r.authorId = intoId;
          h.exceptionReports++;
        }
        if (r.reviewerId === fromId) {
          r.reviewerId = intoId;
          h.exceptionReports++;
        }
      }
      for (const r of this.t.reminders) {
        if (r.personId === fromId) {
          r.personId = intoId;
          h.reminders++;
        }
      }
      for (const u of this.t.actionUpdates) if (u.authorId === fromId) u.authorId = intoId;
      for (const c of this.t.actionChanges) {
        if (c.requestedById === fromId) c.requestedById = intoId;
        if (c.decidedById === fromId) c.decidedById = intoId;
      }
      for (const r of [...this.t.actionReminders, ...this.t.riskReminders, ...this.t.commentaryReminders]) if (r.personId === fromId) r.personId = intoId;
      for (const r of this.t.riskReviews) if (r.authorId === fromId) r.authorId = intoId;
      for (const c of this.t.commentary) if (c.authorId === fromId) c.authorId = intoId;
      for (const s of this.t.snoozes) if (s.byId === fromId) s.byId = intoId;
      for (const l of this.t.locks) if (l.closedById === fromId) l.closedById = intoId;
      for (const s of this.t.subscriptions) if (s.createdById === fromId) s.createdById = intoId;
      this.t.lookups = this.t.lookups.filter((l) => l.personId !== fromId);
      into.deputyId = deputy;
      for (const p of this.t.people) if (p.successorId === fromId) p.successorId = intoId;
      Object.assign(from, { active: false, successorId: intoId, deputyId: null });
      this.t.audit.push(storedAudit(handOverAudit('person.merge', by, fromPerson, into, h)));
      return h;
    });
  }

  retirePerson(personId: number, handToId: number | null, by: ChangedBy): Promise<HandOver> {
    return this.store.transaction(async () => {
      const person = this.row(personId);
      const before = this.toPerson(person);
      const to = handToId === null ? null : this.row(handToId);
      const h = to ? this.handOverWork(personId, to.id) : emptyHandOver();
      if (!to) {
        for (const x of [...this.t.people, ...this.t.indicators]) {
          if (x.deputyId !== personId) continue;
          x.deputyId = null;
          if ('slug' in x) h.indicatorsDeputised++;
          else h.deputyFor++;
        }
        for (const a of this.t.actions) {
          if (a.deputyId !== personId) continue;
          a.deputyId = null;
          h.actionsDeputised++;
        }
        for (const r of this.t.risks) {
          if (r.deputyId !== personId) continue;
          r.deputyId = null;
          h.risksDeputised++;
        }
      } else {
        if (to.deputyId === personId) to.deputyId = null;
        for (const p of this.t.people) if (p.successorId === personId) p.successorId = to.id;
      }
      h.identitiesMoved = this.t.identities.filter((i) => i.personId === personId).map((i) => i.platform as PlatformName);
      this.t.identities = this.t.identities.filter((i) => i.personId !== personId);
      this.t.lookups = this.t.lookups.filter((l) => l.personId !== personId);
      Object.assign(person, { active: false, successorId: to?.id ?? null, deputyId: null });
      this.t.audit.push(storedAudit(handOverAudit('person.retire', by, before, to, h)));
      return h;
    });
  }

  erasePerson(personId: number, req: ErasureRequest): Promise<Erasure> {
    return this.store.transaction(async () => {
      if (this.row(personId).erasedAt) return { ...emptyErasure(), already: true };
      const ids = [personId, ...mergedInto(this.t.audit, personId)];
      const rows = ids.map((id) => this.row(id));
      const earlier = earlierIdentity(this.t.audit, ids);
      const needles = erasureNeedles(
        {
          names: [...rows.map((r) => r.displayName), ...earlier.names],
          emails: [...rows.flatMap((r) => (r.email ? [r.email] : [])), ...earlier.emails],
          platformIds: this.t.identities.filter((i) => ids.includes(i.personId)).map((i) => i.platformUserId),
        },
        this.t.people.filter((p) => !ids.includes(p.id)).map((p) => p.displayName),
      );
      const re = mentionPattern(needles);
      const mine = (id: number | null | undefined) => id !== null && id !== undefined && ids.includes(id);
      const e: Erasure = { ...emptyErasure(), duplicates: ids.length - 1 };
      const drop = <T>(rows: T[], gone: (r: T) => boolean): [T[], number] => [rows.filter((r) => !gone(r)), rows.filter(gone).length];
      [this.t.identities, e.identities] = drop(this.t.identities, (i) => mine(i.personId));
      [this.t.lookups, e.lookups] = drop(this.t.lookups, (l) => mine(l.personId));
      for (const m of this.t.outbox) {
        if (!mine(m.personId)) continue;
        Object.assign(m, { message: copy(ERASED_MESSAGE), channel: ERASED_CHANNEL }, m.state === 'pending' || m.state === 'held' ? { state: 'dead', lastError: ERASED_ERROR } : m.lastError ? { lastError: ERASED_ERROR } : {});
        e.messages++;
      }
      for (const x of [...this.t.people, ...this.t.indicators, ...this.t.actions, ...this.t.risks]) {
        if (!mine(x.deputyId)) continue;
        x.deputyId = null;
        if (!('email' in x && ids.includes(x.id))) e.deputyships++;
      }
      for (const o of this.t.observations) if (mine(o.submittedById)) o.submittedByLabel = req.label;
      for (const n of this.t.notCollected) if (mine(n.byId)) n.byLabel = req.label;
      for (const a of this.t.audit) if (mine(a.actorId)) a.actorLabel = req.label;
      for (const r of rows) Object.assign(r, { displayName: req.label, email: null, absentUntil: null, deputyId: null, active: false, erasedAt: req.by.at });
      if (re) {
        for (const [name, table] of Object.entries(this.t) as [keyof Tables, unknown][]) {
          if (name === 'people' || !Array.isArray(table)) continue;
          table.forEach((row, i) => {
            const s = scrubMentions(row, re, req.label);
            if (!s.changed) return;
            table[i] = s.value;
            e.mentions++;
          });
        }
      }
      this.t.audit.push(storedAudit(erasureAudit(personId, req, re, { duplicates: e.duplicates, identities: e.identities, lookups: e.lookups, messages: e.messages, deputyships: e.deputyships, mentions: e.mentions })));
      return e;
    });
  }

  async personalData(personId: number): Promise<PersonalData> {
    const person = this.row(personId);
    const sections: PersonalData['sections'] = {};
    for (const ref of PERSON_REFERENCES) {
      const table = MEMORY_TABLES[ref.table];
      if (!table) continue;
      const field = camelCase(ref.column);
      sections[ref.section] = copy((this.t[table] as unknown as Record<string, unknown>[]).filter((r) => r[field] === personId));
    }
    sections.auditAboutThem = copy(this.t.audit.filter((a) => a.entity === 'person' && a.entityId === String(personId))) as unknown as Record<string, unknown>[];
    return { person: this.toPerson(person), sections };
  }

  async setAbsence(personId: number, until: LocalDate | null) {
    const p = this.t.people.find((x) => x.id === personId);
    if (!p) throw new Error(`no person ${personId}`);
    p.absentUntil = until;
  }

  async identityLookups(personIds?: number[]): Promise<IdentityLookupRecord[]> {
    return this.t.lookups
      .filter((l) => !personIds || personIds.includes(l.personId))
      .map((l) => copy({ personId: l.personId, platform: l.platform, outcome: l.outcome as LookupOutcome | null, detail: l.detail, lookedUpAt: l.lookedUpAt, reportedAt: l.reportedAt }));
  }

  async claimLookup(personId: number, platform: PlatformName, holder: string, now: Date, opts: { notFoundBefore: Date; failedBefore: Date; claimUntil: Date; force?: boolean }) {
    const row = this.t.lookups.find((l) => l.personId === personId && l.platform === platform);
    if (!row) {
      this.t.lookups.push({ personId, platform, outcome: null, detail: null, lookedUpAt: null, claimedBy: holder, claimedUntil: opts.claimUntil, reportedAt: null });
      return true;
    }
    if (!mayClaimLookup(row, now, opts)) return false;
    Object.assign(row, { claimedBy: holder, claimedUntil: opts.claimUntil });
    return true;
  }

  async recordLookup(personId: number, platform: PlatformName, outcome: LookupOutcome, detail: string | null, now: Date) {
    const row = this.t.lookups.find((l) => l.personId === personId && l.platform === platform);
    if (row) Object.assign(row, lookupRecorded(outcome, detail, now));
    else this.t.lookups.push({ personId, platform, outcome, detail, lookedUpAt: now, claimedBy: null, claimedUntil: null, reportedAt: null });
  }

  async markLookupsReported(personIds: number[], platforms: PlatformName[], at: Date) {
    for (const l of this.t.lookups) if (personIds.includes(l.personId) && platforms.includes(l.platform)) l.reportedAt = at;
  }

  async lastDeliveries(personIds?: number[]): Promise<Map<number, DeliveryRecord>> {
    const out = new Map<number, DeliveryRecord>();
    for (const m of this.t.outbox) {
      if (m.personId === null || (personIds && !personIds.includes(m.personId))) continue;
      // Rows are in id order: the last one for a person wins.
      out.set(m.personId, { personId: m.personId, platform: m.platform, state: m.state, purpose: m.purpose, at: m.sentAt ?? m.createdAt, error: m.lastError });
    }
    return copy(out);
  }

  // ---- channels ----

  async channelSubscriptions(filter: { platform?: PlatformName; channelId?: string } = {}): Promise<SubscriptionRecord[]> {
    return this.t.subscriptions
      .filter((s) => (!filter.platform || s.platform === filter.platform) && (!filter.channelId || s.channelId === filter.channelId))
      .map((s) => copy({ platform: s.platform, channelId: s.channelId, themeId: s.themeId, indicatorId: s.indicatorId, events: toAlertEvents(s.events), channelName: s.channelName }));
  }

  async subscribe(sub: NewSubscription): Promise<'created' | 'updated' | 'unchanged'> {
    const scope = subscriptionScope(sub);
    const events = storedEvents(sub.events);
    const existing = this.t.subscriptions.find((s) => s.platform === sub.platform && s.channelId === sub.channelId && s.scope === scope);
    if (existing) {
      if (sameSubscription(existing, events, sub.channelName)) return 'unchanged';
      existing.events = events;
      if (sub.channelName) existing.channelName = sub.channelName;
      return 'updated';
    }
    this.t.subscriptions.push({ id: this.store.nextId('subscription'), platform: sub.platform, channelId: sub.channelId, themeId: sub.themeId, indicatorId: sub.indicatorId, events, channelName: sub.channelName, createdById: sub.createdById, scope });
    return 'created';
  }

  async unsubscribe(platform: PlatformName, channelId: string, scope: { themeId: number | null; indicatorId: number | null }) {
    const key = subscriptionScope(scope);
    const before = this.t.subscriptions.length;
    this.t.subscriptions = this.t.subscriptions.filter((s) => !(s.platform === platform && s.channelId === channelId && s.scope === key));
    return this.t.subscriptions.length < before;
  }

  // ---- themes and indicators ----

  async themes(): Promise<ThemeRecord[]> {
    return copy([...this.t.themes].sort((a, b) => a.id - b.id));
  }

  async theme(id: number) {
    return copy(this.t.themes.find((t) => t.id === id) ?? null);
  }

  private toIndicator(i: IndicatorRow): IndicatorRecord {
    const theme = i.themeId !== null ? this.t.themes.find((t) => t.id === i.themeId) : undefined;
    return copy({ ...i, themeName: theme?.name ?? null, directorId: theme?.directorId ?? null });
  }

  private matching(f: IndicatorFilter = {}): IndicatorRecord[] {
    return this.t.indicators
      .map((i) => this.toIndicator(i))
      .filter(
        (i) =>
          (f.activeOnly === false || i.active) &&
          (f.themeId === undefined || i.themeId === f.themeId) &&
          (f.personId === undefined || i.ownerId === f.personId || i.deputyId === f.personId) &&
          (f.directorId === undefined || i.directorId === f.directorId) &&
          (f.ids === undefined || f.ids.includes(i.id)),
      );
  }

  async indicator(id: number) {
    const i = this.t.indicators.find((x) => x.id === id);
    return i ? this.toIndicator(i) : null;
  }

  async indicatorBySlug(slug: string) {
    const i = this.t.indicators.find((x) => x.slug === slug.toLowerCase());
    return i ? this.toIndicator(i) : null;
  }

  async indicators(f: IndicatorFilter = {}) {
    // By theme (indicators without one last), then id.
    const theme = (i: IndicatorRecord) => i.themeId ?? Number.MAX_SAFE_INTEGER;
    return this.matching(f).sort((a, b) => theme(a) - theme(b) || a.id - b.id);
  }

  async searchIndicators(query: string, limit: number, filter?: IndicatorFilter) {
    const rows = this.matching(filter);
    if (!query.trim()) return rows.sort((a, b) => byText(a.slug, b.slug)).slice(0, limit);
    return rankMatches(rows, query, limit);
  }

  // ---- values ----

  async history(indicatorId: number) {
    return (await this.histories([indicatorId])).get(indicatorId)!;
  }

  async histories(indicatorIds: number[]) {
    const out = new Map<number, { observations: ObservationRecord[]; targets: TargetRecord[] }>();
    for (const id of indicatorIds) {
      out.set(id, {
        observations: this.t.observations.filter((o) => o.indicatorId === id && o.latest).sort(byPeriod).map(observation),
        targets: this.t.targets.filter((x) => x.indicatorId === id).sort(byPeriod).map(target),
      });
    }
    return out;
  }

  async observationVersions(indicatorId: number, periodKey?: string) {
    return this.t.observations
      .filter((o) => o.indicatorId === indicatorId && (periodKey === undefined || o.periodKey === periodKey))
      .sort((a, b) => byText(b.periodStart, a.periodStart) || byText(b.periodEnd, a.periodEnd) || b.version - a.version)
      .map(observation);
  }

  async observationVersionsSince(since: Date, indicatorIds: number[]) {
    return this.t.observations
      .filter((o) => indicatorIds.includes(o.indicatorId) && o.submittedAt.getTime() > since.getTime())
      .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id - b.id)
      .map(observation);
  }

  /** The sign-off that holds a value (src/repo/rules.ts), from the store's locks and snapshots. */
  private holdOn(indicatorId: number, periodKey: string, at: Date): SignOffHold | null {
    const org = this.t.org ?? DEFAULT_ORG;
    const printed = this.t.signedOffValues.filter((v) => v.indicatorId === indicatorId && v.periodKey === periodKey && v.version !== null).map((v) => v.quarterKey);
    return signOffHold(this.t.locks, printed, periodFromKey(periodKey, org.fyStartMonth), localDateOf(at, org.timeZone), org.fyStartMonth);
  }

  async saveObservation(o: NewObservation): Promise<ObservationRecord> {
    const saved = this.saveOne(o);
    // Calculated indicators reading this one, worked out again (src/repo/calculated.ts).
    await recalculate(this.calculationStore(), { indicatorIds: [o.indicatorId], periodKeys: [o.periodKey] }, o.submittedAt);
    return saved;
  }

  private calculationStore(): CalculationStore {
    return { indicators: (f) => this.indicators(f), histories: (ids) => this.histories(ids), org: () => this.org(), saveOne: async (x) => this.saveOne(x), anyCalculated: async () => this.t.indicators.some((i) => Boolean(i.formula)) };
  }

  /** Save one value (no recalculation). */
  private saveOne(o: NewObservation): ObservationRecord {
    // No await between the checks and the write: nothing can come between them, as the Prisma
    // repository's transaction and sign-off lock ensure.
    const lock = this.holdOn(o.indicatorId, o.periodKey, o.submittedAt);
    const who = o.submittedById !== null ? (this.t.people.find((p) => p.id === o.submittedById) ?? null) : null;
    const ind = this.t.indicators.find((i) => i.id === o.indicatorId) ?? null;
    checkSave(o, who, ind, lock);
    if (!ind) throw new Error(`no indicator ${o.indicatorId}`);
    const current = this.t.observations.find((x) => x.indicatorId === o.indicatorId && x.periodKey === o.periodKey && x.latest) ?? null;
    checkReplaces(o, current);
    if (current) current.latest = false;
    const row: ObservationRow = { id: this.store.nextId('observation'), ...observationFields(o, (current?.version ?? 0) + 1), periodStart: o.periodStart, periodEnd: o.periodEnd, latest: true };
    this.t.observations.push(row);
    this.t.audit.push(storedAudit(observationAudit(o, row, current !== null, lock)));
    return observation(row);
  }

  // ---- sign-off ----

  async periodLocks() {
    return copy([...this.t.locks].sort(byPeriod));
  }

  async lockCovering(periodStart: LocalDate, periodEnd: LocalDate) {
    return copy(coveringLock(this.t.locks, periodStart, periodEnd));
  }

  async signOffHold(indicatorId: number, periodKey: string, at: Date) {
    return copy(this.holdOn(indicatorId, periodKey, at));
  }

  async quarterSnapshot(quarterKey: string): Promise<QuarterSnapshot | null> {
    const s = this.t.snapshots.find((x) => x.quarterKey === quarterKey);
    if (!s) return null;
    const covered = this.t.signedOffValues
      .filter((v) => v.quarterKey === quarterKey)
      .sort((a, b) => a.indicatorId - b.indicatorId || byText(a.periodKey, b.periodKey))
      .map(({ indicatorId, periodKey, version }) => ({ indicatorId, periodKey, version }));
    // As the database gives JSON back: a fresh copy, dates as text.
    return { quarterKey, takenAt: new Date(s.takenAt), report: JSON.parse(JSON.stringify(s.report)) as unknown, covered };
  }

  async closePeriod(
    lock: { periodKey: string; periodStart: LocalDate; periodEnd: LocalDate; closedById: number | null; actorLabel: string; at: Date },
    snapshot?: { takenAt: Date; report: unknown; covered: SignedOffValue[] },
  ) {
    const existing = this.t.locks.find((l) => l.periodKey === lock.periodKey);
    if (existing) return { lock: copy(existing), created: false };
    const values = this.t.observations.filter((o) => o.latest && o.periodStart >= lock.periodStart && o.periodEnd <= lock.periodEnd).length;
    const row: PeriodLockRecord = { periodKey: lock.periodKey, periodStart: lock.periodStart, periodEnd: lock.periodEnd, closedAt: lock.at, closedById: lock.closedById };
    this.t.locks.push(row);
    if (snapshot) {
      this.t.snapshots.push({ quarterKey: lock.periodKey, takenAt: snapshot.takenAt, report: JSON.parse(JSON.stringify(snapshot.report)) as unknown });
      for (const c of snapshot.covered) {
        if (this.t.signedOffValues.some((v) => v.quarterKey === lock.periodKey && v.indicatorId === c.indicatorId && v.periodKey === c.periodKey)) throw new Error(`signed_off_value: (${lock.periodKey}, ${c.indicatorId}, ${c.periodKey}) exists`);
        this.t.signedOffValues.push({ quarterKey: lock.periodKey, indicatorId: c.indicatorId, periodKey: c.periodKey, version: c.version });
      }
    }
    this.t.audit.push(storedAudit(periodCloseAudit(lock, values)));
    return { lock: copy(row), created: true };
  }

  // ---- periods not collected ----

  async notCollected(filter: { indicatorIds?: number[] } = {}) {
    const ids = filter.indicatorIds;
    const themes = ids ? new Set(this.t.indicators.filter((i) => ids.includes(i.id)).map((i) => i.themeId)) : null;
    const applies = (m: NotCollectedRecord) =>
      !ids || (m.indicatorId !== null ? ids.includes(m.indicatorId) : m.themeId !== null ? themes!.has(m.themeId) : true);
    return copy(this.t.notCollected.filter(applies).sort((a, b) => byPeriod(a, b) || a.id - b.id));
  }

  async markNotCollected(mark: NewNotCollected, who: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>) {
    const existing = this.t.notCollected.find((m) => sameNotCollected(m, mark));
    if (existing) {
      const before = existing.reason;
      Object.assign(existing, copy(mark), { id: existing.id });
      if (before !== mark.reason) this.t.audit.push(storedAudit(notCollectedAudit('period.not-collected', existing, who, before)));
      return { mark: copy(existing), created: false };
    }
    const row: NotCollectedRecord = { ...copy(mark), id: this.store.nextId('not_collected') };
    this.t.notCollected.push(row);
    this.t.audit.push(storedAudit(notCollectedAudit('period.not-collected', row, who)));
    return { mark: copy(row), created: true };
  }

  async unmarkNotCollected(scope: { indicatorId: number | null; themeId: number | null; periodKey: string }, who: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>) {
    const i = this.t.notCollected.findIndex((m) => sameNotCollected(m, scope));
    if (i < 0) return null;
    const [row] = this.t.notCollected.splice(i, 1);
    this.t.audit.push(storedAudit(notCollectedAudit('period.collected', row!, who)));
    return copy(row!);
  }

  // ---- exception reports ----

  async exceptionReport(indicatorId: number, periodKey: string) {
    return copy(this.t.exceptionReports.find((r) => r.indicatorId === indicatorId && r.periodKey === periodKey) ?? null);
  }

  async exceptionReportById(id: number) {
    return copy(this.t.exceptionReports.find((r) => r.id === id) ?? null);
  }

  async exceptionReports(filter: { periodKey?: string; states?: ExceptionState[]; indicatorIds?: number[] } = {}) {
    return copy(
      this.t.exceptionReports
        .filter((r) => (filter.periodKey === undefined || r.periodKey === filter.periodKey) && (!filter.states || filter.states.includes(r.state)) && (!filter.indicatorIds || filter.indicatorIds.includes(r.indicatorId)))
        .sort((a, b) => a.id - b.id),
    );
  }

  async saveExceptionReport(r: Parameters<Repository['saveExceptionReport']>[0], opts: Parameters<Repository['saveExceptionReport']>[1]) {
    const current = this.t.exceptionReports.find((x) => x.indicatorId === r.indicatorId && x.periodKey === r.periodKey) ?? null;
    // Compare-and-set: null expects no report yet, a number that version.
    if (opts.expectedVersion === null ? current !== null : current?.version !== opts.expectedVersion) throw new StaleReportError(copy(current));
    // Fields left out are kept (a new report: empty), as an update of only the given columns.
    const given = Object.fromEntries(Object.entries({ reviewerId: r.reviewerId, reviewComment: r.reviewComment, submittedAt: r.submittedAt, reviewedAt: r.reviewedAt, approvedValue: r.approvedValue, approvedStatus: r.approvedStatus }).filter(([, v]) => v !== undefined));
    const fields = { questions: r.questions, answers: r.answers, state: r.state, authorId: r.authorId, ...given, updatedAt: opts.audit?.at ?? this.clock.now() };
    let saved: ExceptionReportRecord;
    if (!current) {
      saved = { id: this.store.nextId('exception_report'), indicatorId: r.indicatorId, periodKey: r.periodKey, reviewerId: null, reviewComment: null, submittedAt: null, reviewedAt: null, chaseCount: 0, lastChasedAt: null, approvedValue: null, approvedStatus: null, version: 1, ...copy(fields) };
      this.t.exceptionReports.push(saved);
    } else {
      saved = Object.assign(current, copy(fields), { version: current.version + 1 });
    }
    if (opts.audit) this.t.audit.push(storedAudit(exceptionAudit(opts.audit, saved)));
    return copy(saved);
  }

  // ---- statuses ----

  async latestStatusChanges(indicatorIds?: number[]) {
    const out = new Map<number, StatusChangeRecord>();
    for (const s of [...this.t.statusChanges].sort((a, b) => a.id - b.id)) if (!indicatorIds || indicatorIds.includes(s.indicatorId)) out.set(s.indicatorId, statusChange(s));
    return out;
  }

  async statusChangesSince(since: Date) {
    return this.t.statusChanges.filter((s) => s.observedAt >= since).sort((a, b) => a.id - b.id).map(statusChange);
  }

  async recordStatusChanges(changes: NewStatusChange[]) {
    const out: StatusChangeRecord[] = [];
    for (const c of changes) {
      if (this.t.statusChanges.some((s) => s.indicatorId === c.indicatorId && s.transitionKey === c.transitionKey)) continue;
      const row = { ...copy(c), id: this.store.nextId('status_change'), target: c.target ?? null, forecastMiss: c.forecastMiss ?? null };
      this.t.statusChanges.push(row);
      out.push(statusChange(row));
    }
    return out;
  }

  async recentHistories(window: number, indicatorIds?: number[]) {
    const active = this.t.indicators.filter((i) => i.active && (!indicatorIds || indicatorIds.includes(i.id))).sort((a, b) => a.id - b.id);
    const recent = new Map<number, ObservationRow[]>();
    for (const i of active) {
      const latest = this.t.observations.filter((o) => o.indicatorId === i.id && o.latest).sort(byPeriod).slice(-window);
      if (latest.length) recent.set(i.id, latest);
    }
    // Targets from a year before the oldest value read (the engine ignores those it does not need).
    const oldest = [...recent.values()].reduce((min, obs) => (obs[0]!.periodStart < min ? obs[0]!.periodStart : min), '9999-12-31');
    const from = yearBefore(oldest);
    const out = new Map<number, { observations: ValueRecord[]; targets: TargetRecord[] }>();
    for (const [id, obs] of recent) {
      out.set(id, {
        observations: obs.map((o) => ({ periodKey: o.periodKey, value: o.value, estimated: o.estimated, provisional: o.provisional, assessedStatus: o.assessedStatus })),
        targets: this.t.targets.filter((x) => x.indicatorId === id && x.periodEnd >= from).sort(byPeriod).map(target),
      });
    }
    return out;
  }

  // ---- incremental evaluation ----
  // The database records what changed with triggers on indicator, observation and target; here an
  // indicator's fingerprint (its row, its current values and its targets) is compared with the one the
  // last run read. A change made while a run is under way gives a new fingerprint, so it stays changed.

  private fingerprint(id: number): string {
    const ind = this.t.indicators.find((i) => i.id === id);
    const obs = this.t.observations.filter((o) => o.indicatorId === id && o.latest).map((o) => [o.periodKey, o.version]);
    const tgt = this.t.targets.filter((x) => x.indicatorId === id);
    return JSON.stringify([ind, obs, tgt]);
  }

  async hasStatusChanges() {
    return this.t.statusChanges.length > 0;
  }

  async evaluationState() {
    return copy(this.t.evaluation.state);
  }

  async changedIndicators(): Promise<IndicatorChange[]> {
    return this.t.indicators
      .map((i) => ({ indicatorId: i.id, mark: this.fingerprint(i.id) }))
      .filter((c) => this.t.evaluation.seen[c.indicatorId] !== c.mark)
      .sort((a, b) => a.indicatorId - b.indicatorId);
  }

  async indicatorCadences(): Promise<Cadence[]> {
    const seen = new Map<string, Cadence>();
    for (const i of this.t.indicators) if (i.active) seen.set(`${i.frequency}:${i.reportingLagDays}`, { frequency: i.frequency, reportingLagDays: i.reportingLagDays });
    return [...seen.values()];
  }

  async indicatorIdsWithCadence(cadences: Cadence[]) {
    return this.t.indicators.filter((i) => i.active && cadences.some((c) => c.frequency === i.frequency && c.reportingLagDays === i.reportingLagDays)).map((i) => i.id);
  }

  async indicatorIdsWithValuesBegun(after: LocalDate, upTo: LocalDate) {
    const active = new Set(this.t.indicators.filter((i) => i.active).map((i) => i.id));
    return [...new Set(this.t.observations.filter((o) => o.latest && active.has(o.indicatorId) && o.periodStart > after && o.periodStart <= upTo).map((o) => o.indicatorId))];
  }

  async finishEvaluation(o: { at: Date; full: boolean; settings: string; seen: IndicatorChange[] }) {
    for (const s of o.seen) this.t.evaluation.seen[s.indicatorId] = s.mark;
    const before = this.t.evaluation.state;
    this.t.evaluation.state = { lastRunAt: o.at, lastFullAt: o.full ? o.at : (before?.lastFullAt ?? new Date(0)), settings: o.settings };
  }

  // ---- reminders, snoozes, events, audit ----

  async reminders(kind: ReminderKind, indicatorIds: number[]) {
    const state = (key: string | null | undefined) => (key ? (this.t.outbox.find((m) => m.key === key)?.state ?? null) : null);
    return this.t.reminders
      .filter((r) => r.kind === kind && indicatorIds.includes(r.indicatorId) && reminderCounts(state(r.messageKey)))
      .sort((a, b) => a.id - b.id)
      .map(({ id: _id, ...r }) => copy({ ...r, messageKey: r.messageKey ?? null }));
  }

  async peopleRemindedSince(since: LocalDate) {
    const state = (key: string | null | undefined) => (key ? (this.t.outbox.find((m) => m.key === key)?.state ?? null) : null);
    return new Set(this.t.reminders.filter((r) => r.sentOn >= since && reminderCounts(state(r.messageKey))).map((r) => r.personId));
  }

  async recordReminders(rows: ReminderRecord[]) {
    return insertNew(
      this.t.reminders,
      rows,
      (x, r) => x.kind === r.kind && x.indicatorId === r.indicatorId && x.periodKey === r.periodKey && x.sentOn === r.sentOn,
      (r) => ({ ...copy(r), id: this.store.nextId('reminder') }),
    );
  }

  async snooze(indicatorId: number, until: Date, byId: number | null) {
    this.t.snoozes.push({ indicatorId, until, byId });
  }

  async snoozedIndicatorIds(now: Date) {
    return new Set(this.t.snoozes.filter((s) => s.until > now).map((s) => s.indicatorId));
  }

  async recordInboundEvent(id: string, at: Date) {
    if (this.t.inboundEvents.some((e) => e.id === id)) return false;
    this.t.inboundEvents.push({ id, receivedAt: at });
    return true;
  }

  async audit(entry: AuditEntry) {
    this.t.audit.push(storedAudit(entry));
  }

  /** Every audit entry written, oldest first (what the audit_log table holds). */
  auditLog(): AuditEntry[] {
    return copy(this.t.audit);
  }

  async writeRegister(register: Register, opts: WriteOptions): Promise<WriteSummary> {
    const summary = await writeRegisterIn(this.store, register, opts);
    await recalculate(this.calculationStore(), { indicatorIds: await registerIndicatorIds(this, register) }, opts.at);
    return summary;
  }
}

const observation = ({ latest: _l, periodStart: _s, periodEnd: _e, ...o }: ObservationRow): ObservationRecord => copy(o);
const target = ({ periodStart: _s, periodEnd: _e, ...t }: TargetRecord & { periodStart: LocalDate; periodEnd: LocalDate }): TargetRecord => copy(t);
const statusChange = ({ transitionKey: _k, ...s }: StatusChangeRecord & { transitionKey: string }): StatusChangeRecord => copy(s);
