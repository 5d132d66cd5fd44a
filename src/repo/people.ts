// People and how the bot reaches them: identities per platform (person_identity), what e-mail
// lookups found (identity_lookup), absences, channel subscriptions and each person's last delivery.
// Part of the Repository port (src/repo/prisma-repository.ts delegates here).
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type {
  ChangedBy,
  DeliveryRecord,
  Erasure,
  ErasureRequest,
  HandOver,
  IdentityLookupRecord,
  LinkedBy,
  LookupOutcome,
  NewSubscription,
  PersonalData,
  PersonPatch,
  PersonRecord,
  PlatformName,
  Role,
  SubscriptionRecord,
} from '../ports.ts';
import type { LocalDate } from '../domain/types.ts';
import { NotFoundError } from '../errors.ts';
import { auditRow } from './audit-row.ts';
import {
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
  mentionLikes,
  mentionPattern,
  mergedInto,
  PERSON_REFERENCES,
  scrubMentions,
  handOverAudit,
  lookupRecorded,
  mergeLinks,
  personChanges,
  personRef,
  sameSubscription,
  storedEvents,
  subscriptionScope,
  toAlertEvents,
  userTaken,
} from './rules.ts';

type Tx = Prisma.TransactionClient;

const toLocalDate = (d: Date): LocalDate => d.toISOString().slice(0, 10);

export const personSelect = {
  id: true,
  displayName: true,
  email: true,
  role: true,
  deputyId: true,
  absentUntil: true,
  active: true,
  successorId: true,
  erasedAt: true,
  identities: { select: { platform: true, platformUserId: true, confirmed: true } },
} as const satisfies Prisma.PersonSelect;

export function toPerson(p: Prisma.PersonGetPayload<{ select: typeof personSelect }>): PersonRecord {
  const { identities, absentUntil, erasedAt, ...rest } = p;
  const links = (confirmed: boolean) => Object.fromEntries(identities.filter((i) => i.confirmed === confirmed).map((i) => [i.platform, i.platformUserId])) as PersonRecord['identities'];
  const unconfirmed = links(false);
  return {
    ...rest,
    identities: links(true),
    ...(Object.keys(unconfirmed).length ? { unconfirmed } : {}),
    absentUntil: absentUntil ? toLocalDate(absentUntil) : null,
    ...(erasedAt ? { erasedAt } : {}),
  };
}


export class PeopleStore {
  constructor(private readonly db: PrismaClient) {}

  async person(id: number) {
    const p = await this.db.person.findUnique({ where: { id }, select: personSelect });
    return p ? toPerson(p) : null;
  }

  async people(filter: { role?: Role; ids?: number[] } = {}) {
    const rows = await this.db.person.findMany({
      where: { role: filter.role, id: filter.ids ? { in: filter.ids } : undefined },
      select: personSelect,
      orderBy: { displayName: 'asc' },
    });
    return rows.map(toPerson);
  }

  async personByPlatformUser(platform: PlatformName, userId: string) {
    const link = await this.db.personIdentity.findUnique({ where: { platform_platformUserId: { platform, platformUserId: userId } }, select: { confirmed: true, person: { select: personSelect } } });
    if (link?.confirmed) return toPerson(link.person);
    if (platform !== 'console') return null;
    // On the console people are who they say they are: an e-mail address, a chat platform's user id or a name.
    const p = await this.db.person.findFirst({
      where: { OR: [{ email: { equals: userId, mode: 'insensitive' } }, { identities: { some: { platformUserId: userId } } }, { displayName: { equals: userId, mode: 'insensitive' } }] },
      select: personSelect,
      // A merged duplicate keeps the name: the active person first.
      orderBy: [{ active: 'desc' }, { id: 'asc' }],
    });
    return p ? toPerson(p) : null;
  }

  async personByEmail(email: string) {
    const p = await this.db.person.findFirst({ where: { email: { equals: email.trim(), mode: 'insensitive' } }, select: personSelect });
    return p ? toPerson(p) : null;
  }

