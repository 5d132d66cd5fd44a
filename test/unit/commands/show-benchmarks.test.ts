// /kpi show with benchmarks: where we rank among our comparator group ("5th of 10 in Greater
// Manchester · second quartile"), a strip of the group's values with ours marked, a "Top quartile"
// target judged on the comparator data for the period and textual (saying why) where there is none.
import { describe, expect, it } from 'vitest';
import { useBot, messageOf, said, type TestBot } from '../../support/bot.ts';
import { GM_AREAS, SICKNESS_Q3, TRAFFORD } from '../../support/comparators.ts';
import { showIndicator } from '../../../commands/show.ts';
import type { ComparatorValueRecord, IndicatorRecord } from '../../../src/ports.ts';
import { altText, type BarChartSpec } from '../../../src/charts/spec.ts';
import { evaluateStatuses } from '../../../jobs/evaluate-statuses.ts';

const by = (b: TestBot) => ({ at: b.clock.now(), actorId: null, actorLabel: 'test' });
const gm = (b: TestBot) => b.repo.comparators.saveGroup({ name: 'Greater Manchester', areas: GM_AREAS.map(([c]) => c) }, by(b), b.clock.now());
const values = (ind: IndicatorRecord, periodKey: string, vals: (string | number | null)[]): ComparatorValueRecord[] =>
  GM_AREAS.map(([areaCode, areaName], i) => ({ indicatorId: ind.id, periodKey, areaCode, areaName, value: vals[i] === null ? null : Number(vals[i]), source: 'test' }));

describe('/kpi show with benchmarks', () => {
  const b = useBot({
    register: (tag) => ({
      indicators: [
        { slug: `satisfaction-${tag}`, name: `Residents satisfied ${tag}`, theme: `Theme ${tag}`, unit: '%', polarity: 'higher', frequency: 'quarterly', decimals: 0, targets: [{ periodKey: '2017/18', value: null, text: 'Top quartile' }], observations: [{ periodKey: '2017/18 Q3', value: 71 }] },
      ],
    }),
  });
  const satisfaction = async () => (await b.repo.indicatorBySlug(`satisfaction-${b.council.tag}`))!;

  it('says where we rank among our group, with a strip of the group’s values and ours marked', async () => {
    const { absence } = b.council;
    await gm(b);
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    const vals = [...SICKNESS_Q3];
    vals[8] = '10.49';
    await b.repo.comparators.saveValues(values(absence, '2017/18 Q3', vals), by(b), b.clock.now());
    const r = await showIndicator(b.deps, absence);
    expect(said(r)).toContain('**Compared with other councils:** 9th of 10 in Greater Manchester · bottom quartile in 2017/18 Q3.');
    const strip = messageOf(r).blocks.find((x) => x.type === 'chart' && x.title === `${absence.slug} compared`);
    const chart = (strip as { chart: BarChartSpec }).chart;
    expect(chart.categories[0]).toBe('Tameside');
    expect(chart.categories[8]).toBe('Trafford');
    expect(chart.series[1]).toMatchObject({ label: 'Trafford', color: 'blue' });
    expect(chart.series[1]!.values[8]).toBe(10.49);
    // Its words (the alt text) give each council's figure once, ours marked — no zero parts of the stacking.
    const alt = altText(chart);
    expect(alt).toContain('Tameside: ');
    expect(alt).toContain('Trafford: 10.49 (highlighted)');
    expect(alt).not.toMatch(/\b0 (Other councils|Trafford)/);
  });

  it('ranks among those who reported, and says so', async () => {
    const { absence } = b.council;
    await gm(b);
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    const vals: (string | null)[] = [...SICKNESS_Q3];
    vals[8] = '8.9';
    vals[0] = null;
    await b.repo.comparators.saveValues(values(absence, '2017/18 Q2', vals), by(b), b.clock.now());
    // Q3's comparator data is not in yet: the latest that is, named in full.
    expect(said(await showIndicator(b.deps, absence))).toContain('**Compared with other councils:** 5th of 9 reporting in Greater Manchester · second quartile in 2017/18 Q2.');
  });

  it('says nothing of benchmarks without comparator data, and asks for our area code when that is missing', async () => {
    const { absence } = b.council;
    expect(said(await showIndicator(b.deps, absence))).not.toContain('Compared with other councils');
    await gm(b);
    await b.repo.comparators.saveValues(values(absence, '2017/18 Q3', SICKNESS_Q3), by(b), b.clock.now());
    expect(said(await showIndicator(b.deps, absence))).toContain('set our own area code (`/kpi settings our-area E08000009`)');
  });

  it('says why we are not ranked when our area is set but no group is ours (several imported, none chosen)', async () => {
    const { absence } = b.council;
    await gm(b);
    await b.repo.comparators.saveGroup({ name: 'CIPFA nearest neighbours', areas: GM_AREAS.slice(0, 5).map(([c]) => c).concat(TRAFFORD) }, by(b), b.clock.now());
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: null });
    await b.repo.comparators.saveValues(values(absence, '2017/18 Q3', SICKNESS_Q3), by(b), b.clock.now());
    expect(said(await showIndicator(b.deps, absence))).toContain('Other councils’ values are imported for this indicator, but we are not ranked: no comparator group is set as ours (kpi settings comparator-group');
  });

  it('judges a "Top quartile" target on the comparator data for the period, and says why not without it', async () => {
    const ind = await satisfaction();
    const before = said(await showIndicator(b.deps, ind));
    expect(before).toContain('No target set (Top quartile: no comparator data has been imported for 2017/18 Q3): 71% in Q3');
    await gm(b);
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    await b.repo.comparators.saveValues(values(ind, '2017/18 Q3', [64, 70, 58, 61, 60, 66, 74, 59, 71, 63]), by(b), b.clock.now());
    const after = said(await showIndicator(b.deps, ind));
    // Top quartile of ten: 3rd place or better — 70% is the 3rd best; ours, 71%, is 2nd.
    expect(after).toContain('Green: 71% against a target of 70% ("Top quartile": the last place in the top quartile, 3rd of 10 reporting in Greater Manchester for 2017/18 Q3)');
    expect(after).toContain('**Compared with other councils:** 2nd of 10 in Greater Manchester · top quartile in 2017/18 Q3.');
  });

  it('records the same status for a benchmark target as show says (evaluate-statuses)', async () => {
    const ind = await satisfaction();
    await gm(b);
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    await b.repo.comparators.saveValues(values(ind, '2017/18 Q3', [64, 70, 58, 61, 60, 66, 74, 59, 71, 63]), by(b), b.clock.now());
    await evaluateStatuses(b.deps, b.clock.now(), { full: true });
    expect((await b.repo.latestStatusChanges([ind.id])).get(ind.id)).toMatchObject({ periodKey: '2017/18 Q3', status: 'green', target: 70 });
  });
});
