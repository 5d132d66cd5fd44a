// User text is text, everywhere it is rendered: every message builder (commands, jobs, forms, the
// reports) is run with hostile strings in every user-supplied field — an indicator's name and
// definition, its theme, a target in words, the organisation's name, people's names, notes, correction reasons,
// exception-report questions, answers and return comments — and its output read as each platform
// reads it (Slack mrkdwn, Teams cards, the console, the Markdown, HTML/PDF and XLSX reports). It
// must carry no live link, mention or raw HTML that the same builder does not make with plain words.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import type { CommandResult, Form, Message } from '../../../src/messages/types.ts';
import type { PersonRecord } from '../../../src/ports.ts';
import { aBot, later, type TestBot } from '../../support/bot.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';
import { evaluateStatuses } from '../../../jobs/evaluate-statuses.ts';
import { alertActions } from '../../../jobs/alert-actions.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import { chaseExceptions } from '../../../jobs/chase-exceptions.ts';
import { weeklyDigest } from '../../../jobs/weekly-digest.ts';
import { homeView } from '../../../commands/home.ts';
import { csv } from '../../support/workbooks.ts';
import { toBlocks, toFallback, toModal, type MentionMap as SlackMentions } from '../../../src/platforms/slack/blocks.ts';
import { formCard, messageCards, type MentionMap as TeamsMentions } from '../../../src/platforms/teams/cards.ts';
import { renderMessage } from '../../../src/platforms/console/render.ts';
import { runs } from '../../support/depth.ts';
import { add, benign, consoleFound, hostilePayloads, htmlFound, markdownFound, none, slackFound, type Found } from '../../support/hostile.ts';

/** The user-supplied fields a scenario fills. */
const FIELDS = ['organisation', 'theme', 'indicatorName', 'definition', 'baseline', 'targetText', 'admin', 'director', 'owner', 'deputy', 'officer', 'note', 'reason', 'question', 'answer', 'comment', 'actionRef', 'actionTitle', 'rephaseReason', 'commentary', 'riskTitle', 'riskCommentary'] as const;
type Field = (typeof FIELDS)[number];
type UserText = Record<Field, string>;

interface Output {
  builder: string;
  result: CommandResult | Message;
}

/** Every rendering a person can read, counted per format. */
interface Counts {
  slack: Found;
  teams: Found;
  console: Found;
  markdown: Found;
  html: Found;
  xlsxFormulas: number;
}

const zero = (): Counts => ({ slack: none(), teams: none(), console: none(), markdown: none(), html: none(), xlsxFormulas: 0 });

/** A council whose every user-supplied field holds `u` (the memory store is written as an import or a form would leave it). */
async function council(u: UserText): Promise<TestBot> {
  const b = await aBot();
  const s = b.repo.store.t;
  const name: Record<number, string> = { [b.council.admin.id]: u.admin, [b.council.director.id]: u.director, [b.council.owner.id]: u.owner, [b.council.deputy.id]: u.deputy, [b.council.officer.id]: u.officer };
  for (const p of s.people) if (name[p.id] !== undefined) p.displayName = name[p.id]!;
  for (const t of s.themes) if (t.id === b.council.theme.id) t.name = u.theme;
  for (const i of s.indicators) {
    i.name = `${u.indicatorName} ${i.slug}`;
    i.definition = u.definition;
    i.baseline = { ...i.baseline, text: u.baseline };
  }
  s.org = { ...(await b.repo.org()), name: u.organisation, exceptionQuestions: [`${u.question} one?`, `${u.question} two?`] };
  for (const o of s.observations) o.note = u.note;
  // A target given in words only (no figure): shown wherever the target is.
  s.targets.push({ indicatorId: b.council.visits.id, periodKey: '2017-12', value: null, amberFloor: null, text: u.targetText, periodStart: '2017-12-01', periodEnd: '2017-12-31' });
  for (const key of ['admin', 'director', 'owner', 'deputy', 'officer'] as const) (b.council[key] as PersonRecord).displayName = name[b.council[key].id]!;
  return b;
}