  async linkPlatformUser(personId: number, platform: PlatformName, userId: string, how: { linkedBy: LinkedBy; at: Date } = { linkedBy: 'first-contact', at: new Date() }): Promise<'linked' | 'already' | 'conflict'> {
    if (platform === 'console') return 'already';
    // An unconfirmed id (from a sheet) gives way: the person's own there, and anyone's link to this user.
    // ON CONFLICT DO NOTHING: two first requests from the same person at once both end up linked.
    const [, inserted] = await this.db.$transaction([
      this.db.$executeRaw`
        DELETE FROM person_identity WHERE platform = ${platform} AND NOT confirmed AND (person_id = ${personId} OR platform_user_id = ${userId})`,
      this.db.$executeRaw`
        INSERT INTO person_identity (platform, platform_user_id, person_id, linked_by, linked_at, confirmed)
        VALUES (${platform}, ${userId}, ${personId}, ${how.linkedBy}, ${how.at}, true)
        ON CONFLICT DO NOTHING`,
    ]);
    if (inserted === 1) return 'linked';
    const existing = await this.db.personIdentity.findUnique({ where: { platform_platformUserId: { platform, platformUserId: userId } }, select: { personId: true } });
    return existing?.personId === personId ? 'already' : 'conflict';
  }

  async forgetUnconfirmed(personId: number, platform: PlatformName) {
    await this.db.personIdentity.deleteMany({ where: { personId, platform, confirmed: false } });
  }

