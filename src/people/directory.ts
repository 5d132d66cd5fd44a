// Where people are reached. Most officers and directors never write to the bot, so the register's
// e-mail addresses are what find them: a person linked on a delivery platform is reached there; one
// who is not is looked up by e-mail on each platform in turn (its user directory, or the member
// lists of the groups the app is in: each platform's people.ts), and linked when found. What a
// lookup found is stored: a not-found is asked again after a day, not on every message, and a claim
// keeps two processes from asking about the same person at once. Someone found nowhere is
// unreachable, with the reason. A user id from a People sheet is never used until its platform
// confirms it belongs to the person's e-mail; when the platform says it does not, the e-mail finds
// who they really are.
import type { Directory, DeliveryRecord, IdentityLookupRecord, Observer, PeopleFinder, PersonRecord, PlatformName, Reachability, Repository, SyncResult } from '../ports.ts';
import type { Logger } from '../log.ts';
import { formatDate, localDateOf } from '../domain/dates.ts';

/** A person not found is looked up again after this. */
export const NOT_FOUND_RETRY_MS = 24 * 3600_000;
/** A platform that could not answer is asked again after this. */
export const FAILED_RETRY_MS = 15 * 60_000;
/** How long one process may take to look a person up before another may. */
export const LOOKUP_CLAIM_MS = 60_000;

export interface DirectoryOptions {
  repo: Repository;
  /** The platforms messages are delivered on, in order of preference. */
  platforms: PlatformName[];
  /** Who can be looked up where, in the same order. */
  finders: PeopleFinder[];
  /** A platform that reaches everyone in the register without a lookup (the console prints to them): its address for a person. */
  everyone?: { platform: PlatformName; address: (personId: number) => string };
  /** This process, for lookup claims. */
  holder: string;
  log: Logger;
  /** Told each lookup's outcome (the metrics' kpi_identity_lookups_total). */
  observe?: Observer;
  timeZone?: string;
  /** How to wait while another process looks someone up (tests shorten it). */
  pollMs?: number;
}

export class PeopleDirectory implements Directory {
  constructor(private readonly o: DirectoryOptions) {}

  get platforms(): readonly PlatformName[] {
    return this.o.platforms;
  }

  private linkOn(person: PersonRecord): Reachability | null {
    for (const p of this.o.platforms) {
      const id = person.identities[p];
      if (id) return { ok: true, platform: p, userId: id };
    }
    return null;
  }

  async reach(person: PersonRecord, now: Date, opts: { force?: boolean } = {}): Promise<Reachability> {
    const linked = this.linkOn(person);
    if (linked) return linked;
    if (this.o.everyone) return { ok: true, platform: this.o.everyone.platform, userId: this.o.everyone.address(person.id) };
    if (!person.active) return { ok: false, reason: 'is no longer active in the register' };
    if (!person.email) {
      const why = 'has no e-mail address in the register, so the bot cannot find them';
      // Recorded like a lookup, so the performance team is told once, not every day.
      for (const f of this.o.finders) if (await this.claim(person.id, f, now, false)) await this.o.repo.recordLookup(person.id, f.platform, 'not_found', why, now);
      return { ok: false, reason: why };
    }
    if (!this.o.finders.length) return { ok: false, reason: 'cannot be reached: no chat platform is configured' };
    const reasons: string[] = [];
    for (const f of this.o.finders) {
      if (person.identities[f.platform] && this.o.platforms.includes(f.platform)) return { ok: true, platform: f.platform, userId: person.identities[f.platform]! };
      const r = await this.lookup(person, f, now, opts.force ?? false);
      if (r.ok) return r;
      reasons.push(r.reason);
    }
    return { ok: false, reason: reasons.join('; ') };
  }

  private checked(at: Date | null): string {
    return at ? ` (checked ${formatDate(localDateOf(at, this.o.timeZone ?? 'Europe/London'))})` : '';
  }

  private async lookup(person: PersonRecord, f: PeopleFinder, now: Date, force: boolean): Promise<Reachability> {
    const email = person.email!;
    const { repo } = this.o;
    if (!(await this.claim(person.id, f, now, force))) return this.settled(person, f);
    const failed = async (e: unknown): Promise<Reachability> => {
      this.o.observe?.lookup(f.platform, 'failed');
      const why = `${f.label} could not be asked about ${email} (${(e as Error).message.slice(0, 120)}); the bot will try again soon`;
      await repo.recordLookup(person.id, f.platform, 'failed', why, now);
      this.o.log.warn({ personId: person.id, platform: f.platform, err: (e as Error).message }, 'people: lookup by e-mail failed');
      return { ok: false, reason: why };
    };
    // An id from a People sheet: theirs only when the platform says so.
    const sheetId = person.unconfirmed?.[f.platform];
    let notTheirs: string | null = null;
    if (sheetId) {
      let answer: Awaited<ReturnType<PeopleFinder['confirm']>>;
      try {
        answer = await f.confirm(sheetId, email);
      } catch (e) {
        return failed(e);
      }
      if (answer.verdict === 'yes') {
        this.o.observe?.lookup(f.platform, 'found');
        return this.linked(person, f, sheetId, now, 'people: confirmed the id from the People sheet');
      }
      notTheirs = `the ${f.label} ID ${sheetId} from the People sheet is not confirmed as theirs (${answer.why})`;
      if (answer.verdict === 'no') await repo.forgetUnconfirmed(person.id, f.platform);
    }
    let userId: string | null;
    try {
      userId = await f.findByEmail(email);
    } catch (e) {
      return failed(e);
    }
    this.o.observe?.lookup(f.platform, userId ? 'found' : 'not_found');
    if (!userId) {
      const why = `${notTheirs ? `${notTheirs}, and ` : ''}${f.notFound(email)}`;
      await repo.recordLookup(person.id, f.platform, 'not_found', why, now);
      this.o.log.info({ personId: person.id, platform: f.platform }, 'people: not found by e-mail');
      return { ok: false, reason: `${why}${this.checked(now)}` };
    }
    return this.linked(person, f, userId, now, 'people: found by e-mail and linked');
  }

