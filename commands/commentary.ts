// /kpi commentary [<theme>] [<quarter>] — the quarter's commentary, in the organisation's sections: a
// theme's director (or the director's deputy, or a performance admin) writes the theme's, a
// performance admin the whole report's. A form with one field per section, pre-filled with what is
// written; saved as a draft or submitted (every version kept, with its author). Inline:
// `/kpi commentary <theme> <section>: <text>` saves one section into the draft; `… submit` submits it.
// Once the quarter is signed off its commentary is locked: a change is refused, saying who signed it
// off and when.
import { z } from 'zod';
import type { Actor, CommandDeps, CommentaryRecord, OrgSettings, PersonRecord } from '../src/ports.ts';
import type { Block, CommandResult, Field, FormValues } from '../src/messages/types.ts';
import { actions, context, literal, message, plainMarkup, reply, say, text } from '../src/messages/build.ts';
import { emptySections, matchSection, MAX_SECTION_CHARS, type CommentarySection, type CommentaryState } from '../src/domain/commentary.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { formatPeriodInFull, periodFromKey } from '../src/domain/periods.ts';
import type { Period } from '../src/domain/types.ts';
import { findTheme } from '../src/services/find-indicator.ts';
import { readQuarter } from '../src/services/quarters.ts';
import { reportingQuarter } from '../src/services/actions.ts';
import { canWriteCommentary, commentaryButton, commentaryLocked, commentaryRefusal, sectionsNow, type CommentaryScope } from '../src/services/commentary.ts';
import { LockedPeriodSaveError, NotFoundError, NotInRegisterError, PermissionError, ValidationError } from '../src/errors.ts';
import { parseJson, periodKeySchema, recordNumberSchema } from './payload.ts';
import { defineCommand } from './types.ts';

const USAGE = 'commentary [<theme> | report] [<quarter>] — or commentary <theme> <section>: <text>, commentary <theme> submit';
const WHOLE_REPORT = /^(report|whole report|the whole report|whole|summary|overall|all)$/i;

const scopeSchema = z.object({ themeId: recordNumberSchema.nullable(), periodKey: periodKeySchema });
const submitSchema = scopeSchema.extend({ version: recordNumberSchema });

interface Target {
  theme: CommentaryScope;
  director: PersonRecord | null;
  quarter: Period;
  org: OrgSettings;
}

/** The scope and quarter from a button or form; who may write it, and that the quarter is open. */
async function targetOf(deps: CommandDeps, actor: Actor, themeId: number | null, periodKey: string): Promise<Target> {
  const org = await deps.repo.org();
  const theme = themeId === null ? null : await deps.repo.theme(themeId);
  if (themeId !== null && !theme) throw new NotFoundError('That theme is no longer in the register.');
  const quarter = periodFromKey(periodKey, org.fyStartMonth);
  if (quarter.kind !== 'quarter') throw new ValidationError('That button or form is out of date. Type `/kpi commentary` to open it again.');
  const director = theme?.directorId != null ? await deps.repo.person(theme.directorId) : null;
  allowed(actor, { theme, director });
  return { theme, director, quarter, org };
}

function allowed(actor: Actor, t: Pick<Target, 'theme' | 'director'>): void {
  if (!actor.person) throw new NotInRegisterError('You are not in the register, so you cannot write commentary. Ask your performance team to add you.');
  if (!canWriteCommentary(actor.person, t.theme, t.director)) throw new PermissionError(commentaryRefusal(t.theme, t.director));
}

async function refuseLocked(deps: CommandDeps, quarter: Period): Promise<void> {
  const why = await commentaryLocked(deps.repo, quarter);
  if (why) throw new LockedPeriodSaveError(why);
}

/** The scope a person means by words (none: their own theme, or the whole report for an admin). */
async function scopeFrom(deps: CommandDeps, actor: Actor, words: string): Promise<{ theme: CommentaryScope; director: PersonRecord | null } | CommandResult> {
  const themes = await deps.repo.themes();
  const w = words.trim();
  if (w && WHOLE_REPORT.test(w)) return { theme: null, director: null };
  if (w) {
    const theme = findTheme(themes, w);
    if (!theme) throw new ValidationError(`There is no theme "${literal(w)}".`, {}, `Themes: ${themes.map((t) => `\`${t.slug}\``).join(', ') || 'none yet'}, or \`report\` for the whole report.`);
    return { theme, director: theme.directorId !== null ? await deps.repo.person(theme.directorId) : null };
  }
  const me = actor.person;
  if (!me) throw new NotInRegisterError('You are not in the register, so you cannot write commentary. Ask your performance team to add you.');
  const people = await deps.repo.people();
  const mine = themes.filter((t) => t.directorId === me.id || (t.directorId !== null && people.find((p) => p.id === t.directorId)?.deputyId === me.id));
  if (mine.length === 1) return { theme: mine[0]!, director: people.find((p) => p.id === mine[0]!.directorId) ?? null };
  if (!mine.length && me.role === 'admin') return { theme: null, director: null };
  if (!mine.length) throw new PermissionError('Commentary is written by each theme’s director (or their deputy) and, for the whole report, by the performance team. You direct no theme.');
  return say(`You direct ${mine.length} themes: which one? e.g. \`/kpi commentary ${mine[0]!.slug}\`.`, actions(...mine.slice(0, 10).map((t) => commentaryButton(t, '', `Write commentary: ${t.name}`))));
}

