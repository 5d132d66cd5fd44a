// The demo organisation: Trafford Council's 2017/18 Quarter 3 indicators as published, with
// invented people as owners, deputies and directors, so every command has real data at first start.
// Where Trafford's 2013/14 Quarter 2 report holds the same indicator (same definition and unit), its
// figures and targets join the history; the annual 2017/18 targets printed in the "17/18 Target"
// column are stored as the year's target, which the engine applies to every quarter (as is for a rate,
// pro rata for a count) — so a 2017/18 Q4 value has a target, and the year end has a forecast. Its
// actions and milestones are in src/demo/actions.ts. The demo runs on its own date, 15 January 2018
// (src/demo/clock.ts).
import type { PrismaClient } from '../generated/prisma/client.ts';
import { fixtureToRegister, type FixtureLike } from '../register/from-fixture.ts';
import { registerSchema, type Register, type RegisterPerson, type RegisterTheme, type WriteSummary } from '../register/types.ts';
import { PrismaRepository } from '../repo/prisma-repository.ts';
import type { Repository } from '../ports.ts';
import { TRAFFORD_QUESTIONS } from '../repo/defaults.ts';
import { DEMO_TODAY } from './clock.ts';
import { DEMO_ACTIONS } from './actions.ts';
// Imported, not read from beside this file: the compiled build carries them inside its bundle.
import publishedQ3 from './trafford-2017-18-q3.json' with { type: 'json' };
import publishedEarlier from './trafford-2013-14-q2.json' with { type: 'json' };
import { DEMO_RISKS } from './risks.ts';
import { DEMO_COMMENTARY, DEMO_COMMENTARY_STYLE } from './commentary.ts';
import { recordActionConditions } from '../alerting/state.ts';
import { importComparators } from '../services/comparators.ts';
import { DEMO_AREA, DEMO_COMPARATOR_FILE, DEMO_GROUP, demoComparatorCsv, GM_AREAS } from './comparators.ts';

/**
 * 2017/18 indicators that are the same measure as a 2013/14 one, by its reference there. Left out:
 * third-sector support (2013/14 does not say whether its counts are per quarter or to date), the
 * employment and NEET measures (different units and age ranges).
 */
const SAME_INDICATOR: Record<string, string> = {
  'recycling-rate': 'CAG 08',
  'sickness-absence': 'BV 12i',
  'council-tax-collected': 'BV9',
  'vacant-town-centre-units': 'EG 2',
  'housing-completions': 'NI 154',
  'safest-place': 'STP 1',
};

/** The annual target a fixture row's notes print: "'17/18 Target' column (annual): 400", "2013/14 annual target: '52%'". */
export function annualTargetIn(notes: string | null | undefined, year: '2013/14' | '2017/18'): number | null {
  const m = year === '2017/18' ? /'17\/18 Target' column(?: \(annual\))?: ([\d,]+(?:\.\d+)?)/.exec(notes ?? '') : /2013\/14 annual target: '[£]?([\d,]+(?:\.\d+)?)(?:%|m| days|\*)*'/.exec(notes ?? '');
  return m ? Number(m[1]!.replace(/,/g, '')) : null;
}

/** When the demo's figures were given: before its own date, whenever it is loaded (loaded at any later date, it writes the same). */
export const DEMO_GIVEN_AT = new Date(`2018-01-12T09:00:00Z`);
const DOMAIN = 'trafford.example';

const person = (displayName: string, role: RegisterPerson['role'], deputyEmail?: string): RegisterPerson => ({
  displayName,
  email: `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@${DOMAIN}`,
  role,
  identities: {},
  ...(deputyEmail ? { deputyEmail } : {}),
});

/** Each Vision 2031 theme: a short slug, its director, the owning officer and the deputy. */
const THEMES: { match: RegExp; slug: string; director: string; owner: string; deputy: string }[] = [
  { match: /^Creating a national beacon/, slug: 'sports-leisure', director: 'Helen Carter', owner: 'Gareth Lloyd', deputy: 'Nadia Rahman' },
  { match: /^Accelerate housing/, slug: 'housing-growth', director: 'Richard Okafor', owner: 'Emma Walsh', deputy: 'Jamie Fletcher' },
  { match: /^Co-designing/, slug: 'co-designed-services', director: 'Sarah Whitfield', owner: 'Olu Adeyemi', deputy: 'Kate Morgan' },
  { match: /^Building Strong Communities/, slug: 'strong-communities', director: 'Tom Brennan', owner: 'Lucy Chambers', deputy: 'Imran Hussain' },
  { match: /^Developing a Wider Education/, slug: 'education-skills', director: 'Aisha Malik', owner: 'Ben Thornton', deputy: 'Rachel Green' },
  { match: /^Optimising technology/, slug: 'technology', director: 'David Price', owner: 'Chris Doyle', deputy: 'Hannah Price' },
];

