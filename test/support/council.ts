// A small council written through any Repository (memory, PGlite, PostgreSQL) by the same register
// writer an import uses: an admin, a theme's director, an owner with a deputy, an officer, one
// theme and three indicators with targets and values. Every call gets its own names (the tag), so
// tests on one database never see each other's rows.
import type { IndicatorRecord, PersonRecord, Repository, ThemeRecord } from '../../src/ports.ts';
import { registerSchema, type RegisterInput } from '../../src/register/types.ts';

let seq = 0;

export interface Council {
  tag: string;
  admin: PersonRecord;
  director: PersonRecord;
  owner: PersonRecord;
  deputy: PersonRecord;
  officer: PersonRecord;
  theme: ThemeRecord;
  /** Quarterly, lower is better, days, owner and deputy: 2017/18 Q1–Q3 given (Q3 red against 8.5), targets to Q4. */
  absence: IndicatorRecord;
  /** Quarterly, higher is better, %, the same owner (no deputy): a Q4 target (85, amber floor 82) only. */
  cleanliness: IndicatorRecord;
  /** Monthly, higher is better, owned by the officer: Apr–Dec 2017. */
  visits: IndicatorRecord;
}

export const AT = new Date('2018-02-01T09:00:00Z');

/** The register of a council tagged `tag` (override or add to any part). */
export function councilRegister(tag: string, extra: Partial<RegisterInput> = {}): RegisterInput {
  const email = (who: string) => `${who}-${tag}@council.example`;
  const name = (who: string) => `${who} ${tag.toUpperCase()}`;
  return {
    people: [
      { displayName: name('Admin'), email: email('admin'), role: 'admin' },
      { displayName: name('Director'), email: email('director'), role: 'director' },
      { displayName: name('Owner'), email: email('owner'), role: 'officer', deputyEmail: email('deputy') },
      { displayName: name('Deputy'), email: email('deputy'), role: 'officer' },
      { displayName: name('Officer'), email: email('officer'), role: 'officer' },
      ...(extra.people ?? []),
    ],
    themes: [{ name: `Theme ${tag}`, slug: `theme-${tag}`, directorEmail: email('director') }, ...(extra.themes ?? [])],
    indicators: [
      {
        ref: `BV ${tag} 12i`,
        slug: `absence-${tag}`,
        name: `Sickness absence ${tag}`,
        theme: `Theme ${tag}`,
        ownerEmail: email('owner'),
        deputyEmail: email('deputy'),
        unit: 'days',
        polarity: 'lower',
        frequency: 'quarterly',
        decimals: 2,
        targets: [
          { periodKey: '2017/18 Q1', value: 8.5 },
          { periodKey: '2017/18 Q2', value: 8.5 },
          { periodKey: '2017/18 Q3', value: 8.5 },
          { periodKey: '2017/18 Q4', value: 8.5 },
        ],
        observations: [
          { periodKey: '2017/18 Q1', value: 8.1 },
          { periodKey: '2017/18 Q2', value: 8.9 },
          { periodKey: '2017/18 Q3', value: 10.49 },
        ],
      },
      {
        slug: `cleanliness-${tag}`,
        name: `Street cleanliness ${tag}`,
        theme: `Theme ${tag}`,
        ownerEmail: email('owner'),
        unit: '%',
        polarity: 'higher',
        frequency: 'quarterly',
        targets: [{ periodKey: '2017/18 Q4', value: 85, amberFloor: 82 }],
      },
      {
        slug: `visits-${tag}`,
        name: `Library visits ${tag}`,
        theme: `Theme ${tag}`,
        ownerEmail: email('officer'),
        unit: 'number',
        polarity: 'higher',
        frequency: 'monthly',
        decimals: 0,
        observations: ['2017-04', '2017-05', '2017-06', '2017-07', '2017-08', '2017-09', '2017-10', '2017-11', '2017-12'].map((periodKey, i) => ({ periodKey, value: 1000 + i * 10 })),
      },
      ...(extra.indicators ?? []),
    ],
    ...(extra.values ? { values: extra.values } : {}),
    ...(extra.exceptionReports ? { exceptionReports: extra.exceptionReports } : {}),
    ...(extra.settings ? { settings: extra.settings } : {}),
    ...(extra.organisation ? { organisation: extra.organisation } : {}),
  };
}

/** Write a new council into the repository and read back what it became. `extra`: more of the register (given the council's tag). */
export async function aCouncil(repo: Repository, extra: Partial<RegisterInput> | ((tag: string) => Partial<RegisterInput>) = {}, at = AT): Promise<Council> {
  // No tag is part of another ("c1x" is not in "c12x"), so searches by tag find one council.
  const tag = `c${++seq}x`;
  await repo.writeRegister(registerSchema.parse(councilRegister(tag, typeof extra === 'function' ? extra(tag) : extra)), { source: 'test', at, actorId: null, actorLabel: 'test' });
  const person = async (who: string) => (await repo.personByEmail(`${who}-${tag}@council.example`))!;
  const indicator = async (slug: string) => (await repo.indicatorBySlug(`${slug}-${tag}`))!;
  const theme = (await repo.themes()).find((t) => t.slug === `theme-${tag}`)!;
  return {
    tag,
    admin: await person('admin'),
    director: await person('director'),
    owner: await person('owner'),
    deputy: await person('deputy'),
    officer: await person('officer'),
    theme,
    absence: await indicator('absence'),
    cleanliness: await indicator('cleanliness'),
    visits: await indicator('visits'),
  };
}
