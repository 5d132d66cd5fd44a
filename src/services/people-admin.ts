// Performance admins put the register's people right: edit one (a wrong e-mail address, a new name,
// a deputy, a role, the chat account that is theirs), merge a duplicate into the person it
// duplicates, retire someone who left and hand their work to another. The same rules for the CLI
// (`kpi people edit|merge|retire`) and chat (`/kpi people edit|merge|retire`); what is typed is
// checked here, the change is made and audited by the repository in one transaction, and the answer
// says what changed in sentences a person reads.
import { z } from 'zod';
import type { ChangedBy, HandOver, PersonPatch, PersonRecord, PlatformName, Repository } from '../ports.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { ROLE, YES_NO, normalise } from '../import/cells.ts';
import { identityColumns, platformLabel } from '../catalogue/platforms.ts';
import { literal } from '../messages/build.ts';
import { formatDate, localDateOf } from '../domain/dates.ts';

/** What `people edit` was given, as typed. */
export interface PersonEditInput {
  email?: string;
  name?: string;
  /** An e-mail address, or "none". */
  deputy?: string;
  role?: string;
  /** yes / no. */
  active?: string;
  /** Per platform: a user id, or "none". */
  ids?: Partial<Record<string, string>>;
}

/** The `--<platform>-id` options: each chat platform's user id, as its People sheet column has it. */
export const ID_OPTIONS = identityColumns().map((c) => ({ platform: c.platform, flag: `${c.platform}-id`, label: c.label, pattern: c.pattern, invalid: c.invalid, normalise: c.normalise }));

const ROLE_NAMES = { officer: 'officer', director: 'director', admin: 'performance admin' } as const;

/** The longest e-mail address there can be (RFC 5321), and the longest name kept. */
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;
/** Long input quoted back in part. */
const cut = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

function readEmail(s: string, what: string): string {
  const e = s.trim().toLowerCase();
  if (e.length > MAX_EMAIL_LENGTH || !z.email().safeParse(e).success) throw new ValidationError(`${what}: expected an e-mail address (at most ${MAX_EMAIL_LENGTH} characters) — got "${literal(cut(s.trim()))}".`);
  return e;
}

/** The register person with this e-mail address (active or not). */
export async function personNamed(repo: Repository, email: string, what = 'person'): Promise<PersonRecord> {
  const e = readEmail(email, what);
  const p = await repo.personByEmail(e);
  if (!p) throw new NotFoundError(`No one with the e-mail ${e} is in the register (the ${what}). \`kpi people\` lists everyone.`);
  return p;
}

async function activePerson(repo: Repository, email: string, what: string): Promise<PersonRecord> {
  const p = await personNamed(repo, email, what);
  if (!p.active) {
    const next = p.successorId ? await repo.person(p.successorId) : null;
    throw new ValidationError(`${literal(p.displayName)} (${literal(p.email)}) is no longer active in the register${next ? ` (${literal(next.displayName)}, ${literal(next.email)}, took over)` : ''}.`);
  }
  return p;
}

const nameOf = async (repo: Repository, id: number | null) => (id === null ? 'none' : ((await repo.person(id))?.displayName ?? `person ${id}`));

/** Refuse a change that would leave the organisation without a performance admin. */
async function keepAnAdmin(repo: Repository, p: PersonRecord, what: string): Promise<void> {
  if (p.role !== 'admin') return;
  const others = (await repo.people({ role: 'admin' })).filter((a) => a.active && a.id !== p.id);
  if (!others.length) throw new ValidationError(`${literal(p.displayName)} is the only performance admin: make someone else one first (people edit <their e-mail> --role admin), then ${what}.`);
}