  /** The platform says this user is the person: link them (replacing an unconfirmed id), unless the user is already someone else. */
  private async linked(person: PersonRecord, f: PeopleFinder, userId: string, now: Date, said: string): Promise<Reachability> {
    const { repo } = this.o;
    const link = await repo.linkPlatformUser(person.id, f.platform, userId, { linkedBy: 'lookup', at: now });
    if (link === 'conflict') {
      const fresh = await repo.person(person.id);
      if (fresh?.identities[f.platform]) {
        await repo.recordLookup(person.id, f.platform, 'found', null, now);
        return { ok: true, platform: f.platform, userId: fresh.identities[f.platform]! };
      }
      const why = `the ${f.label} user with the e-mail ${person.email} is linked to another person in the register`;
      await repo.recordLookup(person.id, f.platform, 'not_found', why, now);
      return { ok: false, reason: why };
    }
    await repo.recordLookup(person.id, f.platform, 'found', null, now);
    this.o.log.info({ personId: person.id, platform: f.platform }, said);
    return { ok: true, platform: f.platform, userId };
  }

  private claim(personId: number, f: PeopleFinder, now: Date, force: boolean): Promise<boolean> {
    const t = now.getTime();
    return this.o.repo.claimLookup(personId, f.platform, this.o.holder, now, {
      notFoundBefore: new Date(t - NOT_FOUND_RETRY_MS),
      failedBefore: new Date(t - FAILED_RETRY_MS),
      claimUntil: new Date(t + LOOKUP_CLAIM_MS),
      force,
    });
  }

  /** Someone else is looking this person up, or has recently: wait for their answer and use it. */
  private async settled(person: PersonRecord, f: PeopleFinder): Promise<Reachability> {
    const poll = this.o.pollMs ?? 200;
    // Waiting on another process's call to the platform: real time, whatever the clock says.
    const deadline = Date.now() + LOOKUP_CLAIM_MS;
    for (;;) {
      const fresh = await this.o.repo.person(person.id);
      const id = fresh?.identities[f.platform];
      if (id) return { ok: true, platform: f.platform, userId: id };
      const [l] = (await this.o.repo.identityLookups([person.id])).filter((x) => x.platform === f.platform);
      const settled = l && l.outcome !== null && l.outcome !== 'found';
      if (settled) return { ok: false, reason: `${l.detail ?? `not found on ${f.label}`}${l.outcome === 'not_found' ? this.checked(l.lookedUpAt) : ''}` };
      if (Date.now() >= deadline) return { ok: false, reason: `is being looked up on ${f.label}; try again in a minute` };
      await new Promise((r) => setTimeout(r, poll));
    }
  }

  async sync(people: PersonRecord[], now: Date, opts: { force?: boolean } = {}): Promise<SyncResult[]> {
    const out: SyncResult[] = [];
    for (const f of this.o.finders) {
      const r: SyncResult = { platform: f.platform, label: f.label, linked: 0, found: [], notFound: [], failed: [] };
      for (const p of people.filter((x) => x.active)) {
        if (p.identities[f.platform]) {
          r.linked++;
          continue;
        }
        if (!p.email) {
          r.notFound.push({ person: p, reason: 'has no e-mail address in the register' });
          continue;
        }
        const got = await this.lookup(p, f, now, opts.force ?? false);
        if (got.ok) r.found.push(p);
        else {
          const [l] = (await this.o.repo.identityLookups([p.id])).filter((x) => x.platform === f.platform);
          (l?.outcome === 'failed' ? r.failed : r.notFound).push({ person: p, reason: got.reason });
        }
      }
      out.push(r);
    }
    return out;
  }

  known(person: PersonRecord, lookups: IdentityLookupRecord[], last: DeliveryRecord | undefined): string | null {
    if (last && (last.state === 'dead' || last.state === 'undeliverable' || last.state === 'held') && last.error) {
      const how = last.state === 'dead' ? 'could not be sent' : last.state === 'held' ? 'may not have arrived' : 'had nobody to go to';
      return `the last message to them (${last.purpose}, ${formatDate(localDateOf(last.at, this.o.timeZone ?? 'Europe/London'))}) ${how}: ${last.error}`;
    }
    if (this.linkOn(person) || this.o.everyone) return null;
    if (!person.email) return 'has no e-mail address in the register, so the bot cannot find them';
    const mine = lookups.filter((l) => l.personId === person.id);
    const reasons: string[] = [];
    for (const f of this.o.finders) {
      const l = mine.find((x) => x.platform === f.platform);
      if (!l || l.outcome === null || l.outcome === 'found') return null; // not asked yet: it will be, when a message is due
      reasons.push(`${l.detail ?? `not found on ${f.label}`}${l.outcome === 'not_found' ? this.checked(l.lookedUpAt) : ''}`);
    }
    return reasons.length ? reasons.join('; ') : 'cannot be reached: no chat platform is configured';
  }
}
