// Who is asking: the person linked to this platform user, or — the first time they write — the
// register person with the e-mail address the platform has for them, linked there and then. Every
// transport identifies people this way; only how the platform gives the e-mail differs.
import type { Logger } from '../log.ts';
import type { PersonRecord, PlatformName, Repository } from '../ports.ts';

export async function identify(
  repo: Pick<Repository, 'personByPlatformUser' | 'personByEmail' | 'linkPlatformUser'>,
  platform: PlatformName,
  userId: string,
  /** The e-mail address the platform has for the user (one API call; only made for a first contact). */
  emailOf: () => Promise<string | null | undefined>,
  log: Logger,
  at: Date,
): Promise<PersonRecord | null> {
  const linked = await repo.personByPlatformUser(platform, userId);
  if (linked) return linked;
  const email = await emailOf();
  if (!email) return null;
  const person = await repo.personByEmail(email);
  if (!person) return null;
  const known = person.identities[platform];
  if (known && known !== userId) {
    // The register person is already someone else on this platform: do not hand their rights over.
    log.warn({ personId: person.id, platform }, 'a platform user has the e-mail of a person linked to another user there; not linked');
    return null;
  }
  const outcome = await repo.linkPlatformUser(person.id, platform, userId, { linkedBy: 'first-contact', at });
  if (outcome === 'conflict') return repo.personByPlatformUser(platform, userId);
  if (outcome === 'linked') log.info({ personId: person.id, platform }, 'linked a platform user to the register by e-mail');
  return { ...person, identities: { ...person.identities, [platform]: userId } };
}