/** `people edit <email> …`: the patch the options describe, checked against the register. */
async function patchFor(repo: Repository, p: PersonRecord, input: PersonEditInput): Promise<PersonPatch> {
  const patch: PersonPatch = {};
  if (input.email !== undefined) patch.email = readEmail(input.email, '--email');
  if (input.name !== undefined) {
    const n = input.name.trim().replace(/^"(.*)"$/, '$1').trim();
    if (!n) throw new ValidationError('--name: expected the person’s name.');
    if (n.length > MAX_NAME_LENGTH) throw new ValidationError(`--name: expected the person’s name (at most ${MAX_NAME_LENGTH} characters) — got ${n.length.toLocaleString('en-GB')} characters.`);
    patch.displayName = n;
  }
  if (input.role !== undefined) {
    const r = ROLE[normalise(input.role)];
    if (!r) throw new ValidationError(`--role: expected officer, director or admin — got "${input.role.trim()}".`);
    patch.role = r;
  }
  if (input.deputy !== undefined) {
    if (/^none$/i.test(input.deputy.trim())) patch.deputyId = null;
    else {
      const d = await activePerson(repo, input.deputy, 'deputy');
      if (d.id === p.id) throw new ValidationError(`--deputy: ${literal(p.displayName)} cannot be their own deputy.`);
      patch.deputyId = d.id;
    }
  }
  if (input.active !== undefined) {
    const a = YES_NO[normalise(input.active)];
    if (a === undefined) throw new ValidationError(`--active: expected yes or no — got "${input.active.trim()}".`);
    if (!a) throw new ValidationError(`To take ${literal(p.displayName)} out of the register, retire them (people retire ${literal(p.email)} --hand-to <email>): their indicators need someone.`);
    patch.active = true;
  }
  for (const o of ID_OPTIONS) {
    const raw = input.ids?.[o.platform];
    if (raw === undefined) continue;
    const t = raw.trim();
    if (/^none$/i.test(t)) patch.identities = { ...patch.identities, [o.platform]: null };
    else if (!o.pattern.test(t)) throw new ValidationError(`--${o.flag}: ${o.invalid} — got "${t}".`);
    else patch.identities = { ...patch.identities, [o.platform]: o.normalise(t) };
  }
  if (!Object.keys(patch).length) {
    throw new ValidationError(`Nothing to change: give --email, --name, --deputy, --role${ID_OPTIONS.map((o) => `, --${o.flag}`).join('')} or --active yes.`);
  }
  if (patch.role !== undefined && patch.role !== 'admin') await keepAnAdmin(repo, p, `change ${literal(p.displayName)}'s role`);
  return patch;
}

/** Edit a person; the answer lists each change. */
export async function editPerson(repo: Repository, who: string, input: PersonEditInput, by: ChangedBy): Promise<{ person: PersonRecord; lines: string[] }> {
  const before = await personNamed(repo, who);
  const patch = await patchFor(repo, before, input);
  if (!before.active && patch.active === undefined) throw new ValidationError(`${literal(before.displayName)} (${literal(before.email)}) is no longer active in the register: bring them back first with --active yes.`);
  const after = await repo.editPerson(before.id, patch, by);
  const changes: string[] = [];
  if (after.email !== before.email) changes.push(`e-mail ${before.email ?? 'none'} → ${literal(after.email)}`);
  if (after.displayName !== before.displayName) changes.push(`name ${literal(before.displayName)} → ${literal(after.displayName)}`);
  if (after.role !== before.role) changes.push(`role ${ROLE_NAMES[before.role]} → ${ROLE_NAMES[after.role]}`);
  if (after.deputyId !== before.deputyId) changes.push(`deputy ${await nameOf(repo, before.deputyId)} → ${await nameOf(repo, after.deputyId)}`);
  if (after.active !== before.active) changes.push('back in the register');
  for (const o of ID_OPTIONS) {
    const was = before.identities[o.platform as PlatformName] ?? before.unconfirmed?.[o.platform as PlatformName] ?? null;
    const now = after.identities[o.platform as PlatformName] ?? null;
    if (patch.identities?.[o.platform as PlatformName] === undefined || (was === now && (now === null || before.identities[o.platform as PlatformName]))) continue;
    changes.push(was === now ? `${o.label} ${now} confirmed` : `${o.label} ${was ?? 'not linked'} → ${now ?? 'not linked'}`);
  }
  if (!changes.length) return { person: after, lines: [`${literal(after.displayName)} already has all that: nothing changed.`] };
  const lines = [`**${literal(after.displayName)}**: ${changes.join('; ')}.`];
  if (after.email !== before.email) lines.push(`They will be looked up by the new address the next time a message is due for them (or now: \`kpi people sync\`).`);
  return { person: after, lines };
}