export const DEMO_ADMIN = person('Priya Shah', 'admin');

/** The first period the demo organisation collects: the quarter its figures are from. */
export const DEMO_COLLECT_FROM = '2017/18 Q3';

export type DemoSummary = WriteSummary;

/** The 2017/18 register with the 2013/14 history of the same indicators and the annual targets. */
async function publishedRegister(): Promise<ReturnType<typeof fixtureToRegister>> {
  // A copy each call: the register is built by changing what it reads.
  const fixture = structuredClone(publishedQ3) as FixtureLike;
  const earlier = structuredClone(publishedEarlier) as FixtureLike;
  const mapped = fixtureToRegister(fixture);
  const old = fixtureToRegister(earlier).register.indicators!;
  for (const ind of mapped.register.indicators!) {
    const row = fixture.indicators.find((r) => r.slug === ind.slug);
    const annual = annualTargetIn(row?.notes, '2017/18');
    if (annual !== null) ind.targets = [...(ind.targets ?? []), { periodKey: '2017/18', value: annual, amberFloor: null, text: null }];
    const ref = SAME_INDICATOR[ind.slug];
    if (!ref) continue;
    const from = old.find((o) => o.ref === ref);
    if (!from) throw new Error(`demo: no ${ref} in the 2013/14 report`);
    const oldAnnual = annualTargetIn(earlier.indicators.find((r) => r.ref === ref)?.notes, '2013/14');
    ind.observations = [...(from.observations ?? []), ...(ind.observations ?? [])];
    ind.targets = [...(from.targets ?? []), ...(oldAnnual !== null ? [{ periodKey: '2013/14', value: oldAnnual, amberFloor: null, text: null }] : []), ...(ind.targets ?? [])];
  }
  return mapped;
}

/** The demo register: the published indicators, targets and values, with its people and themes. */
export async function demoRegister(): Promise<Register> {
  const mapped = await publishedRegister();
  const people: RegisterPerson[] = [DEMO_ADMIN];
  const themes: RegisterTheme[] = [];
  const themeNames = [...new Set(mapped.register.indicators!.map((i) => i.theme).filter((t): t is string => Boolean(t)))];
  for (const name of themeNames) {
    const t = THEMES.find((x) => x.match.test(name));
    if (!t) throw new Error(`demo: no people for theme "${name}"`);
    const director = person(t.director, 'director');
    const deputy = person(t.deputy, 'officer');
    const owner = person(t.owner, 'officer', deputy.email);
    people.push(director, owner, deputy);
    themes.push({ name, slug: t.slug, kind: 'theme', directorEmail: director.email, alertChannels: [] });
    for (const ind of mapped.register.indicators!) {
      if (ind.theme !== name) continue;
      ind.ownerEmail = owner.email;
      ind.deputyEmail = deputy.email;
    }
  }
  // What the council is doing about them: each action goes to its theme's owner and deputy.
  const actions = DEMO_ACTIONS.map(({ themeSlug, ...a }) => {
    const t = THEMES.find((x) => x.slug === themeSlug)!;
    const theme = themes.find((x) => x.slug === themeSlug);
    if (!theme) throw new Error(`demo: no theme ${themeSlug} for action ${a.ref}`);
    return { ...a, theme: theme.name, ownerEmail: person(t.owner, 'officer').email, deputyEmail: person(t.deputy, 'officer').email };
  });
  // The risk register: each risk to its theme's owner and deputy (the scores are illustrative: src/demo/risks.ts).
  const risks = DEMO_RISKS.map(({ themeSlug, ...r }) => {
    const t = THEMES.find((x) => x.slug === themeSlug)!;
    const theme = themes.find((x) => x.slug === themeSlug);
    if (!theme) throw new Error(`demo: no theme ${themeSlug} for risk ${r.ref}`);
    return { ...r, theme: theme.name, ownerEmail: person(t.owner, 'officer').email, deputyEmail: person(t.deputy, 'officer').email };
  });
  return registerSchema.parse({
    ...mapped.register,
    actions,
    risks,
    organisation: { name: 'Trafford Council (demo)', toleranceKind: 'relative', toleranceValue: 10, exceptionQuestions: TRAFFORD_QUESTIONS },
    people,
    themes,
  });
}

