// The demo organisation: Trafford Council's 2017/18 Quarter 3 indicators as published, with
// invented people as owners, deputies and directors, so every command has real data at first start.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { fixtureToRegister, type FixtureLike } from '../register/from-fixture.ts';
import { registerSchema, type Register, type RegisterPerson, type RegisterTheme, type WriteSummary } from '../register/types.ts';
import { PrismaRepository } from '../repo/prisma-repository.ts';
import type { Repository } from '../ports.ts';
import { TRAFFORD_QUESTIONS } from '../repo/defaults.ts';

const FIXTURE = path.join(import.meta.dirname, 'trafford-2017-18-q3.json');
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

export type DemoSummary = WriteSummary;

/** The demo register: the fixture's indicators, targets and values, with its people and themes. */
export async function demoRegister(): Promise<Register> {
  const fixture = JSON.parse(await readFile(FIXTURE, 'utf8')) as FixtureLike;
  const mapped = fixtureToRegister(fixture);
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
  return registerSchema.parse({
    ...mapped.register,
    organisation: { name: 'Trafford Council (demo)', toleranceKind: 'relative', toleranceValue: 10, exceptionQuestions: TRAFFORD_QUESTIONS },
    people,
    themes,
  });
}

/** Load the demo through any Repository: the register, then every theme's alerts to a #performance channel (printed on the console). */
export async function loadDemoInto(repo: Pick<Repository, 'writeRegister' | 'themes' | 'subscribe'>, at: Date): Promise<DemoSummary> {
  const summary = await repo.writeRegister(await demoRegister(), { source: 'demo', at, actorId: null, actorLabel: 'demo' });
  for (const t of await repo.themes()) {
    await repo.subscribe({ platform: 'console', channelId: 'performance', themeId: t.id, indicatorId: null, events: [], channelName: 'performance', createdById: null });
  }
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