function handOverWords(h: HandOver): string[] {
  const n = (k: number, one: string, many = `${one}s`) => (k ? `${k} ${k === 1 ? one : many}` : null);
  return [
    n(h.indicatorsOwned, 'indicator owned', 'indicators owned'),
    n(h.indicatorsDeputised, 'deputyship of an indicator', 'deputyships of indicators'),
    n(h.actionsOwned, 'action owned', 'actions owned'),
    n(h.actionsDeputised, 'deputyship of an action', 'deputyships of actions'),
    n(h.risksOwned, 'risk owned', 'risks owned'),
    n(h.risksDeputised, 'deputyship of a risk', 'deputyships of risks'),
    n(h.themesDirected, 'theme directed', 'themes directed'),
    n(h.deputyFor, 'person they deputised for', 'people they deputised for'),
  ].filter((x): x is string => x !== null);
}

const links = (platforms: string[]) => platforms.map((p) => platformLabel(p) ?? p).join(' and ');

/** Merge a duplicate person into the one to keep. */
export async function mergePeople(repo: Repository, fromEmail: string, intoEmail: string, by: ChangedBy): Promise<{ lines: string[] }> {
  const from = await activePerson(repo, fromEmail, 'person to merge');
  const into = await activePerson(repo, intoEmail, 'person to keep');
  if (from.id === into.id) throw new ValidationError(`${literal(from.email)} and ${literal(into.email)} are the same person: nothing to merge.`);
  await keepAnAdmin(repo, from, `merge ${literal(from.displayName)}`);
  const h = await repo.mergePeople(from.id, into.id, by);
  const work = handOverWords(h);
  const history = [h.values ? `${h.values} value${h.values === 1 ? '' : 's'}` : null, h.exceptionReports ? `${h.exceptionReports} exception report${h.exceptionReports === 1 ? '' : 's'}` : null, h.reminders ? `${h.reminders} reminder${h.reminders === 1 ? '' : 's'}` : null].filter(Boolean);
  const lines = [`**${literal(from.displayName)}** (${literal(from.email)}) is merged into **${literal(into.displayName)}** (${literal(into.email)}).`];
  lines.push(work.length ? `Handed over: ${work.join(', ')}.` : 'They had no indicators, themes or deputyships to hand over.');
  if (h.identitiesMoved.length) lines.push(`Their ${links(h.identitiesMoved)} link${h.identitiesMoved.length === 1 ? '' : 's'} moved to ${literal(into.displayName)}.`);
  if (h.identitiesDropped.length) lines.push(`Not moved (${literal(into.displayName)} is already linked there): ${h.identitiesDropped.map((d) => `${platformLabel(d.platform) ?? d.platform} ${d.userId}`).join(', ')}.`);
  if (history.length) lines.push(`History now shown as ${literal(into.displayName)}'s: ${history.join(', ')}.`);
  lines.push(`${literal(from.email)} is kept, inactive, for the audit trail.`);
  if (from.role !== into.role && (from.role === 'admin' || (from.role === 'director' && into.role === 'officer'))) {
    lines.push(`${literal(from.displayName)} was a ${ROLE_NAMES[from.role]}; ${literal(into.displayName)} is ${into.role === 'officer' ? 'an' : 'a'} ${ROLE_NAMES[into.role]}: \`people edit ${literal(into.email)} --role ${from.role}\` if they should be one.`);
  }
  return { lines };
}