/** Run every builder against the council; collect what each produced. */
async function everyBuilder(b: TestBot, u: UserText): Promise<Output[]> {
  const d = createDispatcher(b.deps);
  const { admin, owner, officer, director, absence, cleanliness, visits, tag } = b.council;
  const out: Output[] = [];
  const as = (p: PersonRecord, channel?: string) => b.as(p, channel ? { channelId: channel } : {});
  const run = async (builder: string, r: Promise<CommandResult>) => {
    let result = await r;
    out.push({ builder, result });
    if (result.kind === 'deferred') {
      result = await later(result);
      out.push({ builder: `${builder} (later)`, result });
    }
    return result;
  };
  const slash = (builder: string, p: PersonRecord, text: string, channel?: string) => run(builder, d.slash(as(p, channel), text));

  // The first run of the status job records statuses without alerting: later changes alert.
  await evaluateStatuses(b.deps, b.clock.now(), { full: true });
  await slash('subscribe', admin, `/kpi subscribe theme ${b.council.theme.slug} all`, 'CPERF');
  await slash('subscribe indicator', admin, `/kpi subscribe ${absence.slug} all`, 'CDIR');
  // A value with a note, then a correction with a reason: both are shown back and in alerts, digests, history, reports.
  await slash('submit', owner, `/kpi submit ${cleanliness.slug} 2017/18 Q4 70 ${u.note}`);
  const corr = await slash('submit correction', owner, `/kpi submit ${absence.slug} 2017/18 Q3 7.9 ${u.note}`);
  const confirm = corr.kind === 'message' ? corr.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : [])).find((a) => a.id === 'confirm-correction') : undefined;
  if (confirm) await run('confirm correction (form)', d.action(as(owner), 'confirm-correction', confirm.value));
  const form = out.at(-1)?.result;
  if (form && 'kind' in form && form.kind === 'form') await run('correction reason', d.submitForm(as(owner), form.form.id, form.form.state, { reason: u.reason }));
  await evaluateStatuses(b.deps, b.clock.now(), { full: true });
  await slash('submit for red', owner, `/kpi submit ${absence.slug} 2017/18 Q3 11.5 ${u.note}`);
  const red = out.at(-1)?.result;
  const confirmRed = red && 'kind' in red && red.kind === 'message' ? red.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : [])).find((a) => a.id === 'confirm-correction') : undefined;
  if (confirmRed) {
    const f = await run('confirm red correction', d.action(as(owner), 'confirm-correction', confirmRed.value));
    if (f.kind === 'form') await run('red correction reason', d.submitForm(as(owner), f.form.id, f.form.state, { reason: u.reason }));
  }
  await evaluateStatuses(b.deps, b.clock.now(), { full: true });

  // Actions and milestones: their refs, titles and re-phasing reasons come from a register; progress commentary from /kpi update.
  const action = { kind: 'action' as const, description: null, themeId: b.council.theme.id, ownerId: owner.id, deputyId: null, start: null, isKey: true, active: true, indicatorIds: [absence.id] };
  const { ids } = await b.repo.actions.upsert(
    [
      { ...action, ref: 'EEP 02', title: u.actionTitle, due: '2018-03-31' },
      { ...action, ref: u.actionRef, title: u.actionTitle, due: '2018-07-31', originalDue: '2017-12-31', rephaseReason: u.rephaseReason },
    ],
    b.clock.now(),
  );
  // Risks: titles and controls from a register, review commentary from an import or /kpi review. CIP08's review falls due before the chase below.
  const risk = { description: null, themeId: b.council.theme.id, ownerId: owner.id, deputyId: null, controls: u.riskTitle, inherent: { likelihood: 3, impact: 3 }, target: { likelihood: 2, impact: 2 }, reviewMonths: 3, active: true, actionIds: [ids.get('EEP 02')!], indicatorIds: [absence.id] };
  const risks = (await b.repo.risks.upsert([{ ...risk, ref: 'CIP06', title: u.riskTitle }, { ...risk, ref: 'CIP08', title: u.riskTitle }], b.clock.now())).ids;
  for (const id of risks.values()) await b.repo.risks.saveReview({ riskId: id, reviewedOn: '2017-10-10', likelihood: 3, impact: 3, commentary: u.riskCommentary, authorId: owner.id, source: 'test', at: b.clock.now() }, { at: b.clock.now(), actorId: owner.id, actorLabel: 'test' });
  // Benchmarks: a comparator group an admin named, other councils' values (Q2 now, a worse Q3 below) with their names as
  // the file gave them: /kpi show, the report, the digest and a quartile alert say them.
  const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
  const areas = Array.from({ length: 10 }, (_, i) => `E080000${String(i + 1).padStart(2, '0')}`);
  const compared = (periodKey: string, ours: number) =>
    b.repo.comparators.saveValues(areas.map((areaCode, i) => ({ indicatorId: absence.id, periodKey, areaCode, areaName: `${u.owner} ${i}`, value: areaCode === 'E08000009' ? ours : 8 + i / 4, source: 'test' })), by, b.clock.now());
  await b.repo.comparators.saveGroup({ name: u.organisation, areas }, by, b.clock.now());
  await b.repo.updateOrg({ comparatorArea: 'E08000009', comparatorGroup: u.organisation });
  await compared('2017/18 Q2', 7);
  // Action and risk alerts begin: where each stands is recorded (the channels subscribed to `all` hear of later changes).
  await alertActions(b.deps, b.clock.now());
  await slash('review', owner, `/kpi review CIP06 likelihood 4 impact 4 ${u.riskCommentary}`);
  await slash('update', owner, `/kpi update EEP 02 at risk ${u.commentary}`);
  // A new due date asked for with a reason: the director's request (with buttons) and the owner's answer are outbox messages.
  await slash('update due', owner, `/kpi update EEP 02 due 30 June 2018 because ${u.reason}`);
  const ask = b.outbox.messages('action-change').at(-1);
  const approve = ask?.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : [])).find((a) => a.id === 'approve-action-change');
  if (approve) await run('approve action change', d.action(as(director), 'approve-action-change', approve.value));

  for (const [builder, p, text] of [
    ['actions', officer, '/kpi actions'],
    ['actions re-phased', officer, '/kpi actions re-phased'],
    ['action', officer, '/kpi actions EEP 02'],
    ['risks', officer, '/kpi risks'],
    ['risk', officer, '/kpi risk CIP06'],
    ['show', officer, `/kpi show ${absence.slug}`],
    ['show (search by name)', officer, `/kpi show ${tag}`],
    ['show (no match)', officer, `/kpi show ${u.indicatorName}`],
    ['unknown command', officer, `/kpi ${u.comment.replace(/\s+/g, '') || 'x'}`],
    ['settings (unknown)', admin, `/kpi settings ${u.reason}`],
    ['away (unreadable date)', owner, `/kpi away until ${u.reason}`],
    ['list', officer, '/kpi list'],
    ['list red', officer, '/kpi list red'],
    ['list overdue', officer, '/kpi list overdue'],
    ['list theme', officer, `/kpi list ${b.council.theme.slug}`],
    ['mine', owner, '/kpi mine'],
    ['history', officer, `/kpi history ${absence.slug}`],
    ['history period', officer, `/kpi history ${absence.slug} 2017/18 Q3`],
    ['people', admin, '/kpi people'],
    ['subscriptions', admin, '/kpi subscriptions'],
    ['settings', admin, '/kpi settings'],
    ['help', officer, '/kpi help'],
    ['not-collected', admin, `/kpi not-collected ${visits.slug} 2017-12 ${u.reason}`],
    ['away', owner, '/kpi away until 2018-02-20'],
    ['close-quarter', admin, '/kpi close-quarter 2017/18 Q3'],
    ['submit (unknown indicator)', owner, `/kpi submit ${u.indicatorName} 2017/18 Q3 5`],
    ['submit (unusual value)', owner, `/kpi submit ${cleanliness.slug} 2017/18 Q3 7000 ${u.note}`],
    ['exception (open)', owner, `/kpi exception ${absence.slug}`],
  ] as [string, PersonRecord, string][]) {
    await slash(builder, p, text);
  }

  b.clock.set(new Date('2018-02-06T09:00:00Z'));
  await evaluateStatuses(b.deps, b.clock.now(), { full: true });
  await chaseExceptions(b.deps, b.clock.now());
  const ref = JSON.stringify({ indicatorId: absence.id, periodKey: '2017/18 Q3' });
  const answers = { q0: `Because of winter flu in the depot ${u.answer}`, q1: `Fewer bins emptied on time ${u.answer}`, q2: 'Agency cover from next month.' };
  await run('exception form', d.action(as(owner), 'open-exception', ref));
  await run('exception draft', d.submitForm(as(owner), 'exception', ref, { ...answers, draft: ['draft'] }));
  await run('exception submit (to review)', d.submitForm(as(owner), 'exception', ref, answers));
  const report = async () => {
    const r = (await b.repo.exceptionReport(absence.id, '2017/18 Q3'))!;
    return JSON.stringify({ exceptionReportId: r.id, version: r.version });
  };
  const returned = await run('return form', d.action(as(admin), 'return-exception', await report()));
  if (returned.kind === 'form') await run('return exception', d.submitForm(as(admin), 'return-exception', returned.form.state, { comment: `Please say more. ${u.comment}` }));
  await run('exception resubmit', d.submitForm(as(owner), 'exception', ref, answers));
  await run('show with exception', d.slash(as(officer), `/kpi show ${absence.slug}`));
  await run('approve exception', d.action(as(admin), 'approve-exception', await report()));

  for (const format of ['md', 'html', 'xlsx', 'pdf']) await slash(`report ${format}`, admin, `/kpi report 2017/18 Q3 ${format}`);
  await slash('report theme', admin, `/kpi report 2017/18 Q3 md theme ${b.council.theme.slug}`);

  out.push({ builder: 'home', result: await homeView(b.deps, as(director)) });

  // An import: its file name, and cells said back in its problems, unknown people and notes.
  const sheet = (name: string, rows: string[][]) => {
    const bytes = csv(rows);
    return { name, size: bytes.length, read: async () => bytes };
  };
  const head = ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Owner', 'Actual 2017/18 Q3'];
  await run('import (problems)', d.fileShared(as(admin), sheet(`${u.reason}.csv`, [head, ['new-one', u.indicatorName, '%', u.note, 'Q', u.owner, u.answer]]), 'dry run'));
  await run('import (unknown people)', d.fileShared(as(admin), sheet('register.csv', [head, ['new-two', u.indicatorName, '%', 'higher', 'Q', u.owner, '12']]), 'dry run'));

  // Jobs: alerts to channels, chases, the digest (what they queue is what people read).
  b.clock.set(new Date('2018-02-07T09:00:00Z'));
  await evaluateStatuses(b.deps, b.clock.now(), { full: true });
  // The re-phased action goes off track: an action alert with its ref, title, reason and commentary.
  const offTrack = { actionId: ids.get(u.actionRef)!, periodKey: '2017/18 Q3', progress: 'off_track' as const, percentComplete: null, commentary: u.commentary, authorId: owner.id, source: 'test', at: b.clock.now() };
  await b.repo.actions.saveUpdate(offTrack, { at: b.clock.now(), actorId: owner.id, actorLabel: 'test' });
  await compared('2017/18 Q3', 12);
  await slash('show (benchmarks)', officer, `/kpi show ${absence.slug}`, 'CPERF');
  await alertActions(b.deps, b.clock.now());
  await chaseData(b.deps, b.clock.now());
  await weeklyDigest(b.deps, b.clock.now());
  for (const m of b.outbox.messages()) out.push({ builder: `job ${m.purpose}${m.key.startsWith('action-alert') ? ' (action)' : m.key.startsWith('risk-alert') ? ' (risk)' : m.key.startsWith('quartile-alert') ? ' (quartile)' : ''}`, result: m.message });
  return out;
}