  editPerson(personId: number, patch: PersonPatch, by: ChangedBy): Promise<PersonRecord> {
    return this.db.$transaction(async (tx) => {
      const before = await tx.person.findUnique({ where: { id: personId }, select: personSelect });
      if (!before) throw new NotFoundError(`There is no person ${personId} in the register.`);
      const was = toPerson(before);
      if (patch.email !== undefined && patch.email.toLowerCase() !== was.email?.toLowerCase()) {
        const other = await tx.person.findFirst({ where: { email: { equals: patch.email, mode: 'insensitive' }, id: { not: personId } }, select: { id: true, displayName: true, email: true } });
        if (other) throw emailTaken(patch.email, other);
      }
      const changes = personChanges(was, patch);
      if (!Object.keys(changes).length) return was;
      await tx.person.update({
        where: { id: personId },
        data: {
          ...(patch.email !== undefined ? { email: patch.email } : {}),
          ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.deputyId !== undefined ? { deputyId: patch.deputyId } : {}),
          ...(patch.active !== undefined ? { active: patch.active, ...(patch.active ? { successorId: null } : {}) } : {}),
        },
      });
      // What lookups found under the old address no longer says anything.
      if (changes.email) await tx.identityLookup.deleteMany({ where: { personId } });
      for (const [platform, userId] of Object.entries(patch.identities ?? {})) {
        if (userId === undefined) continue;
        if (userId !== null) {
          const holder = await tx.personIdentity.findUnique({ where: { platform_platformUserId: { platform, platformUserId: userId } }, select: { confirmed: true, person: { select: { id: true, displayName: true, email: true } } } });
          if (holder && holder.person.id !== personId && holder.confirmed) throw userTaken(platform, userId, holder.person);
        }
        await tx.personIdentity.deleteMany({ where: { platform, OR: [{ personId }, ...(userId !== null ? [{ platformUserId: userId }] : [])] } });
        if (userId !== null) await tx.personIdentity.create({ data: { personId, platform, platformUserId: userId, linkedBy: 'admin', linkedAt: by.at, confirmed: true } });
        await tx.identityLookup.deleteMany({ where: { personId, platform } });
      }
      await tx.auditLog.create({ data: auditRow({ ...by, action: 'person.edit', entity: 'person', entityId: String(personId), details: { person: personRef(was), changes } }) });
      return toPerson((await tx.person.findUniqueOrThrow({ where: { id: personId }, select: personSelect })));
    });
  }

  mergePeople(fromId: number, intoId: number, by: ChangedBy): Promise<HandOver> {
    return this.db.$transaction(async (tx) => {
      const from = await tx.person.findUniqueOrThrow({ where: { id: fromId }, select: personSelect });
      const into = await tx.person.findUniqueOrThrow({ where: { id: intoId }, select: personSelect });
      const h = await handOverWork(tx, from.id, into.id);
      const links = (p: typeof from) => p!.identities.map((i) => ({ platform: i.platform, userId: i.platformUserId, confirmed: i.confirmed }));
      const m = mergeLinks(links(from), links(into));
      for (const l of m.replaced) await tx.personIdentity.deleteMany({ where: { personId: intoId, platform: l.platform } });
      for (const l of m.move) await tx.personIdentity.update({ where: { platform_platformUserId: { platform: l.platform, platformUserId: l.userId } }, data: { personId: intoId } });
      await tx.personIdentity.deleteMany({ where: { personId: fromId } });
      h.identitiesMoved = m.move.map((l) => l.platform as PlatformName);
      h.identitiesDropped = m.drop.map((l) => ({ platform: l.platform as PlatformName, userId: l.userId }));
      // The history they made is the person kept's: values, exception reports, reminders, and the rest.
      h.values = (await tx.observation.updateMany({ where: { submittedById: fromId }, data: { submittedById: intoId } })).count;
      h.exceptionReports = (await tx.exceptionReport.updateMany({ where: { authorId: fromId }, data: { authorId: intoId } })).count;
      h.exceptionReports += (await tx.exceptionReport.updateMany({ where: { reviewerId: fromId }, data: { reviewerId: intoId } })).count;
      h.reminders = (await tx.reminder.updateMany({ where: { personId: fromId }, data: { personId: intoId } })).count;
      await tx.actionUpdate.updateMany({ where: { authorId: fromId }, data: { authorId: intoId } });
      await tx.actionChange.updateMany({ where: { requestedById: fromId }, data: { requestedById: intoId } });
      await tx.actionChange.updateMany({ where: { decidedById: fromId }, data: { decidedById: intoId } });
      await tx.actionReminder.updateMany({ where: { personId: fromId }, data: { personId: intoId } });
      await tx.riskReview.updateMany({ where: { authorId: fromId }, data: { authorId: intoId } });
      await tx.riskReminder.updateMany({ where: { personId: fromId }, data: { personId: intoId } });
      await tx.commentaryReminder.updateMany({ where: { personId: fromId }, data: { personId: intoId } });
      await tx.commentary.updateMany({ where: { authorId: fromId }, data: { authorId: intoId } });
      await tx.snooze.updateMany({ where: { byId: fromId }, data: { byId: intoId } });
      await tx.periodLock.updateMany({ where: { closedById: fromId }, data: { closedById: intoId } });
      await tx.conversationRef.updateMany({ where: { personId: fromId }, data: { personId: intoId } });
      await tx.channelSubscription.updateMany({ where: { createdById: fromId }, data: { createdById: intoId } });
      await tx.identityLookup.deleteMany({ where: { personId: fromId } });
      await tx.person.update({ where: { id: intoId }, data: { deputyId: deputyAfterMerge(from, into) } });
      await tx.person.updateMany({ where: { successorId: fromId }, data: { successorId: intoId } });
      await tx.person.update({ where: { id: fromId }, data: { active: false, successorId: intoId, deputyId: null } });
      await tx.auditLog.create({ data: auditRow(handOverAudit('person.merge', by, from, into, h)) });
      return h;
    });
  }

  retirePerson(personId: number, handToId: number | null, by: ChangedBy): Promise<HandOver> {
    return this.db.$transaction(async (tx) => {
      const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: personSelect });
      const to = handToId === null ? null : await tx.person.findUniqueOrThrow({ where: { id: handToId }, select: personSelect });
      const h = to ? await handOverWork(tx, personId, to.id) : emptyHandOver();
      if (!to) {
        // Nobody to hand to: nothing of theirs may be left behind (the caller checks), but deputyships simply end.
        h.deputyFor = (await tx.person.updateMany({ where: { deputyId: personId }, data: { deputyId: null } })).count;
        h.indicatorsDeputised = (await tx.indicator.updateMany({ where: { deputyId: personId }, data: { deputyId: null } })).count;
        h.actionsDeputised = (await tx.action.updateMany({ where: { deputyId: personId }, data: { deputyId: null } })).count;
        h.risksDeputised = (await tx.risk.updateMany({ where: { deputyId: personId }, data: { deputyId: null } })).count;
      }
      h.identitiesMoved = person.identities.map((i) => i.platform as PlatformName);
      await tx.personIdentity.deleteMany({ where: { personId } });
      await tx.identityLookup.deleteMany({ where: { personId } });
      if (to) {
        await tx.person.updateMany({ where: { id: to.id, deputyId: personId }, data: { deputyId: null } });
        await tx.person.updateMany({ where: { successorId: personId }, data: { successorId: to.id } });
      }
      await tx.person.update({ where: { id: personId }, data: { active: false, successorId: to?.id ?? null, deputyId: null } });
      await tx.auditLog.create({ data: auditRow(handOverAudit('person.retire', by, person, to, h)) });
      return h;
    });
  }

  erasePerson(personId: number, req: ErasureRequest): Promise<Erasure> {
    return this.db.$transaction(
      async (tx) => {
        const first = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { erasedAt: true } });
        if (first.erasedAt) return { ...emptyErasure(), already: true };
        const audit = (await tx.auditLog.findMany({ where: { action: { in: ['person.merge', 'person.edit'] }, entity: 'person' }, select: { action: true, entity: true, entityId: true, details: true } })).map(
          (a) => ({ ...a, at: req.by.at, actorId: null, actorLabel: '' }),
        );
        const ids = [personId, ...mergedInto(audit, personId)];
        const rows = await tx.person.findMany({ where: { id: { in: ids } }, select: personSelect, orderBy: { id: 'asc' } });
        const earlier = earlierIdentity(audit, ids);
        const others = await tx.person.findMany({ where: { id: { notIn: ids } }, select: { displayName: true } });
        const needles = erasureNeedles(
          {
            names: [...rows.map((r) => r.displayName), ...earlier.names],
            emails: [...rows.flatMap((r) => (r.email ? [r.email] : [])), ...earlier.emails],
            platformIds: rows.flatMap((r) => r.identities.map((i) => i.platformUserId)),
          },
          others.map((o) => o.displayName),
        );
        const re = mentionPattern(needles);
        const mine = { in: ids };
        const e: Erasure = { ...emptyErasure(), duplicates: ids.length - 1 };
        const teamsIds = rows.flatMap((r) => r.identities.filter((i) => i.platform === 'teams').map((i) => i.platformUserId));
        e.identities = (await tx.personIdentity.deleteMany({ where: { personId: mine } })).count;
        e.lookups = (await tx.identityLookup.deleteMany({ where: { personId: mine } })).count;
        e.conversationRefs = (await tx.conversationRef.deleteMany({ where: { personId: mine } })).count;
        if (teamsIds.length) e.openForms = (await tx.openForm.deleteMany({ where: { audience: { in: teamsIds } } })).count;
        const payload = ERASED_MESSAGE as unknown as Prisma.InputJsonValue;
        await tx.outboundMessage.updateMany({ where: { personId: mine, state: { in: ['pending', 'held'] } }, data: { state: 'dead', lastError: ERASED_ERROR, claimToken: null, claimedUntil: null } });
        await tx.outboundMessage.updateMany({ where: { personId: mine, lastError: { not: null } }, data: { lastError: ERASED_ERROR } });
        e.messages = (await tx.outboundMessage.updateMany({ where: { personId: mine }, data: { payload, channel: ERASED_CHANNEL, postedChannel: null, progress: Prisma.DbNull } })).count;
        await tx.person.updateMany({ where: { id: mine }, data: { deputyId: null } });
        e.deputyships += (await tx.person.updateMany({ where: { deputyId: mine }, data: { deputyId: null } })).count;
        e.deputyships += (await tx.indicator.updateMany({ where: { deputyId: mine }, data: { deputyId: null } })).count;
        e.deputyships += (await tx.action.updateMany({ where: { deputyId: mine }, data: { deputyId: null } })).count;
        e.deputyships += (await tx.risk.updateMany({ where: { deputyId: mine }, data: { deputyId: null } })).count;
        await tx.observation.updateMany({ where: { submittedById: mine }, data: { submittedByLabel: req.label } });
        await tx.notCollected.updateMany({ where: { byId: mine }, data: { byLabel: req.label } });
        await tx.auditLog.updateMany({ where: { actorId: mine }, data: { actorLabel: req.label } });
        await tx.person.updateMany({ where: { id: mine }, data: { displayName: req.label, email: null, absentUntil: null, active: false, erasedAt: req.by.at } });
        if (re) e.mentions = await rewriteMentions(tx, needles, re, req.label);
        await tx.auditLog.create({ data: auditRow(erasureAudit(personId, req, re, { duplicates: e.duplicates, identities: e.identities, lookups: e.lookups, messages: e.messages, deputyships: e.deputyships, mentions: e.mentions })) });
        return e;
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  }

  async personalData(personId: number): Promise<PersonalData> {
    const p = await this.db.person.findUnique({ where: { id: personId }, select: personSelect });
    if (!p) throw new NotFoundError(`There is no person ${personId} in the register.`);
    const sections: PersonalData['sections'] = {};
    const rows = (sql: string, ...params: unknown[]) => this.db.$queryRawUnsafe<{ row: Record<string, unknown> }[]>(sql, ...params);
    const camelRow = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camelCase(k), v]));
    for (const ref of PERSON_REFERENCES) {
      // A signed-off quarter's whole report is the council's, not theirs: the sign-off itself is.
      const drop = ref.table === 'period_lock' ? ` - 'report'` : '';
      const found = await rows(`SELECT to_jsonb(t)${drop} AS row FROM ${quoted(ref.table)} t WHERE ${quoted(ref.column)} = $1 ORDER BY 1`, personId);
      sections[ref.section] = found.map((f) => camelRow(f.row));
    }
    sections.auditAboutThem = (await rows(`SELECT to_jsonb(t) AS row FROM audit_log t WHERE entity = 'person' AND entity_id = $1 ORDER BY id`, String(personId))).map((f) => camelRow(f.row));
    return { person: toPerson(p), sections };
  }

  async setAbsence(personId: number, until: LocalDate | null) {
    await this.db.person.update({ where: { id: personId }, data: { absentUntil: until ? new Date(`${until}T00:00:00.000Z`) : null } });
  }

  async identityLookups(personIds?: number[]): Promise<IdentityLookupRecord[]> {
    const rows = await this.db.identityLookup.findMany({
      where: personIds ? { personId: { in: personIds } } : {},
      select: { personId: true, platform: true, outcome: true, detail: true, lookedUpAt: true, reportedAt: true },
    });
    return rows.map((r) => ({ ...r, platform: r.platform as PlatformName, outcome: r.outcome as LookupOutcome | null }));
  }

  /** The rule is rules.ts's mayClaimLookup, said in one upsert so that two processes cannot both claim. */
  async claimLookup(personId: number, platform: PlatformName, holder: string, now: Date, opts: { notFoundBefore: Date; failedBefore: Date; claimUntil: Date; force?: boolean }): Promise<boolean> {
    const force = opts.force ?? false;
    const rows = await this.db.$queryRaw<{ person_id: number }[]>`
      INSERT INTO identity_lookup (person_id, platform, claimed_by, claimed_until)
      VALUES (${personId}, ${platform}, ${holder}, ${opts.claimUntil})
      ON CONFLICT (person_id, platform) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until
      WHERE (identity_lookup.claimed_until IS NULL OR identity_lookup.claimed_until < ${now})
        AND (${force} OR identity_lookup.outcome IS NULL
             OR (identity_lookup.outcome IN ('found', 'not_found') AND identity_lookup.looked_up_at < ${opts.notFoundBefore})
             OR (identity_lookup.outcome = 'failed' AND identity_lookup.looked_up_at < ${opts.failedBefore}))
      RETURNING person_id`;
    return rows.length === 1;
  }

  async recordLookup(personId: number, platform: PlatformName, outcome: LookupOutcome, detail: string | null, now: Date) {
    await this.db.identityLookup.upsert({
      where: { personId_platform: { personId, platform } },
      create: { personId, platform, outcome, detail, lookedUpAt: now },
      update: lookupRecorded(outcome, detail, now),
    });
  }

  async markLookupsReported(personIds: number[], platforms: PlatformName[], at: Date) {
    if (!personIds.length) return;
    await this.db.identityLookup.updateMany({ where: { personId: { in: personIds }, platform: { in: platforms } }, data: { reportedAt: at } });
  }

  async lastDeliveries(personIds?: number[]): Promise<Map<number, DeliveryRecord>> {
    const filter = personIds ? Prisma.sql`AND person_id = ANY(${personIds}::int[])` : Prisma.empty;
    const rows = await this.db.$queryRaw<{ person_id: number; platform: string | null; state: DeliveryRecord['state']; purpose: string; at: Date; last_error: string | null }[]>`
      SELECT DISTINCT ON (person_id) person_id, platform::text AS platform, state::text AS state, purpose, COALESCE(sent_at, created_at) AS at, last_error
      FROM outbound_message WHERE person_id IS NOT NULL ${filter}
      ORDER BY person_id, id DESC`;
    return new Map(rows.map((r) => [r.person_id, { personId: r.person_id, platform: r.platform as PlatformName | null, state: r.state, purpose: r.purpose, at: r.at, error: r.last_error }]));
  }

  async channelSubscriptions(filter: { platform?: PlatformName; channelId?: string } = {}): Promise<SubscriptionRecord[]> {
    const rows = await this.db.channelSubscription.findMany({
      where: { ...(filter.platform ? { platform: filter.platform } : {}), ...(filter.channelId ? { channelId: filter.channelId } : {}) },
      select: { platform: true, channelId: true, themeId: true, indicatorId: true, events: true, channelName: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({ ...r, events: toAlertEvents(r.events) }));
  }

  async subscribe(sub: NewSubscription): Promise<'created' | 'updated' | 'unchanged'> {
    const scope = subscriptionScope(sub);
    const events = storedEvents(sub.events);
    const where = { platform_channelId_scope: { platform: sub.platform, channelId: sub.channelId, scope } };
    const existing = await this.db.channelSubscription.findUnique({ where, select: { events: true, channelName: true } });
    if (existing) {
      if (sameSubscription(existing, events, sub.channelName)) return 'unchanged';
      await this.db.channelSubscription.update({ where, data: { events, ...(sub.channelName ? { channelName: sub.channelName } : {}) } });
      return 'updated';
    }
    const inserted = await this.db.$executeRaw`
      INSERT INTO channel_subscription (platform, channel_id, theme_id, indicator_id, events, channel_name, created_by_id, scope, created_at)
      VALUES (${sub.platform}, ${sub.channelId}, ${sub.themeId}, ${sub.indicatorId}, ${events}::text[], ${sub.channelName}, ${sub.createdById}, ${scope}, now())
      ON CONFLICT (platform, channel_id, scope) DO NOTHING`;
    return inserted === 1 ? 'created' : 'unchanged';
  }

  async unsubscribe(platform: PlatformName, channelId: string, scope: { themeId: number | null; indicatorId: number | null }) {
    const r = await this.db.channelSubscription.deleteMany({ where: { platform, channelId, scope: subscriptionScope(scope) } });
    return r.count > 0;
  }
}

/** One person's indicators, actions, risks, deputyships and themes become another's (a merge, a retirement); an indicator (action, risk) never has the same person as owner and deputy. */
async function handOverWork(tx: Tx, fromId: number, toId: number): Promise<HandOver> {
  const h = emptyHandOver();
  h.indicatorsOwned = (await tx.indicator.updateMany({ where: { ownerId: fromId }, data: { ownerId: toId } })).count;
  h.indicatorsDeputised = (await tx.indicator.updateMany({ where: { deputyId: fromId, OR: [{ ownerId: null }, { ownerId: { not: toId } }] }, data: { deputyId: toId } })).count;
  await tx.indicator.updateMany({ where: { deputyId: fromId }, data: { deputyId: null } });
  await tx.indicator.updateMany({ where: { ownerId: toId, deputyId: toId }, data: { deputyId: null } });
  h.actionsOwned = (await tx.action.updateMany({ where: { ownerId: fromId }, data: { ownerId: toId } })).count;
  h.actionsDeputised = (await tx.action.updateMany({ where: { deputyId: fromId, OR: [{ ownerId: null }, { ownerId: { not: toId } }] }, data: { deputyId: toId } })).count;
  await tx.action.updateMany({ where: { deputyId: fromId }, data: { deputyId: null } });
  await tx.action.updateMany({ where: { ownerId: toId, deputyId: toId }, data: { deputyId: null } });
  h.risksOwned = (await tx.risk.updateMany({ where: { ownerId: fromId }, data: { ownerId: toId } })).count;
  h.risksDeputised = (await tx.risk.updateMany({ where: { deputyId: fromId, OR: [{ ownerId: null }, { ownerId: { not: toId } }] }, data: { deputyId: toId } })).count;
  await tx.risk.updateMany({ where: { deputyId: fromId }, data: { deputyId: null } });
  await tx.risk.updateMany({ where: { ownerId: toId, deputyId: toId }, data: { deputyId: null } });
  h.themesDirected = (await tx.theme.updateMany({ where: { directorId: fromId }, data: { directorId: toId } })).count;
  h.deputyFor = (await tx.person.updateMany({ where: { deputyId: fromId, id: { not: toId } }, data: { deputyId: toId } })).count;
  return h;
}

/** A table or column name in SQL (they come from the schema, never from what a person typed). */
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Rewrite every mention of an erased person in the text, JSON and text[] columns of every table
 * but person (read from the database's own catalogue, so a column added later is covered too): rows
 * a LIKE may find are locked and read, the pattern decides, each changed row is written once.
 * Returns how many rows changed.
 */
async function rewriteMentions(tx: Tx, needles: string[], re: RegExp, label: string): Promise<number> {
  const columns = await tx.$queryRaw<{ table_name: string; column_name: string; udt_name: string }[]>`
    SELECT c.table_name, c.column_name, c.udt_name
    FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND c.udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', '_text', '_varchar')
    ORDER BY c.table_name, c.ordinal_position`;
  const tables = new Map<string, { column_name: string; kind: string }[]>();
  for (const c of columns) {
    // Prisma's own table of migrations, and the people erased (written above), are not searched.
    if (c.table_name.startsWith('_') || c.table_name === 'person') continue;
    const kind = c.udt_name === 'json' || c.udt_name === 'jsonb' ? c.udt_name : c.udt_name.startsWith('_') ? 'array' : 'text';
    tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), { column_name: c.column_name, kind }]);
  }
  const likes = mentionLikes(needles);
  let changed = 0;
  for (const [table, cols] of tables) {
    const where = cols.map((c) => `${quoted(c.column_name)}::text ILIKE ANY($1::text[])`).join(' OR ');
    const found = await tx.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ctid::text AS "ctid", ${cols.map((c) => quoted(c.column_name)).join(', ')} FROM ${quoted(table)} WHERE ${where} FOR UPDATE`, likes);
    for (const row of found) {
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const c of cols) {
        const s = scrubMentions(row[c.column_name], re, label);
        if (!s.changed) continue;
        params.push(c.kind === 'json' || c.kind === 'jsonb' ? JSON.stringify(s.value) : s.value);
        sets.push(`${quoted(c.column_name)} = $${params.length}${c.kind === 'json' ? '::json' : c.kind === 'jsonb' ? '::jsonb' : c.kind === 'array' ? '::text[]' : ''}`);
      }
      if (!sets.length) continue;
      params.push(row.ctid);
      await tx.$executeRawUnsafe(`UPDATE ${quoted(table)} SET ${sets.join(', ')} WHERE ctid = $${params.length}::tid`, ...params);
      changed++;
    }
  }
  return changed;
}
