// /kpi risks, /kpi risk and /kpi review on the memory repository: the heat map with refs in their cells
// and the risks above appetite; one risk's scores, trend, reviews and mitigating actions; a review
// inline or by form by its owner (raising it above appetite says so), a repeat changing nothing, and
// refusals for anyone else and for scores off the scale.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';
import type { RiskFields } from '../../../src/ports.ts';
import type { HeatMapSpec } from '../../../src/charts/spec.ts';
import type { Council } from '../../support/council.ts';

// Messy, as registers are: a ref in lower case with a space, a blank target, a risk nobody has reviewed.
const risks = (c: Council, actionId: number): RiskFields[] => [
  { ref: 'CIP05', title: 'Resource and capacity to deliver a quality service', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: c.deputy.id, controls: 'Agency cover', inherent: { likelihood: 5, impact: 5 }, target: { likelihood: 3, impact: 4 }, reviewMonths: 3, active: true, actionIds: [actionId], indicatorIds: [c.absence.id] },
  { ref: 'cip 06', title: 'Communication and Engagement', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, controls: null, inherent: { likelihood: 3, impact: 3 }, target: null, reviewMonths: 3, active: true, actionIds: [], indicatorIds: [] },
  { ref: 'CIP09', title: 'Variable Assessment Practice', description: null, themeId: null, ownerId: c.officer.id, deputyId: null, controls: null, inherent: { likelihood: 4, impact: 4 }, target: { likelihood: 2, impact: 3 }, reviewMonths: 1, active: true, actionIds: [], indicatorIds: [] },
];

