// Who is asking: the person linked to this platform user, or — the first time they write — the
// register person with the e-mail address the platform has for them, linked there and then (an
// unconfirmed id from a People sheet gives way to them). Every transport identifies people this way;
// only how the platform gives the e-mail differs (a user look-up, a conversation's member record),
// and that is the one function it passes in. When the e-mail names a person the platform already
// confirmed as another user, nobody's rights are handed over: the performance admins are asked, and
// the person is told so (not that they are missing from the register).
import type { Logger } from '../../log.ts';
import type { Clock, Outbox, PersonRecord, PlatformName, Repository } from '../../ports.ts';
import { context, header, literal, message, text } from '../../messages/build.ts';
import { platformLabel } from '../../catalogue/platforms.ts';

type IdentityRepo = Pick<Repository, 'personByPlatformUser' | 'personByEmail' | 'linkPlatformUser' | 'people'>;

/** Who a platform user is: their register person, or nobody — and, when held for an admin, what to tell them. */
export interface Identification {
  person: PersonRecord | null;
  /** The register person their e-mail names is linked to another user here; the admins were asked. */
  held?: string;
}

export interface Identifier {
  /**
   * The register person for this platform user, linking them by e-mail at first contact; null for
   * someone the register does not know (they may look, not change anything).
   */
  identify(userId: string, emailOf: () => Promise<string | null | undefined>): Promise<Identification>;
}

export interface IdentifierOptions {
  repo: IdentityRepo;
  platform: PlatformName;
  clock: Clock;
  log: Logger;
  /** Where the performance admins are asked about someone writing as a person linked to another user. */
  outbox?: Pick<Outbox, 'enqueue'>;
  /**
   * Do not ask the platform again for an unknown user's e-mail within this time (where a stranger's
   * every message would cost a member look-up). 0: ask each time (a platform that answers from a cache).
   */
  lookupAgainMs?: number;
}

export function createIdentifier(o: IdentifierOptions): Identifier {
  const lookedUp = new Map<string, { at: number; answer: Identification }>();
  const lookupAgainMs = o.lookupAgainMs ?? 0;

  const identify: Identifier['identify'] = async (userId, emailOf) => {
    const linked = await o.repo.personByPlatformUser(o.platform, userId);
    if (linked) return { person: linked };
    const now = o.clock.now().getTime();
    if (lookupAgainMs > 0) {
      const last = lookedUp.get(userId);
      if (last && last.at > now - lookupAgainMs) return last.answer;
    }
    const found = await linkByEmail(o, userId, await emailOf());
    if (found.person) lookedUp.delete(userId);
    else if (lookupAgainMs > 0) lookedUp.set(userId, { at: now, answer: found });
    return found;
  };

  return { identify };
}

/** Link the platform user to the register person with this e-mail, unless the platform already confirmed that person as someone else there. */
async function linkByEmail(o: IdentifierOptions, userId: string, email: string | null | undefined): Promise<Identification> {
  if (!email) return { person: null };
  const person = await o.repo.personByEmail(email);
  // Retired, or merged into someone else: no longer in the register.
  if (!person || !person.active) return { person: null };
  const known = person.identities[o.platform];
  if (known && known !== userId) {
    // Do not hand their rights over: ask the performance admins, and tell the person why.
    o.log.warn({ personId: person.id, platform: o.platform }, 'a platform user has the e-mail of a person linked to another user there; the admins were asked');
    await askAdmins(o, person, userId, known);
    return { person: null, held: heldAnswer(o.platform, person) };
  }
  const outcome = await o.repo.linkPlatformUser(person.id, o.platform, userId, { linkedBy: 'first-contact', at: o.clock.now() });
  if (outcome === 'conflict') return { person: await o.repo.personByPlatformUser(o.platform, userId) };
  if (outcome === 'linked') o.log.info({ personId: person.id, platform: o.platform }, 'linked a platform user to the register by e-mail');
  const { unconfirmed, ...rest } = person;
  const others = Object.fromEntries(Object.entries(unconfirmed ?? {}).filter(([p]) => p !== o.platform));
  return { person: { ...rest, identities: { ...person.identities, [o.platform]: userId }, ...(Object.keys(others).length ? { unconfirmed: others } : {}) } };
}

/** What the person reads instead of "you are not in the register". */
export function heldAnswer(platform: PlatformName, person: PersonRecord): string {
  const label = platformLabel(platform) ?? platform;
  return (
    `Your e-mail address (${literal(person.email)}) is in the indicator register, as ${literal(person.displayName)}, but the register links that person to another ${label} account. ` +
    'I have asked the performance team to check that this account is yours; until they link it, you can look (`/kpi show`, `/kpi list`) but not change anything.'
  );
}

/** One message to each performance admin, once per platform user and person: who wrote, who they say they are, and what to do. */
async function askAdmins(o: IdentifierOptions, person: PersonRecord, userId: string, known: string): Promise<void> {
  if (!o.outbox) return;
  const label = platformLabel(o.platform) ?? o.platform;
  const name = person.displayName;
  const msg = message(
    `${name} wrote from another ${label} account`,
    header(`⚠️ ${name} wrote from another ${label} account`),
    text(`**${literal(name)}** (${literal(person.email)}) wrote to the bot from ${label} user \`${userId}\`, but the register links ${literal(name)} to another ${label} user, \`${known}\` (confirmed by ${label}). I have not let \`${userId}\` act as ${literal(name)}.`),
    text(
      `• If \`${userId}\` is ${literal(name)} (a new account, say): \`/kpi people edit ${person.email} --${o.platform}-id ${userId}\` links it (on the command line: \`kpi people edit ${person.email} --${o.platform}-id ${userId}\`).\n` +
        `• If it is not: nothing to do — they can look at indicators, not change anything.`,
    ),
    context('They have been told that the performance team is checking.'),
  );
  const now = o.clock.now();
  const admins = (await o.repo.people({ role: 'admin' })).filter((a) => a.active && a.id !== person.id);
  for (const a of admins) {
    await o.outbox.enqueue({ key: `identity-held:${o.platform}:${userId}:${person.id}:person:${a.id}`, purpose: 'identity-held', to: { kind: 'person', personId: a.id }, message: msg }, now);
  }
}
