// People and how the bot reaches them: identities per platform (person_identity), what e-mail
// lookups found (identity_lookup), absences, channel subscriptions and each person's last delivery.
// Part of the Repository port (src/repo/prisma-repository.ts delegates here).
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type {
  AuditEntry,
  ChangedBy,
  DeliveryRecord,
  HandOver,
  IdentityLookupRecord,
  LinkedBy,
  LookupOutcome,
  NewSubscription,
  PersonPatch,
  PersonRecord,
  PlatformName,
  Role,
  SubscriptionRecord,
} from '../ports.ts';
import type { LocalDate } from '../domain/types.ts';
import { NotFoundError } from '../errors.ts';
import {
  deputyAfterMerge,
  emailTaken,
  emptyHandOver,
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
  identities: { select: { platform: true, platformUserId: true, confirmed: true } },
} as const satisfies Prisma.PersonSelect;

export function toPerson(p: Prisma.PersonGetPayload<{ select: typeof personSelect }>): PersonRecord {
  const { identities, absentUntil, ...rest } = p;
  const links = (confirmed: boolean) => Object.fromEntries(identities.filter((i) => i.confirmed === confirmed).map((i) => [i.platform, i.platformUserId])) as PersonRecord['identities'];
  const unconfirmed = links(false);
  return {
    ...rest,
    identities: links(true),
    ...(Object.keys(unconfirmed).length ? { unconfirmed } : {}),
    absentUntil: absentUntil ? toLocalDate(absentUntil) : null,
  };
}

const auditRow = (a: AuditEntry) => ({ ...a, entityId: a.entityId ?? null, details: a.details === undefined ? Prisma.JsonNull : (a.details as Prisma.InputJsonValue) });

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

/** One person's indicators, deputyships and themes become another's (a merge, a retirement); an indicator never has the same person as owner and deputy. */
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
  h.themesDirected = (await tx.theme.updateMany({ where: { directorId: fromId }, data: { directorId: toId } })).count;
  h.deputyFor = (await tx.person.updateMany({ where: { deputyId: fromId, id: { not: toId } }, data: { deputyId: toId } })).count;
  return h;
}