describe('/kpi risks, /kpi risk and /kpi review', () => {
  const b = useBot();
  const run = (who: Parameters<typeof b.as>[0], line: string) => runSlashCommand(b.deps, b.as(who), line);
  const seed = async () => {
    const act = await b.deps.repo.actions.upsert([{ ref: 'WS5', kind: 'action', title: 'Recruitment and retention offer', description: null, themeId: b.council.theme.id, ownerId: b.council.owner.id, deputyId: null, start: null, due: '2018-03-31', isKey: false, active: true, indicatorIds: [] }], b.clock.now());
    await b.deps.repo.risks.upsert(risks(b.council, act.ids.get('WS5')!), b.clock.now());
    const id = (ref: string) => b.deps.repo.risks.byRef(ref).then((r) => r!.id);
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    await b.deps.repo.risks.saveReview({ riskId: await id('CIP05'), reviewedOn: '2017-09-29', likelihood: 4, impact: 4, commentary: 'Agency headcount high.', authorId: null, source: 'test', at: b.clock.now() }, by);
    await b.deps.repo.risks.saveReview({ riskId: await id('CIP05'), reviewedOn: '2017-12-15', likelihood: 4, impact: 5, commentary: 'Turnover rising.', authorId: b.council.owner.id, source: 'chat:slack', at: b.clock.now() }, by);
    await b.deps.repo.risks.saveReview({ riskId: await id('cip 06'), reviewedOn: '2017-10-10', likelihood: 3, impact: 3, commentary: 'Mapping complete.', authorId: null, source: 'test', at: b.clock.now() }, by);
  };

  it('answers with a heat map of every risk in its cell and lists those above appetite, highest first', async () => {
    await seed();
    const r = await run(b.council.officer, '/kpi risks');
    const text = said(r);
    expect(text).toContain('Risk register: 3 risks, 2 above appetite (scores over 9).');
    expect(text).toMatch(/🟥 `CIP05` Resource and capacity.* — 20 \(4×5\) Very high ↑ · \*\*above appetite\*\*/);
    expect(text).toMatch(/`CIP09` Variable Assessment Practice — 16 \(4×4\) Very high \(inherent: not reviewed yet\)/);
    expect(text.indexOf('CIP05')).toBeLessThan(text.indexOf('CIP09'));
    expect(text).not.toMatch(/above appetite\*\*[^\n]*cip 06/);
    if (r.kind !== 'message') throw new Error('expected a message');
    const chart = r.message.blocks.find((x) => x.type === 'chart');
    expect(chart?.type === 'chart' && chart.chart.kind).toBe('heat-map');
    const spec = (chart as { chart: HeatMapSpec }).chart;
    expect(spec.risks).toEqual([
      { ref: 'CIP05', likelihood: 4, impact: 5, trend: 'rising' },
      { ref: 'CIP09', likelihood: 4, impact: 4 },
      { ref: 'cip 06', likelihood: 3, impact: 3 },
    ]);
    expect(spec).toMatchObject({ scale: 5, appetite: 9 });
  });

  it('filters: mine, high, a theme; says what it does not know', async () => {
    await seed();
    expect(said(await run(b.council.officer, '/kpi risks mine'))).toContain('Your risks: 1 risk');
    expect(said(await run(b.council.officer, '/kpi risks high'))).toContain('Risks above appetite: 2 risks');
    expect(said(await run(b.council.officer, `/kpi risks theme ${b.council.theme.name}`))).toContain(': risks: 2 risks, 1 above appetite');
    expect(said(await run(b.council.officer, '/kpi risks nonsense'))).toContain('"nonsense" is not a theme or a filter I know');
  });

  it('shows one risk: current, inherent and target scores, the trend, every review and its mitigating actions', async () => {
    await seed();
    const text = said(await run(b.council.officer, '/kpi risk cip05'));
    expect(text).toContain('Current 20 (4×5) Very high** ↑ rising since the review before · **above appetite**');
    expect(text).toContain('25 (5×5) Very high');
    expect(text).toContain('12 (3×4) High');
    expect(text).toMatch(/15 Dec 2017\*\*: 20 \(4×5\) Very high ↑ — Turnover rising\./);
    expect(text).toMatch(/29 Sep 2017\*\*: 16 \(4×4\) Very high — Agency headcount high\./);
    expect(text).toContain('`WS5` Recruitment and retention offer');
    expect(text).toContain(`\`${b.council.absence.slug}\``);
    expect(said(await run(b.council.officer, '/kpi risk CIP99'))).toContain('There is no risk "CIP99"');
  });

  it('records a review inline by its owner: raising it above appetite says so, a repeat changes nothing; anyone else is refused', async () => {
    await seed();
    const r = said(await run(b.council.owner, '/kpi review CIP 06 likelihood 4 impact 4 Two leavers in December'));
    expect(r).toContain('✅ Saved cip 06’s review of 5 Feb 2018: **16 (4×4) Very high** ↑ rising.');
    expect(r).toContain('above the risk appetite');
    expect(said(await run(b.council.owner, '/kpi review cip 06 likelihood 4 impact 4 Two leavers in December'))).toContain('nothing changed');
    expect(said(await run(b.council.officer, '/kpi review CIP05 l3 i3 fine'))).toContain(`Sorry, only ${b.council.owner.displayName} (its owner), its deputy, the theme’s director or a performance admin can review CIP05.`);
    expect(said(await run(b.council.deputy, '/kpi review CIP05 likelihood 6 impact 0 hmm'))).toContain('Likelihood is scored 1–5, not 6. Impact is scored 1–5, not 0.');
    expect(said(await run(b.council.deputy, '/kpi review CIP05 likelihood 3 impact 3'))).toContain('Say in a sentence what the review found');
    expect(said(await run(b.council.deputy, '/kpi review CIP05 better now'))).toContain('Give CIP05’s likelihood and impact first');
    expect(said(await run(b.council.director, '/kpi review CIP05 3x4 Director’s review'))).toContain('12 (3×4) High ↓ falling');
    const audit = b.repo.store.t.audit.filter((a) => a.action === 'risk.review');
    expect(audit.length).toBe(5);
  });

  it('opens a form with the scale, checks each field, and saves', async () => {
    await seed();
    const d = createDispatcher(b.deps);
    const opened = await run(b.council.deputy, '/kpi review CIP05');
    if (opened.kind !== 'form') throw new Error('expected a form');
    expect(opened.form.fields.map((f) => f.id)).toEqual(['likelihood', 'impact', 'commentary']);
    const submit = (values: Record<string, string>) => d.submitForm(b.as(b.council.deputy), 'risk-review', opened.form.state, values);
    expect(await submit({ likelihood: '7', impact: '2', commentary: '' })).toEqual({ kind: 'form-errors', errors: { likelihood: 'Choose 1 to 5.', commentary: 'Say what the review found.' } });
    expect(said(await submit({ likelihood: '3', impact: '4', commentary: 'Starters in post' }))).toContain('✅ Saved CIP05’s review of 5 Feb 2018: **12 (3×4) High** ↓ falling.');
    expect(said(await d.action(b.as(b.council.officer), 'open-risk-review', JSON.stringify({ riskId: (await b.deps.repo.risks.byRef('CIP05'))!.id })))).toContain('Sorry, only');
  });
});