function messagesAndForms(r: CommandResult | Message): { messages: Message[]; forms: Form[]; errors: string[] } {
  if (!('kind' in r)) return { messages: [r], forms: [], errors: [] };
  switch (r.kind) {
    case 'message':
    case 'deferred':
    case 'form-done':
      return { messages: [r.message], forms: [], errors: [] };
    case 'form':
    case 'form-update':
      return { messages: [], forms: [r.form], errors: [] };
    case 'form-errors':
      return { messages: [], forms: [], errors: Object.values(r.errors) };
    default:
      return { messages: [], forms: [], errors: [] };
  }
}

function slackMentions(b: TestBot): SlackMentions {
  return new Map(b.repo.store.t.people.map((p) => [p.id, { slackUserId: `U${p.id}`, displayName: p.displayName }]));
}

function teamsMentions(b: TestBot): TeamsMentions {
  return new Map(b.repo.store.t.people.map((p) => [p.id, { teamsUserId: `29:${p.id}`, displayName: p.displayName }]));
}

/** Every mrkdwn text in Slack blocks (plain_text is never read as markup). */
function slackTexts(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(slackTexts);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') return [o.text];
    return Object.values(o).flatMap(slackTexts);
  }
  return [];
}

/** Every markdown text in a card: TextBlock text and FactSet values and titles (Teams renders markdown in both). */
function cardTexts(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(cardTexts);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const own = o.type === 'TextBlock' && typeof o.text === 'string' ? [o.text] : 'title' in o && 'value' in o && typeof o.value === 'string' ? [o.value, String(o.title)] : [];
    return [...own, ...Object.entries(o).filter(([k]) => k !== 'msteams').flatMap(([, x]) => cardTexts(x))];
  }
  return [];
}