/** Retire a person, handing their work to another. */
export async function retirePerson(repo: Repository, who: string, handTo: string | null, by: ChangedBy): Promise<{ lines: string[] }> {
  const p = await activePerson(repo, who, 'person to retire');
  const to = handTo ? await activePerson(repo, handTo, '--hand-to') : null;
  if (to?.id === p.id) throw new ValidationError(`--hand-to: ${literal(p.displayName)} cannot hand their work to themselves.`);
  await keepAnAdmin(repo, p, `retire ${literal(p.displayName)}`);
  if (!to) {
    const owned = (await repo.indicators({ personId: p.id, activeOnly: false })).filter((i) => i.ownerId === p.id);
    const themes = (await repo.themes()).filter((t) => t.directorId === p.id);
    const actions = (await repo.actions.list({ personId: p.id })).filter((a) => a.ownerId === p.id);
    const risks = (await repo.risks.list({ personId: p.id })).filter((r) => r.ownerId === p.id);
    if (owned.length || themes.length || actions.length || risks.length) {
      const what = [
        owned.length ? `owns ${owned.length} indicator${owned.length === 1 ? '' : 's'}` : null,
        actions.length ? `owns ${actions.length} action${actions.length === 1 ? '' : 's'}` : null,
        risks.length ? `owns ${risks.length} risk${risks.length === 1 ? '' : 's'}` : null,
        themes.length ? `directs ${themes.length} theme${themes.length === 1 ? '' : 's'}` : null,
      ]
        .filter(Boolean)
        .join(' and ');
      throw new ValidationError(`${literal(p.displayName)} ${what}: say who takes over with --hand-to <email>.`);
    }
  }
  const h = await repo.retirePerson(p.id, to?.id ?? null, by);
  const work = handOverWords(h);
  const lines = [`**${literal(p.displayName)}** (${literal(p.email)}) is retired: no longer chased, no longer linked to any chat account.`];
  if (to) lines.push(work.length ? `Handed to ${literal(to.displayName)} (${literal(to.email)}): ${work.join(', ')}.` : `They had nothing to hand to ${literal(to.displayName)}.`);
  else if (work.length) lines.push(`Ended: ${work.join(', ')}.`);
  if (h.identitiesMoved.length) lines.push(`Their ${links(h.identitiesMoved)} link${h.identitiesMoved.length === 1 ? '' : 's'} removed.`);
  lines.push('Their values, reports and the audit trail keep their name.');
  return { lines };
}

/** Erasure's decision for each kind of data, in words (`kpi people erase --help`; docs/operating.md says the same). */
export const ERASURE = {
  erased: 'their name, e-mail address, absence, deputy; their platform links, e-mail lookups and stored conversation references; forms sent to them still open; the messages sent to them (emptied; those not yet delivered given up)',
  kept: 'values they submitted, exception reports, action updates and change requests, risk reviews, commentary, sign-offs, reminders and the audit trail — the council’s record — attributed to the label instead of their name',
  rewritten: 'any text or JSON elsewhere that names them by their full name (as the register had it, now or before an edit), their e-mail address or a platform id: free text, message payloads, signed-off reports, audit details',
} as const;

const MAX_REASON_LENGTH = 500;
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The words the council's record keeps instead of an erased person's name. */
export const erasedLabel = (at: Date, timeZone: string) => `a former officer (erased ${formatDate(localDateOf(at, timeZone))})`;

/**
 * Erase a person who has left (a UK GDPR erasure request, or the council's retention rules): they
 * must be retired first (their work handed on), and own nothing. Their name, address, chat links
 * and the messages to them go; the council's record stays, attributed to "a former officer (erased
 * <date>)". What is erased and what is kept: ERASURE above, docs/operating.md.
 */
