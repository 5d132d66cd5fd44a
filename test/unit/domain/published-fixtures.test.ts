// The engine against what councils published: for every indicator with a printed value and target,
// compare our status and direction with the report's. Every disagreement must be listed, with its
// reason, in test/fixtures/expectations/<fixture>.json; a new or vanished disagreement fails.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateFixture, readFixture } from '../../../src/cli/commands/evaluate.ts';
import type { FixtureFile } from '../../../src/import/fixture-format.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

interface Disagreement {
  indicator: string;
  kind: 'status' | 'direction';
  published: string | null;
  computed: string | null;
  reason?: string;
}

const idOf = (row: FixtureFile['indicators'][number]) => row.slug ?? row.ref ?? row.name.slice(0, 60);

/** Compare engine and report; returns the disagreements and the counts compared. */
export function compareWithPublished(file: FixtureFile) {
  const rows = evaluateFixture(file);
  const out: Disagreement[] = [];
  let statusCompared = 0;
  let directionCompared = 0;
  file.indicators.forEach((ind, i) => {
    const r = rows[i]!;
    const pub = ind.published;
    if (!pub) return;
    const numeric = ind.observations.some((o) => o.value !== null) && ind.target?.value !== null && ind.target?.value !== undefined;
    const published = pub.status ?? pub.statusDeduced ?? null;
    if (numeric && published && published !== 'not-applicable') {
      statusCompared++;
      const agrees = published === 'amber-or-red' ? r.status === 'amber' || r.status === 'red' : r.status === published;
      if (!agrees) out.push({ indicator: idOf(ind), kind: 'status', published, computed: r.status });
    }
    if (pub.direction && ind.observations.some((o) => o.value !== null)) {
      directionCompared++;
      if (r.direction !== pub.direction) out.push({ indicator: idOf(ind), kind: 'direction', published: pub.direction, computed: r.direction });
    }
  });
  return { disagreements: out, statusCompared, directionCompared };
}

describe.each(['trafford-2013-14-q2', 'trafford-2017-18-q3'])('%s as published', (name) => {
  it('agrees with every published status and direction, except the disagreements explained in the expectations file', async () => {
    const file = await readFixture(path.join(FIXTURES, `${name}.json`));
    const { disagreements, statusCompared, directionCompared } = compareWithPublished(file);
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expectations', `${name}.json`), 'utf8')) as { disagreements: Disagreement[] };
    for (const d of expected.disagreements) expect(d.reason ?? '', `${d.indicator} ${d.kind} needs a reason`).toMatch(/^(?!TODO).{30,}/);
    const strip = (d: Disagreement) => ({ indicator: d.indicator, kind: d.kind, published: d.published, computed: d.computed });
    expect(disagreements.map(strip)).toEqual(expected.disagreements.map(strip));
    const statusAgreed = statusCompared - disagreements.filter((d) => d.kind === 'status').length;
    const directionAgreed = directionCompared - disagreements.filter((d) => d.kind === 'direction').length;
    console.info(`${name}: status ${statusAgreed}/${statusCompared}, direction ${directionAgreed}/${directionCompared} agree with the published report`);
    expect(statusCompared).toBeGreaterThan(15);
  });
});