/** "for Theme 3, 2017/18 Q3 (Oct–Dec 2017)" */
const forWhat = (t: Pick<Target, 'theme' | 'quarter'>) => `${t.theme ? `**${literal(t.theme.name)}**` : '**the whole report**'}, ${formatPeriodInFull(t.quarter)}`;

export async function commentaryCommand(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const colon = args.indexOf(':');
  if (colon >= 0) return inline(deps, actor, args.slice(0, colon), args.slice(colon + 1), org, today);
  let words = args.trim().split(/\s+/).filter(Boolean);
  const submit = /^submit$/i.test(words.at(-1) ?? '');
  if (submit) words = words.slice(0, -1);
  // A quarter at the end: "2017/18 Q3", "Q3", "last quarter".
  let quarter = reportingQuarter(today, org.fyStartMonth);
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const said = words.slice(-n).join(' ');
    if (!/\d|last|this/i.test(said)) continue;
    const q = readQuarter(said, today, org.fyStartMonth);
    if (q.ok) {
      quarter = q.value;
      words = words.slice(0, -n);
      break;
    }
  }
  if (quarter.start > today) throw new ValidationError(`${formatPeriodInFull(quarter)} has not begun: commentary is written for a quarter under way or ended.`);
  const scope = await scopeFrom(deps, actor, words.join(' '));
  if ('kind' in scope) return withQuarter(scope, quarter.key);
  allowed(actor, scope);
  const t = { ...scope, quarter, org };
  if (submit) return submitCurrent(deps, actor, t, null);
  await refuseLocked(deps, quarter);
  return form(deps, t);
}

/** The buttons of a "which theme?" answer carry the quarter asked for. */
function withQuarter(r: CommandResult, periodKey: string): CommandResult {
  if (r.kind !== 'message') return r;
  const blocks = r.message.blocks.map((b) => (b.type === 'actions' ? { ...b, actions: b.actions.map((a) => ({ ...a, value: JSON.stringify({ ...(JSON.parse(a.value) as object), periodKey }) })) } : b));
  return { ...r, message: { ...r.message, blocks } };
}

async function current(deps: CommandDeps, t: Pick<Target, 'theme' | 'quarter'>): Promise<CommentaryRecord | null> {
  return (await deps.repo.commentary.versions(t.quarter.key, t.theme?.id ?? null))[0] ?? null;
}

/** Who wrote a version and when: "draft saved by Tom Brennan on 16 Jan 2018". */
async function byline(deps: CommandDeps, c: CommentaryRecord, org: OrgSettings): Promise<string> {
  const who = c.authorId !== null ? await deps.repo.person(c.authorId) : null;
  return `${c.state === 'submitted' ? 'submitted' : 'draft saved'}${who ? ` by ${literal(who.displayName)}` : ''} on ${formatDate(localDateOf(c.createdAt, org.timeZone))} (version ${c.version})`;
}

/** The form: one field per section, pre-filled with the newest version. */
async function form(deps: CommandDeps, t: Target): Promise<CommandResult> {
  const now = await current(deps, t);
  const sections = sectionsNow(t.org, now);
  const intro: Block[] = [
    text(`Commentary for ${forWhat(t)}. It opens ${t.theme ? 'the theme’s section of the report' : 'the report’s summary'}, with the author’s name${t.org.commentaryInitials ? ' and initials after each paragraph' : ''}.`),
  ];
  if (now) intro.push(context(`Now: ${await byline(deps, now, t.org)}.`));
  const fields: Field[] = sections.map((s, i) => ({
    id: `s${i}`,
    label: s.heading,
    kind: 'textarea',
    required: true,
    maxLength: MAX_SECTION_CHARS,
    ...(s.text ? { initial: s.text } : {}),
    hint: 'A paragraph per line. Nothing this quarter? Say so in a sentence.',
  }));
  return {
    kind: 'form',
    form: {
      id: 'commentary',
      title: 'Commentary',
      submitLabel: 'Submit',
      intro,
      fields: [...fields, { id: 'draft', label: 'Draft', kind: 'checkboxes', options: [{ value: 'draft', label: 'Save as a draft — I will finish it later' }], hint: 'A draft is kept but not printed in the report.' }],
      state: JSON.stringify({ themeId: t.theme?.id ?? null, periodKey: t.quarter.key }),
    },
  };
}