export async function erasePerson(repo: Repository, who: string, reason: string, by: ChangedBy): Promise<{ lines: string[] }> {
  const why = reason.trim().replace(/^"(.*)"$/, '$1').trim();
  if (!why) throw new ValidationError('--reason: say why they are erased (an erasure request of 3 March, left the council in 2019…): it is kept in the audit trail.');
  if (why.length > MAX_REASON_LENGTH) throw new ValidationError(`--reason: at most ${MAX_REASON_LENGTH} characters — got ${why.length.toLocaleString('en-GB')}.`);
  const p = await personNamed(repo, who, 'person to erase');
  if (p.active) {
    throw new ValidationError(
      `${literal(p.displayName)} (${literal(p.email)}) is still active in the register. Retire them first, handing their work on (people retire ${literal(p.email)} --hand-to <email>), then erase them.`,
    );
  }
  const [indicators, actions, risks, themes] = await Promise.all([
    repo.indicators({ personId: p.id, activeOnly: false }),
    repo.actions.list({ personId: p.id }),
    repo.risks.list({ personId: p.id }),
    repo.themes(),
  ]);
  const owned = [
    [indicators.filter((i) => i.ownerId === p.id).length, 'indicator'],
    [actions.filter((a) => a.ownerId === p.id).length, 'action'],
    [risks.filter((r) => r.ownerId === p.id).length, 'risk'],
  ] as const;
  const directed = themes.filter((t) => t.directorId === p.id).length;
  const what = [...owned.filter(([n]) => n).map(([n, w]) => `owns ${count(n, w)}`), ...(directed ? [`directs ${count(directed, 'theme')}`] : [])];
  if (what.length) {
    throw new ValidationError(
      `${literal(p.displayName)} (${literal(p.email)}) still ${what.join(' and ')}: someone must take ${what.length === 1 && owned[0][0] === 1 ? 'it' : 'them'} over first. Bring them back (people edit ${literal(p.email)} --active yes) and retire them handing their work on (people retire ${literal(p.email)} --hand-to <email>), then erase them.`,
    );
  }
  const org = await repo.org();
  const label = erasedLabel(by.at, org.timeZone);
  const e = await repo.erasePerson(p.id, { label, reason: why, by });
  if (e.already) return { lines: [`${literal(p.displayName)} was erased before: nothing changed.`] };
  const removed = [
    e.identities ? count(e.identities, 'chat link') : null,
    e.lookups ? count(e.lookups, 'e-mail lookup') : null,
    e.conversationRefs ? count(e.conversationRefs, 'stored conversation') : null,
    e.openForms ? count(e.openForms, 'open form') : null,
    e.messages ? count(e.messages, 'message to them', 'messages to them') : null,
    e.deputyships ? count(e.deputyships, 'deputyship') : null,
  ].filter(Boolean);
  const lines = [`**${literal(p.displayName)}** (${literal(p.email)}) is erased: the council’s record now says “${label}” wherever it named them.`];
  lines.push(`Removed: their name and e-mail address${removed.length ? `, ${removed.join(', ')}` : ''}${e.duplicates ? `, and ${count(e.duplicates, 'duplicate record')} merged into them` : ''}.`);
  if (e.mentions) lines.push(`Rewritten: ${count(e.mentions, 'row')} of text that named them (notes, commentary, messages, the audit trail).`);
  lines.push('Kept, as the council’s record: the values, reports, updates, reviews and commentary they gave, and the audit trail. The erasure is audited (person.erase) without their name or address.');
  lines.push('Take them off your People sheet too (an import of it would add them again); posts already in chat channels are the platform’s to delete.');
  return { lines };
}

/** Everything held about a person, for a subject-access request (`kpi people export`): JSON a person can read. */
export async function exportPerson(repo: Repository, who: string, at: Date): Promise<{ json: string; person: PersonRecord; rows: number }> {
  const p = await personNamed(repo, who, 'person to export');
  const data = await repo.personalData(p.id);
  const rows = Object.values(data.sections).reduce((n, r) => n + r.length, 0);
  const json = JSON.stringify(
    {
      exportedAt: at.toISOString(),
      about: 'Everything kpi-bot holds about this person: their record, then each table’s rows that refer to them (by their person id). Text elsewhere that only names them is not listed.',
      ...data,
    },
    (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    2,
  );
  return { json, person: p, rows };
}

/**
 * What follows `/kpi people edit|merge|retire` in chat: the words before the first option, then each
 * `--option value` (a value may have spaces: `--name Lucy Chambers`). A chat client may have turned
 * `--` into a dash, or an address into a mailto link: both are read as typed.
 */
export function readOptions(text: string, known: readonly string[]): { words: string[]; options: Record<string, string> } {
  const plain = ` ${text}`
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<mailto:([^>]+)>/g, '$1')
    .replace(/\s(?:--|—|–)(?=[a-z])/gi, ' --');
  const [head = '', ...parts] = plain.split(/\s--(?=[a-z])/i);
  const options: Record<string, string> = {};
  for (const part of parts) {
    const m = /^([a-z][a-z-]*)\s*(.*)$/is.exec(part.trim());
    const name = m?.[1]?.toLowerCase() ?? '';
    if (!known.includes(name)) throw new ValidationError(`--${name || part.trim()} is not an option here. Options: ${known.map((k) => `--${k}`).join(', ')}.`);
    if (name in options) throw new ValidationError(`--${name} is given twice.`);
    const value = (m?.[2] ?? '').trim().replace(/^["“](.*)["”]$/, '$1').trim();
    if (!value) throw new ValidationError(`--${name} needs a value.`);
    options[name] = value;
  }
  return { words: head.trim().split(/\s+/).filter(Boolean), options };
}
