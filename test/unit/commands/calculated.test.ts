// Calculated indicators through the handlers, on the memory repository: a percentage worked out when
// its inputs arrive by /kpi submit (saved with "calculated from …", its status evaluated like any
// value, the history saying which input changed it), typing a value for it refused with its inputs
// named (inline, the form, its type-ahead, the "Submit a value" form), and /kpi show giving the
// formula with the inputs' values — or why it is not yet calculable.
import { describe, expect, it } from 'vitest';
import { useBot, buttons, formOf, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { confirmCorrection, indicatorOptions, submitForm, submitFormValues } from '../../../commands/submit.ts';
import { showIndicator } from '../../../commands/show.ts';
import { evaluateIndicator } from '../../../src/services/evaluation.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';
import { reportHtml } from '../../../src/report/html.ts';

/** Two counts owned by the council's owner and a percentage calculated from them (target 90%, higher is better). */
const calculatedRegister = (tag: string) => ({
  indicators: [
    { slug: `tax-collected-${tag}`, name: `Council tax collected ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: '£', polarity: 'higher' as const, frequency: 'quarterly' as const, decimals: 0 },
    { slug: `tax-due-${tag}`, name: `Council tax due ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: '£', polarity: 'none' as const, frequency: 'quarterly' as const, decimals: 0 },
    {
      slug: `tax-rate-${tag}`,
      name: `Council tax collection rate ${tag}`,
      theme: `Theme ${tag}`,
      ownerEmail: `owner-${tag}@council.example`,
      unit: '%',
      polarity: 'higher' as const,
      frequency: 'quarterly' as const,
      formula: `tax-collected-${tag} / tax-due-${tag} * 100`,
      targets: [{ periodKey: '2017/18 Q3', value: 90 }],
    },
  ],
});

describe('calculated indicators in chat', () => {
  const b = useBot({ register: calculatedRegister });
  const slash = (who: Parameters<TestBot['as']>[0], line: string) => runSlashCommand(b.deps, b.as(who), line);
  const ind = async (name: string) => (await b.repo.indicatorBySlug(`${name}-${b.council.tag}`))!;

  it('works the percentage out when its second input arrives, saves it as calculated and evaluates its status', async () => {
    const { owner, tag } = b.council;
    await slash(owner, `/kpi submit tax-collected-${tag} 2017/18 Q3 8,700,000`);
    const rate = await ind('tax-rate');
    expect(await b.repo.observationVersions(rate.id, '2017/18 Q3')).toEqual([]);
    await slash(owner, `/kpi submit tax-due-${tag} 2017/18 Q3 10,000,000`);
    const [v] = await b.repo.observationVersions(rate.id, '2017/18 Q3');
    expect(v).toMatchObject({ version: 1, value: 87, source: 'calculated', submittedById: null, submittedByLabel: `calculated from tax-collected-${tag}, tax-due-${tag}`, note: `tax-collected-${tag} 8,700,000; tax-due-${tag} 10,000,000` });
    const ev = evaluateIndicator(rate, await b.repo.history(rate.id), await b.repo.org());
    expect(ev.status).toBe('amber');
    expect(ev.explanation).toBe('Amber: 87% against a target of 90% (amber down to 81%).');
  });

  it('recalculates when an input is corrected, and the history says which input changed it', async () => {
    const { owner, tag } = b.council;
    await slash(owner, `/kpi submit tax-collected-${tag} 2017/18 Q3 8,700,000`);
    await slash(owner, `/kpi submit tax-due-${tag} 2017/18 Q3 10,000,000`);
    const ask = await slash(owner, `/kpi submit tax-collected-${tag} 2017/18 Q3 9,100,000 late receipts`);
    const confirm = buttons(ask).find((x) => x.id === 'confirm-correction')!;
    await confirmCorrection(b.deps, b.as(owner), confirm.value, null, 'button');
    const rate = await ind('tax-rate');
    const versions = await b.repo.observationVersions(rate.id, '2017/18 Q3');
    expect(versions.map((x) => x.value)).toEqual([91, 87]);
    expect(versions[0]!.correctionReason).toBe(`recalculated: tax-collected-${tag} 8,700,000 → 9,100,000`);
    const history = said(await slash(owner, `/kpi history tax-rate-${tag}`));
    expect(history).toContain(`• v2 (current) · **91%** · calculated from tax-collected-${tag}, tax-due-${tag}, 5 Feb 2018, 09:00 · recalculated: tax-collected-${tag} 8,700,000 → 9,100,000 · note: tax-collected-${tag} 9,100,000; tax-due-${tag} 10,000,000`);
  });

  it('refuses a value typed for it, naming its inputs — inline, in the form and from the form it would open — and offers it in no type-ahead', async () => {
    const { owner, admin, tag } = b.council;
    const rate = await ind('tax-rate');
    const refusal = `tax-rate-${tag} is calculated (\`tax-collected-${tag} / tax-due-${tag} * 100\`), so it is not typed: it is worked out when its inputs arrive. Give the values of \`tax-collected-${tag}\` and \`tax-due-${tag}\` instead (e.g. \`/kpi submit tax-collected-${tag} …\`).`;
    for (const who of [owner, admin]) expect(said(await slash(who, `/kpi submit tax-rate-${tag} 2017/18 Q3 95`))).toContain(`Not saved: ${refusal}`);
    expect(said(await submitFormValues(b.deps, b.as(owner), { indicator: String(rate.id), period: '2017/18 Q3', value: '95' }))).toBe(`indicator: ${refusal}`);
    await expect(submitForm(b.deps, b.as(owner), { indicatorId: rate.id })).rejects.toThrow(refusal);
    expect(said(await indicatorOptions(b.deps, b.as(owner), `tax`))).not.toContain(`tax-rate-${tag}`);
    expect(said(await indicatorOptions(b.deps, b.as(owner), `tax`))).toContain(`tax-due-${tag}`);
    expect(await b.repo.observationVersions(rate.id)).toEqual([]);
  });

  it('follows an input from provisional to final when its value stays the same: the result is no longer provisional either', async () => {
    const [collected, due, rate] = [await ind('tax-collected'), await ind('tax-due'), await ind('tax-rate')];
    const save = (indicatorId: number, value: number, provisional: boolean, replacesVersion: number | null) =>
      b.repo.saveObservation({
        indicatorId, periodKey: '2017/18 Q3', periodStart: '2017-10-01', periodEnd: '2017-12-31', value, estimated: false, provisional, note: null,
        source: 'api', submittedById: null, submittedByLabel: 'api:revenues', submittedAt: b.clock.now(), replacesVersion, ...(replacesVersion ? { correctionReason: 'final figure' } : {}),
      });
    await save(collected.id, 8_700_000, true, null);
    await save(due.id, 10_000_000, false, null);
    expect((await b.repo.observationVersions(rate.id, '2017/18 Q3')).map((v) => [v.value, v.provisional])).toEqual([[87, true]]);
    await save(collected.id, 8_700_000, false, 1);
    const versions = await b.repo.observationVersions(rate.id, '2017/18 Q3');
    expect(versions.map((v) => [v.value, v.provisional])).toEqual([[87, false], [87, true]]);
    expect(versions[0]!.correctionReason).toBe('recalculated: its inputs are now final (were provisional)');
    expect(evaluateIndicator(rate, await b.repo.history(rate.id), await b.repo.org()).explanation).not.toContain('provisional');
  });

  it('refuses a typed value at the save itself, whichever way in forgot to ask (an API, a script)', async () => {
    const rate = await ind('tax-rate');
    const save = b.repo.saveObservation({
      indicatorId: rate.id, periodKey: '2017/18 Q3', periodStart: '2017-10-01', periodEnd: '2017-12-31', value: 95, estimated: false, provisional: false, note: null,
      source: 'api', submittedById: b.council.admin.id, submittedByLabel: 'api:hr-system', submittedAt: b.clock.now(), replacesVersion: null,
    });
    await expect(save).rejects.toThrow(`Not saved: this indicator is calculated (tax-collected-${b.council.tag} / tax-due-${b.council.tag} * 100)`);
  });

  it('/kpi show gives the formula and the inputs’ values for the period, or which inputs it is waiting for', async () => {
    const { owner, tag } = b.council;
    await slash(owner, `/kpi submit tax-collected-${tag} 2017/18 Q3 8,700,000`);
    const waiting = said(await showIndicator(b.deps, await ind('tax-rate')));
    expect(waiting).toContain(`**Calculated** as \`tax-collected-${tag} / tax-due-${tag} * 100\` · 2017/18 Q3 (Oct–Dec 2017): \`tax-collected-${tag}\` £8,700,000, \`tax-due-${tag}\` — · not yet calculable: no value yet for tax-due-${tag}`);
    await slash(owner, `/kpi submit tax-due-${tag} 2017/18 Q3 10,000,000`);
    const r = await showIndicator(b.deps, await ind('tax-rate'));
    expect(said(r)).toContain(`**Calculated** as \`tax-collected-${tag} / tax-due-${tag} * 100\` · 2017/18 Q3 (Oct–Dec 2017): \`tax-collected-${tag}\` £8,700,000, \`tax-due-${tag}\` £10,000,000`);
    expect(said(r)).toContain('Latest: 87% · 2017/18 Q3');
    expect(buttons(r).map((x) => x.id)).not.toContain('open-submit');
    // An input's own picture still offers to submit.
    expect(buttons(await showIndicator(b.deps, await ind('tax-due'))).map((x) => x.id)).toContain('open-submit');
    expect(formOf(await submitForm(b.deps, b.as(owner), { indicatorId: (await ind('tax-due')).id })).id).toBe('submit');
  });

  it('says when a division by zero keeps it from being calculated, and saves nothing', async () => {
    const { owner, tag } = b.council;
    await slash(owner, `/kpi submit tax-collected-${tag} 2017/18 Q3 0`);
    await slash(owner, `/kpi submit tax-due-${tag} 2017/18 Q3 0`);
    expect(await b.repo.observationVersions((await ind('tax-rate')).id)).toEqual([]);
    expect(said(await showIndicator(b.deps, await ind('tax-rate')))).toContain(`not calculable: it would divide by zero (tax-due-${tag})`);
  });

  it('works it out for every period an import gives its inputs for, and again when a later import corrects one', async () => {
    const { tag } = b.council;
    const values = (collected: number) => [
      { slug: `tax-collected-${tag}`, observations: [{ periodKey: '2017/18 Q2', value: 4_500_000 }, { periodKey: '2017/18 Q3', value: collected }] },
      { slug: `tax-due-${tag}`, observations: [{ periodKey: '2017/18 Q2', value: 5_000_000 }, { periodKey: '2017/18 Q3', value: 10_000_000 }] },
    ];
    await b.load({ people: [], themes: [], indicators: [], values: values(8_700_000) });
    const rate = await ind('tax-rate');
    expect((await b.repo.history(rate.id)).observations.map((o) => [o.periodKey, o.value, o.version])).toEqual([['2017/18 Q2', 90, 1], ['2017/18 Q3', 87, 1]]);
    await b.load({ people: [], themes: [], indicators: [], values: values(8_800_000) });
    expect((await b.repo.history(rate.id)).observations.map((o) => [o.periodKey, o.value, o.version])).toEqual([['2017/18 Q2', 90, 1], ['2017/18 Q3', 88, 2]]);
  });

  it('the quarterly report gives a calculated indicator’s formula and its inputs’ values under it (Markdown and HTML)', async () => {
    const { owner, tag } = b.council;
    await slash(owner, `/kpi submit tax-collected-${tag} 2017/18 Q3 8,700,000`);
    await slash(owner, `/kpi submit tax-due-${tag} 2017/18 Q3 10,000,000`);
    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const line = `Calculated as tax-collected-${tag} / tax-due-${tag} * 100 from tax-collected-${tag} 8,700,000; tax-due-${tag} 10,000,000.`;
    expect(reportMarkdown(r)).toContain(`- **tax-rate-${tag}**: ${line.replace(/\*/g, '\\*')}`);
    expect(reportHtml(r, [])).toContain(`<div class="why note">${line}</div>`);
  });
});