const one = (v: FormValues[string]) => [v ?? ''].flat().join('\n').trim();

/** Save a version, and say what was saved (and what is still empty). */
async function save(deps: CommandDeps, actor: Actor, t: Target, sections: CommentarySection[], state: CommentaryState): Promise<{ said: string; saved: CommentaryRecord; created: boolean }> {
  await refuseLocked(deps, t.quarter);
  const now = deps.clock.now();
  const { commentary, created } = await deps.repo.commentary.save(
    { themeId: t.theme?.id ?? null, periodKey: t.quarter.key, sections, state, authorId: actor.person!.id, source: `chat:${actor.platform}`, at: now },
    { at: now, actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` },
  );
  const empty = emptySections(sections);
  const said =
    state === 'submitted'
      ? `✅ Commentary submitted for ${forWhat(t)}: it opens ${t.theme ? 'the theme’s section' : 'the summary'} of the report, with your name.`
      : `📝 Draft saved for ${forWhat(t)}.${empty.length ? ` Still to write: ${empty.map((h) => `“${literal(h)}”`).join(', ')}.` : ''} It is not printed in the report until it is submitted.`;
  return { said: created ? said : `${forWhat(t)} already has that commentary: nothing changed.`, saved: commentary, created };
}

async function submitForm(deps: CommandDeps, actor: Actor, state: string, values: FormValues): Promise<CommandResult> {
  const ref = parseJson(scopeSchema, state);
  const t = await targetOf(deps, actor, ref.themeId, ref.periodKey);
  const headings = sectionsNow(t.org, await current(deps, t));
  const sections = headings.map((s, i) => ({ heading: s.heading, text: one(values[`s${i}`]) }));
  const tooLong = Object.fromEntries(sections.flatMap((s, i) => (s.text.length > MAX_SECTION_CHARS ? [[`s${i}`, `At most ${MAX_SECTION_CHARS} characters: this has ${s.text.length}.`]] : [])));
  if (Object.keys(tooLong).length) return { kind: 'form-errors', errors: tooLong };
  const draft = [values.draft].flat().includes('draft');
  if (!draft) {
    const missing = Object.fromEntries(sections.flatMap((s, i) => (s.text.split(/\s+/).filter((w) => /\w/.test(w)).length < 2 ? [[`s${i}`, `Write “${s.heading}” before submitting (a sentence; “Nothing to report this quarter” will do), or save a draft.`]] : [])));
    if (Object.keys(missing).length) return { kind: 'form-errors', errors: missing };
  }
  try {
    const r = await save(deps, actor, t, sections, draft ? 'draft' : 'submitted');
    return { kind: 'form-done', message: message(plainMarkup(r.said), text(r.said)) };
  } catch (e) {
    if (e instanceof LockedPeriodSaveError) return { kind: 'form-errors', errors: { s0: e.message } };
    throw e;
  }
}

/** `/kpi commentary <theme> <section>: <text>`: the section saved into the draft (a submitted commentary stays submitted: the change is a new version of it). */
async function inline(deps: CommandDeps, actor: Actor, left: string, said: string, org: OrgSettings, today: string): Promise<CommandResult> {
  const words = left.trim().split(/\s+/).filter(Boolean);
  const headings = org.commentarySections ?? [];
  let found: { heading: string; scopeWords: string } | null = null;
  for (let n = words.length; n >= 1 && !found; n--) {
    const heading = matchSection(headings, words.slice(-n).join(' '));
    if (heading) found = { heading, scopeWords: words.slice(0, -n).join(' ') };
  }
  if (!found) {
    throw new ValidationError(
      `Which section is "${literal(left.trim())}"? The commentary’s sections are ${headings.map((h) => `“${literal(h)}”`).join(', ')}.`,
      {},
      `e.g. \`/kpi commentary <theme> ${headings[0] ?? 'section'}: <text>\``,
    );
  }
  // Who may write it first: someone else is told who can, not how to word it.
  const scope = await scopeFrom(deps, actor, found.scopeWords);
  if ('kind' in scope) return scope;
  allowed(actor, scope);
  const body = said.trim();
  if (body.split(/\s+/).filter((w) => /\w/.test(w)).length < 2) throw new ValidationError(`Say what goes under “${literal(found.heading)}” after the colon, in a sentence or more.`);
  if (body.length > MAX_SECTION_CHARS) throw new ValidationError(`That is ${body.length} characters; a section holds at most ${MAX_SECTION_CHARS}.`);
  const t: Target = { ...scope, quarter: reportingQuarter(today, org.fyStartMonth), org };
  const now = await current(deps, t);
  const sections = sectionsNow(org, now).map((s) => (s.heading === found.heading ? { ...s, text: body } : s));
  const r = await save(deps, actor, t, sections, now?.state === 'submitted' ? 'submitted' : 'draft');
  if (r.created && r.saved.state === 'submitted') r.said = `✅ Changed “${literal(found.heading)}” in the submitted commentary for ${forWhat(t)} (version ${r.saved.version}, with your name).`;
  const buttons = r.saved.state === 'draft' ? [actions({ id: 'submit-commentary', label: 'Submit it', value: JSON.stringify({ themeId: t.theme?.id ?? null, periodKey: t.quarter.key, version: r.saved.version }), style: 'primary' }, commentaryButton(t.theme, t.quarter.key, 'Open the form'))] : [];
  return reply('private', message(plainMarkup(r.said), text(r.said), text(`**${literal(found.heading)}**\n${literal(body)}`), ...buttons));
}