async function xlsxFormulas(bytes: Buffer): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  let n = 0;
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => {
    if (c.type === ExcelJS.ValueType.Formula || c.formula) n++;
  })));
  return n;
}

/** Per builder, what its output carries in each format. */
async function countsOf(b: TestBot, outputs: Output[]): Promise<Map<string, Counts>> {
  const slack = slackMentions(b);
  const teams = teamsMentions(b);
  const resolve = (id: number) => b.repo.store.t.people.find((p) => p.id === id)?.displayName ?? 'someone';
  const by = new Map<string, Counts>();
  for (const { builder, result } of outputs) {
    const c = by.get(builder) ?? zero();
    const { messages, forms, errors } = messagesAndForms(result);
    for (const m of messages) {
      for (const t of [...slackTexts(toBlocks(m, slack)), toFallback(m)]) c.slack = add(c.slack, slackFound(t));
      for (const part of messageCards(m, teams)) for (const t of cardTexts(part.card)) c.teams = add(c.teams, markdownFound(t));
      c.console = add(c.console, consoleFound(renderMessage(m, resolve).text));
      for (const blk of m.blocks) {
        if (blk.type !== 'file') continue;
        const bytes = Buffer.from(blk.file.base64, 'base64');
        if (blk.file.filename.endsWith('.md')) c.markdown = add(c.markdown, markdownFound(bytes.toString('utf8')));
        if (blk.file.filename.endsWith('.html')) c.html = add(c.html, htmlFound(bytes.toString('utf8')));
        if (blk.file.filename.endsWith('.xlsx')) c.xlsxFormulas += await xlsxFormulas(bytes);
      }
    }
    for (const f of forms) {
      for (const t of slackTexts(toModal(f, slack).blocks)) c.slack = add(c.slack, slackFound(t));
      for (const t of cardTexts(formCard(f, teams, { ref: 'r' }).card)) c.teams = add(c.teams, markdownFound(t));
    }
    for (const e of errors) c.slack = add(c.slack, slackFound(e.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')));
    by.set(builder, c);
  }
  for (const page of b.documents.pages) {
    const c = by.get('report pdf (later)') ?? zero();
    c.html = add(c.html, htmlFound(page.html));
    by.set('report pdf (later)', c);
  }
  return by;
}

/** What the hostile run has beyond the benign one, summed over builders (each kind floored at 0 per builder). */
function excess(hostile: Map<string, Counts>, plain: Map<string, Counts>) {
  const total = { links: 0, evilLinks: 0, mentions: 0, broadcasts: 0, html: 0, formulas: 0, where: [] as string[], byFormat: {} as Record<string, Omit<Found, 'evilLinks'>> };
  for (const [builder, h] of hostile) {
    const p = plain.get(builder) ?? zero();
    for (const format of ['slack', 'teams', 'console', 'markdown', 'html'] as const) {
      const a = h[format];
      const z = p[format];
      const more = { links: Math.max(0, a.links - z.links), evilLinks: a.evilLinks, mentions: Math.max(0, a.mentions - z.mentions), broadcasts: a.broadcasts, html: Math.max(0, a.html - z.html) };
      total.links += more.links;
      total.evilLinks += more.evilLinks;
      total.mentions += more.mentions;
      total.broadcasts += more.broadcasts;
      total.html += more.html;
      const f = (total.byFormat[format] ??= { links: 0, mentions: 0, broadcasts: 0, html: 0 });
      f.links += more.links;
      f.mentions += more.mentions;
      f.broadcasts += more.broadcasts;
      f.html += more.html;
      if (more.links || more.evilLinks || more.mentions || more.broadcasts || more.html) total.where.push(`${builder} [${format}] ${JSON.stringify(more)}`);
    }
    const formulas = Math.max(0, h.xlsxFormulas - p.xlsxFormulas);
    total.formulas += formulas;
    if (formulas) total.where.push(`${builder} [xlsx] ${formulas} formula cells`);
  }
  return total;
}

/** fast-check's mixtures after every payload alone: a few in `npm test`, twelve in `npm run test:deep`. */
const MIXTURES = runs(3, 12);

const plainText = (): UserText => Object.fromEntries(FIELDS.map((f, i) => [f, benign(i)])) as UserText;

async function scenario(u: UserText) {
  const b = await council(u);
  const outputs = await everyBuilder(b, u);
  return { b, outputs, counts: await countsOf(b, outputs) };
}

describe('user text is text, in every message builder and every format', () => {
  it('adds no live link, mention, broadcast, raw HTML or formula, whatever is typed into any field', { timeout: 240_000 }, async () => {
    const baseline = await scenario(plainText());
    const builders = [...baseline.counts.keys()];
    // Every field reaches some message or report (else a hostile string in it would prove nothing); people
    // named only through mentions are named when a platform renders the mention (Teams <at>, the console's @).
    const files = baseline.outputs.flatMap(({ result }) => messagesAndForms(result).messages.flatMap((m) => m.blocks.flatMap((x) => (x.type === 'file' && !x.file.filename.endsWith('.xlsx') ? [Buffer.from(x.file.base64, 'base64').toString('utf8')] : []))));
    const everything = JSON.stringify(baseline.outputs) + baseline.b.documents.pages.map((p) => p.html).join('') + files.join('');
    expect(FIELDS.filter((f, i) => !everything.includes(benign(i))).filter((f) => !['admin', 'director', 'officer'].includes(f))).toEqual([]);
    if (process.env.HOSTILE_DEBUG) console.log(builders.join(', '), baseline.b.outbox.messages().map((m) => m.purpose).join(','), baseline.outputs.map((o) => `${o.builder}: ${JSON.stringify(o.result).slice(0, 300)}`).join('\n'));
    const payloads = hostilePayloads(baseline.b.council.admin.id);
    const field = fc.array(fc.constantFrom(...payloads), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(' '));
    const seen = { cases: 0, links: 0, evilLinks: 0, mentions: 0, broadcasts: 0, html: 0, formulas: 0, where: new Set<string>(), byFormat: new Map<string, Omit<Found, 'evilLinks'>>(), builders: new Set<string>() };
    const check = async (u: UserText) => {
      const { counts } = await scenario(u);
      const e = excess(counts, baseline.counts);
      seen.cases++;
      seen.links += e.links;
      seen.evilLinks += e.evilLinks;
      seen.mentions += e.mentions;
      seen.broadcasts += e.broadcasts;
      seen.html += e.html;
      seen.formulas += e.formulas;
      for (const [f, n] of Object.entries(e.byFormat)) {
        const t = seen.byFormat.get(f) ?? { links: 0, mentions: 0, broadcasts: 0, html: 0 };
        seen.byFormat.set(f, { links: t.links + n.links, mentions: t.mentions + n.mentions, broadcasts: t.broadcasts + n.broadcasts, html: t.html + n.html });
      }
      for (const w of e.where) if (!w.includes('[console]')) seen.builders.add(w.replace(/ \[.*$/, ''));
      for (const w of e.where) seen.where.add(process.env.HOSTILE_DEBUG ? w : w.replace(/\{.*\}/, '').trim());
    };
    // Every payload alone in every field, then fast-check's mixtures.
    for (const p of payloads) await check(Object.fromEntries(FIELDS.map((f) => [f, p])) as UserText);
    await fc.assert(
      fc.asyncProperty(fc.record(Object.fromEntries(FIELDS.map((f) => [f, field])) as Record<Field, fc.Arbitrary<string>>), async (u) => {
        await check(u);
      }),
      { numRuns: MIXTURES, seed: 26 },
    );
    console.log(
      `hostile text: ${builders.length} builders × ${seen.cases} cases (${payloads.length} payloads, each alone in all ${FIELDS.length} fields, + ${MIXTURES} fast-check mixtures), ` +
        `rendered for Slack, Teams, console, Markdown, HTML/PDF and XLSX: live links ${seen.links} (to evil.example ${seen.evilLinks}), mentions ${seen.mentions}, broadcasts ${seen.broadcasts}, raw HTML ${seen.html}, formulas ${seen.formulas}`,
    );
    console.log(`  by format: ${JSON.stringify(Object.fromEntries(seen.byFormat))}; builders with a link, mention or HTML in chat: ${seen.builders.size}`);
    if (seen.where.size) console.log([...seen.where].sort().join('\n'));
    expect(builders.length).toBeGreaterThan(40);
    expect({ links: seen.links, evilLinks: seen.evilLinks, mentions: seen.mentions, broadcasts: seen.broadcasts, html: seen.html, formulas: seen.formulas }).toEqual({ links: 0, evilLinks: 0, mentions: 0, broadcasts: 0, html: 0, formulas: 0 });
  });
});
