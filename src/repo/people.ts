// People and how the bot reaches them: identities per platform (person_identity), what e-mail
// lookups found (identity_lookup), absences, channel subscriptions and each person's last delivery.
// Part of the Repository port (src/repo/prisma-repository.ts delegates here).
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type {
  DeliveryRecord,
  IdentityLookupRecord,
  LinkedBy,
  LookupOutcome,
  NewSubscription,
  PersonRecord,
  PlatformName,
  Role,
  SubscriptionRecord,
} from '../ports.ts';
import type { LocalDate } from '../domain/types.ts';
import { lookupRecorded, sameSubscription, storedEvents, subscriptionScope, toAlertEvents } from './rules.ts';

const toLocalDate = (d: Date): LocalDate => d.toISOString().slice(0, 10);

export const personSelect = {
  id: true,
  displayName: true,
  email: true,
  role: true,
  deputyId: true,
  absentUntil: true,
  active: true,
  identities: { select: { platform: true, platformUserId: true } },
} as const satisfies Prisma.PersonSelect;

export function toPerson(p: Prisma.PersonGetPayload<{ select: typeof personSelect }>): PersonRecord {
  const { identities, absentUntil, ...rest } = p;
  return {
    ...rest,
    identities: Object.fromEntries(identities.map((i) => [i.platform, i.platformUserId])) as PersonRecord['identities'],
    absentUntil: absentUntil ? toLocalDate(absentUntil) : null,
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
    const link = await this.db.personIdentity.findUnique({ where: { platform_platformUserId: { platform, platformUserId: userId } }, select: { person: { select: personSelect } } });
    if (link) return toPerson(link.person);
    if (platform !== 'console') return null;
    // On the console people are who they say they are: an e-mail address, a chat platform's user id or a name.
    const p = await this.db.person.findFirst({
      where: { OR: [{ email: { equals: userId, mode: 'insensitive' } }, { identities: { some: { platformUserId: userId } } }, { displayName: { equals: userId, mode: 'insensitive' } }] },
      select: personSelect,
    });
    return p ? toPerson(p) : null;
  }

  async personByEmail(email: string) {
    const p = await this.db.person.findFirst({ where: { email: { equals: email.trim(), mode: 'insensitive' } }, select: personSelect });
    return p ? toPerson(p) : null;
  }

  async linkPlatformUser(personId: number, platform: PlatformName, userId: string, how: { linkedBy: LinkedBy; at: Date } = { linkedBy: 'first-contact', at: new Date() }): Promise<'linked' | 'already' | 'conflict'> {
    if (platform === 'console') return 'already';
    // ON CONFLICT DO NOTHING: two first requests from the same person at once both end up linked.
    const inserted = await this.db.$executeRaw`
      INSERT INTO person_identity (platform, platform_user_id, person_id, linked_by, linked_at)
      VALUES (${platform}, ${userId}, ${personId}, ${how.linkedBy}, ${how.at})
      ON CONFLICT DO NOTHING`;
    if (inserted === 1) return 'linked';
    const existing = await this.db.personIdentity.findUnique({ where: { platform_platformUserId: { platform, platformUserId: userId } }, select: { personId: true } });
    return existing?.personId === personId ? 'already' : 'conflict';
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