/** Submit the newest version as it stands (the inline answer's button, `/kpi commentary <theme> submit`). */
async function submitCurrent(deps: CommandDeps, actor: Actor, t: Target, version: number | null): Promise<CommandResult> {
  await refuseLocked(deps, t.quarter);
  const now = await current(deps, t);
  if (!now) throw new ValidationError(`There is no commentary for ${forWhat(t)} yet. Type \`/kpi commentary${t.theme ? ` ${t.theme.slug}` : ' report'}\` to write it.`);
  if (version !== null && now.version !== version) return say(`The commentary for ${forWhat(t)} changed since (${await byline(deps, now, t.org)}). Open it to check before submitting.`, actions(commentaryButton(t.theme, t.quarter.key, 'Open the form')));
  if (now.state === 'submitted') return say(`The commentary for ${forWhat(t)} is already ${await byline(deps, now, t.org)}.`);
  const sections = sectionsNow(t.org, now);
  const empty = emptySections(sections);
  if (empty.length) return say(`Write ${empty.map((h) => `“${literal(h)}”`).join(', ')} before submitting the commentary for ${forWhat(t)}.`, actions(commentaryButton(t.theme, t.quarter.key, 'Open the form')));
  return say((await save(deps, actor, t, sections, 'submitted')).said);
}

async function openFromButton(deps: CommandDeps, actor: Actor, raw: string): Promise<CommandResult> {
  const ref = parseJson(z.object({ themeId: recordNumberSchema.nullable(), periodKey: z.string().max(20) }), raw);
  const org = await deps.repo.org();
  // A "which theme?" button from a bare /kpi commentary carries no quarter when none was typed: the one being reported.
  const periodKey = ref.periodKey || reportingQuarter(localDateOf(deps.clock.now(), org.timeZone), org.fyStartMonth).key;
  const t = await targetOf(deps, actor, ref.themeId, parseJson(periodKeySchema, JSON.stringify(periodKey)));
  await refuseLocked(deps, t.quarter);
  return form(deps, t);
}

async function submitFromButton(deps: CommandDeps, actor: Actor, raw: string): Promise<CommandResult> {
  const ref = parseJson(submitSchema, raw);
  return submitCurrent(deps, actor, await targetOf(deps, actor, ref.themeId, ref.periodKey), ref.version);
}

export const commentaryChatCommand = defineCommand({
  name: 'commentary',
  aliases: ['narrative'],
  usage: USAGE,
  summary: 'write the quarter’s commentary for your theme (directors) or the whole report (performance admins): a form, or one section inline; drafts kept, attributed in the report',
  examples: ['/kpi commentary', '/kpi commentary housing-growth doing well: Completions are ahead of plan'],
  run: commentaryCommand,
  forms: { commentary: { submitted: submitForm, reopen: 'Type `/kpi commentary` to open the form again.' } },
  actions: {
    /** value: JSON { themeId | null, periodKey } */
    'open-commentary': openFromButton,
    /** value: JSON { themeId | null, periodKey, version } */
    'submit-commentary': submitFromButton,
  },
});
