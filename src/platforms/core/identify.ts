// Who is asking: the person linked to this platform user, or — the first time they write — the
// register person with the e-mail address the platform has for them, linked there and then. Every
// transport identifies people this way; only how the platform gives the e-mail differs (a user
// look-up, a conversation's member record), and that is the one function it passes in.
import type { Logger } from '../../log.ts';
import type { Clock, PersonRecord, PlatformName, Repository } from '../../ports.ts';
import { isDatabaseUnavailable, retryWhileUnavailable, type RetryPolicy } from '../../db/unavailable.ts';

type IdentityRepo = Pick<Repository, 'personByPlatformUser' | 'personByEmail' | 'linkPlatformUser'>;

export interface Identifier {
  /**
   * The register person for this platform user, linking them by e-mail at first contact; null for
   * someone the register does not know (they may look, not change anything).
   */
  person(userId: string, emailOf: () => Promise<string | null | undefined>): Promise<PersonRecord | null>;
  /**
   * `person`, tried again while the database is unavailable (each try changes nothing or links once);
   * `undefined` when it stayed unavailable for the whole budget — the caller tells the person nothing
   * was saved.
   */
  personWhenAvailable(userId: string, emailOf: () => Promise<string | null | undefined>, policy: RetryPolicy): Promise<PersonRecord | null | undefined>;
}

export interface IdentifierOptions {
  repo: IdentityRepo;
  platform: PlatformName;
  clock: Clock;
  log: Logger;
  /**
   * Do not ask the platform again for an unknown user's e-mail within this time (where a stranger's
   * every message would cost a member look-up). 0: ask each time (a platform that answers from a cache).
   */
  lookupAgainMs?: number;
}

export function createIdentifier(o: IdentifierOptions): Identifier {
  const lookedUp = new Map<string, number>();
  const lookupAgainMs = o.lookupAgainMs ?? 0;

  const person: Identifier['person'] = async (userId, emailOf) => {
    const linked = await o.repo.personByPlatformUser(o.platform, userId);
    if (linked) return linked;
    const now = o.clock.now().getTime();
    if (lookupAgainMs > 0) {
      if ((lookedUp.get(userId) ?? -Infinity) > now - lookupAgainMs) return null;
      lookedUp.set(userId, now);
    }
    const found = await linkByEmail(o, userId, await emailOf());
    if (found) lookedUp.delete(userId);
    return found;
  };

  return {
    person,
    async personWhenAvailable(userId, emailOf, policy) {
      try {
        return await retryWhileUnavailable(() => person(userId, emailOf), policy);
      } catch (e) {
        if (!isDatabaseUnavailable(e)) throw e;
        o.log.error({ err: e, platform: o.platform }, `database unavailable for ${Math.round(policy.budgetMs / 1000)} s; the person was told nothing was saved`);
        return undefined;
      }
    },
  };
}

/** Link the platform user to the register person with this e-mail, unless that person is already someone else there. */
async function linkByEmail(o: IdentifierOptions, userId: string, email: string | null | undefined): Promise<PersonRecord | null> {
  if (!email) return null;
  const person = await o.repo.personByEmail(email);
  if (!person) return null;
  const known = person.identities[o.platform];
  if (known && known !== userId) {
    // The register person is already someone else on this platform: do not hand their rights over.
    o.log.warn({ personId: person.id, platform: o.platform }, 'a platform user has the e-mail of a person linked to another user there; not linked');
    return null;
  }
  const outcome = await o.repo.linkPlatformUser(person.id, o.platform, userId, { linkedBy: 'first-contact', at: o.clock.now() });
  if (outcome === 'conflict') return o.repo.personByPlatformUser(o.platform, userId);
  if (outcome === 'linked') o.log.info({ personId: person.id, platform: o.platform }, 'linked a platform user to the register by e-mail');
  return { ...person, identities: { ...person.identities, [o.platform]: userId } };
}