/**
 * Load the demo through any Repository: the register, the demo's own date, then every theme's alerts
 * and the actions' to a #performance channel (printed on the console). Alerting on actions begins when
 * the figures were given: what held then is recorded (never posted), so on the demo's date the channel
 * hears only of what changed since — one milestone fallen overdue over the weekend (CIP-WS8).
 */
export async function loadDemoInto(
  repo: Pick<Repository, 'writeRegister' | 'updateOrg' | 'themes' | 'channelSubscriptions' | 'subscribe' | 'commentary' | 'actions' | 'conditionChanges' | 'org' | 'indicators' | 'comparators'>,
  at: Date,
): Promise<DemoSummary> {
  // Published figures, written as given (the plausibility check does not hold them back).
  const given = new Date(Math.min(at.getTime(), DEMO_GIVEN_AT.getTime()));
  const register = await demoRegister();
  const summary = await repo.writeRegister(register, { source: 'demo', at: given, actorId: null, actorLabel: 'demo', acceptOutliers: true });
  // Its figures are Trafford's 2017/18 Q3: values are collected from that quarter on, from the demo's own date.
  // Benchmarks: Trafford (E08000009) ranked in Greater Manchester, on generated comparator data (src/demo/comparators.ts).
  const org = await repo.updateOrg({ demoToday: DEMO_TODAY, collectFrom: DEMO_COLLECT_FROM, collectingSince: DEMO_TODAY, commentarySections: DEMO_COMMENTARY_STYLE.sections, commentaryInitials: DEMO_COMMENTARY_STYLE.initials, comparatorArea: DEMO_AREA, comparatorGroup: DEMO_GROUP });
  const by = { at: given, actorId: null, actorLabel: 'demo' };
  await repo.comparators.saveGroup({ name: DEMO_GROUP, areas: GM_AREAS.map(([code]) => code) }, by, given);
  await importComparators(repo, { name: DEMO_COMPARATOR_FILE, bytes: new TextEncoder().encode(demoComparatorCsv(register)) }, { at: given, actorId: null, actorLabel: 'demo' });
  // Two directors' commentary for the quarter, submitted with its figures; the rest is owed (and chased).
  const themes = await repo.themes();
  for (const c of DEMO_COMMENTARY) {
    const theme = themes.find((t) => t.slug === c.themeSlug);
    if (!theme) throw new Error(`demo: no theme ${c.themeSlug} for commentary`);
    await repo.commentary.save({ themeId: theme.id, periodKey: DEMO_COLLECT_FROM, sections: c.sections, state: 'submitted', authorId: theme.directorId, source: 'demo', at: given }, { at: given, actorId: null, actorLabel: 'demo' });
  }
  // A subscription there already is left as it is (someone may have chosen its events).
  const existing = await repo.channelSubscriptions({ platform: 'console', channelId: 'performance' });
  const subscribed = new Set(existing.map((x) => x.themeId));
  for (const t of await repo.themes()) {
    if (subscribed.has(t.id)) continue;
    await repo.subscribe({ platform: 'console', channelId: 'performance', themeId: t.id, indicatorId: null, events: [], channelName: 'performance', createdById: null });
  }
  // Every action, whatever its theme, with the `actions` event: the themes' subscriptions keep the organisation's indicator events.
  if (!existing.some((x) => x.themeId === null && x.indicatorId === null)) {
    await repo.subscribe({ platform: 'console', channelId: 'performance', themeId: null, indicatorId: null, events: ['actions'], channelName: 'performance', createdById: null });
  }
  // The baseline, unless alerting on actions has begun already (the demo loaded again over itself).
  if (!(await repo.conditionChanges.latest('action')).size) await recordActionConditions(repo, org, given);
  return summary;
}

export function loadDemo(db: PrismaClient, at: Date): Promise<DemoSummary> {
  return loadDemoInto(new PrismaRepository(db), at);
}

/** Remove every row (the schema and migration history stay) and load the demo again. */
export async function resetDemo(db: PrismaClient, at: Date): Promise<DemoSummary> {
  const tables = await db.$queryRawUnsafe<{ tablename: string }[]>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
  );
  if (tables.length) await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  return loadDemo(db, at);
}

/** First start on an empty embedded database: load the demo. Returns null when there was data already. */
export async function seedDemoIfEmpty(db: PrismaClient, at: Date): Promise<DemoSummary | null> {
  const [indicators, people] = await Promise.all([db.indicator.count(), db.person.count()]);
  if (indicators > 0 || people > 0) return null;
  return loadDemo(db, at);
}
