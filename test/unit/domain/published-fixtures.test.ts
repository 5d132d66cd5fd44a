// The engine against what councils published: for every indicator with a printed value and target,
// compare our status with the report's; for every printed arrow, compare our direction of travel
// under each basis (previous period, same period last year, baseline). Every disagreement must be
// listed, with its reason, in test/fixtures/expectations/<fixture>.json; a new or vanished
// disagreement fails. Every fixture file in test/fixtures is compared (copies of /work/shared/fixtures).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASIS_OPTION, evaluateFixture, readFixture } from '../../../src/cli/commands/evaluate.ts';
import type { DotBasis } from '../../../src/domain/types.ts';
import type { FixtureFile } from '../../../src/import/fixture-format.ts';
import { FIXTURES_DIR, readPublished, type Published } from '../../support/published.ts';

interface Disagreement {
  indicator: string;
  kind: 'status' | 'direction';
  published: string | null;
  computed: string | null;
  reason?: string;
}

interface Expectations {
  /** Statuses, and directions against the previous period (the basis both Trafford reports use). */
  disagreements: Disagreement[];
  /** Directions against the other bases. */
  byBasis: Record<string, Disagreement[]>;
}

const idOf = (row: FixtureFile['indicators'][number]) => row.slug ?? row.ref ?? row.name.slice(0, 60);

/** Compare engine and report under a basis; returns the disagreements and what was compared. */
export function compareWithPublished(file: FixtureFile, published: (Published | undefined)[], basis: DotBasis = 'previous') {
  const rows = evaluateFixture(file, { dotBasis: basis });
  const out: Disagreement[] = [];
  let statusCompared = 0;
  const direction = { published: 0, computable: 0, agree: 0 };
  file.indicators.forEach((ind, i) => {
    const r = rows[i]!;
    const pub = published[i];
    if (!pub) return;
    const numeric = ind.observations.some((o) => o.value !== null) && ind.target?.value !== null && ind.target?.value !== undefined;
    const status = pub.status ?? pub.statusDeduced ?? null;
    if (numeric && status && status !== 'not-applicable') {
      statusCompared++;
      const agrees = status === 'amber-or-red' ? r.status === 'amber' || r.status === 'red' : r.status === status;
      if (!agrees) out.push({ indicator: idOf(ind), kind: 'status', published: status, computed: r.status });
    }
    if (pub.direction && ind.observations.some((o) => o.value !== null)) {
      direction.published++;
      if (r.direction) direction.computable++;
      if (r.direction === pub.direction) direction.agree++;
      else out.push({ indicator: idOf(ind), kind: 'direction', published: pub.direction, computed: r.direction });
    }
  });
  return { disagreements: out, statusCompared, direction };
}

const FIXTURES = readdirSync(FIXTURES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

const strip = (d: Disagreement) => ({ indicator: d.indicator, kind: d.kind, published: d.published, computed: d.computed });
const needsReasons = (list: Disagreement[]) => {
  for (const d of list) expect(d.reason ?? '', `${d.indicator} ${d.kind} needs a reason`).toMatch(/^(?!TODO).{30,}/);
};

it('finds the fixtures (each needs its expectations file)', () => {
  expect(FIXTURES).toEqual(expect.arrayContaining(['trafford-2013-14-q2', 'trafford-2017-18-q3']));
});

describe.each(FIXTURES)('%s as published', (name) => {
  const load = async () => {
    const file = path.join(FIXTURES_DIR, `${name}.json`);
    const expected = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'expectations', `${name}.json`), 'utf8')) as Expectations;
    return { fixture: await readFixture(file), published: readPublished(file), expected };
  };

  it('agrees with every published status and, against the previous period, every direction — except the disagreements explained in the expectations file', async () => {
    const { fixture, published, expected } = await load();
    const { disagreements, statusCompared, direction } = compareWithPublished(fixture, published, 'previous');
    needsReasons(expected.disagreements);
    expect(disagreements.map(strip)).toEqual(expected.disagreements.map(strip));
    const statusAgreed = statusCompared - disagreements.filter((d) => d.kind === 'status').length;
    console.info(`${name}: status ${statusAgreed}/${statusCompared}; direction against the previous period ${direction.agree}/${direction.computable} computable agree (${direction.published} printed)`);
    expect(statusCompared).toBeGreaterThan(15);
  });

  it.each(['same_last_year', 'baseline'] as const)('against %s, agrees with every published direction except the disagreements explained', async (basis) => {
    const { fixture, published, expected } = await load();
    const { disagreements, direction } = compareWithPublished(fixture, published, basis);
    const listed = expected.byBasis[BASIS_OPTION[basis]] ?? [];
    needsReasons(listed);
    expect(disagreements.filter((d) => d.kind === 'direction').map(strip)).toEqual(listed.map(strip));
    console.info(`${name}: direction against ${BASIS_OPTION[basis]} ${direction.agree}/${direction.computable} computable agree (${direction.published} printed)`);
    // The status does not depend on the basis.
    expect(disagreements.filter((d) => d.kind === 'status')).toEqual(expected.disagreements.filter((d) => d.kind === 'status').map(strip));
  });
});
