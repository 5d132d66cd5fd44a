// /kpi submit on the memory repository: inline and by form, what is saved and what a person is told.
import { describe, expect, it } from 'vitest';
import { useBot, buttons, formOf, messageOf, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { confirmCorrection, confirmPeriod, confirmUnusualValue, indicatorOptions, submitCommand, submitForm, submitFormValues } from '../../../commands/submit.ts';
import type { RegisterInput } from '../../../src/register/types.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';

describe('/kpi submit', () => {
  const b = useBot();
  const slash = (who: Parameters<TestBot['as']>[0], line: string) => runSlashCommand(b.deps, b.as(who), `/kpi submit ${line}`);
  const versions = (periodKey: string) => b.repo.observationVersions(b.council.absence.id, periodKey);

  it('saves the owner’s value, with its markers and note, and says its status against the target', async () => {
    const { absence, owner } = b.council;
    const r = await slash(owner, `${absence.slug} 2017/18 Q4 8.2 est payroll is late`);
    expect(r).toMatchObject({ kind: 'message', visibility: 'private' });
    expect(said(r)).toContain(`✅ Saved **8.2 days** (estimated) for **${absence.slug}**, **2017/18 Q4 (Jan–Mar 2018)**.`);
    expect(said(r)).toContain('Green');
    const [saved] = await versions('2017/18 Q4');
    expect(saved).toMatchObject({ version: 1, value: 8.2, estimated: true, provisional: false, note: 'payroll is late', source: 'slack', submittedById: owner.id, submittedByLabel: `slack:U${owner.id}`, submittedAt: b.clock.now() });
  });

  it('asks for an exception report when the value is red — due with the value, not while the quarter is still running', async () => {
    const { absence, deputy } = b.council;
    const r = await slash(deputy, `${absence.slug} 2017/18 Q4 10.8`);
    expect(said(r)).toContain('An **exception report** will be due for 2017/18 Q4 by 31 Mar 2018, with its value');
    expect(buttons(r)).toEqual([{ id: 'open-exception', label: 'Write exception report', value: JSON.stringify({ indicatorId: absence.id, periodKey: '2017/18 Q4' }), style: 'primary' }]);
  });

  it('tells someone who is not the owner, deputy or an admin who owns it, and saves nothing', async () => {
    const { absence, officer } = b.council;
    expect(said(await slash(officer, `${absence.slug} 2017/18 Q4 8.2`))).toContain(`only the owner (${b.council.owner.displayName}), their deputy or a performance admin can submit values for \`${absence.slug}\``);
    expect(said(await slash(null, `${absence.slug} 2017/18 Q4 8.2`))).toContain('You are not in the indicator register yet');
    expect(await versions('2017/18 Q4')).toEqual([]);
  });

  it('refuses a period that has not begun, or is not one of the indicator’s, in words that say why', async () => {
    const { absence, owner } = b.council;
    expect(said(await slash(owner, `${absence.slug} 2018/19 Q1 8`))).toContain('2018/19 Q1 has not started yet (today is 5 Feb 2018). Values can be given once a period has begun.');
    expect(said(await slash(owner, `${absence.slug} Sep 2017 8`))).toContain(`"Sep 2017" is a month (Sep 2017), but ${absence.slug} is reported quarterly`);
    expect(said(await slash(owner, `${absence.slug} 2017/18 Q4 lots`))).toMatch(/I understood indicator \*\*absence-c\d+x\*\*/);
    expect(said(await slash(owner, 'nothing-like-it 2017/18 Q4 8'))).toContain('I could not tell which indicator "nothing-like-it" is.');
    expect(await versions('2017/18 Q4')).toEqual([]);
  });

  it('asks before replacing a value, and the confirmation saves a new version', async () => {
    const { absence, owner } = b.council;
    const ask = await slash(owner, `${absence.slug} 2017/18 Q3 9.9`);
    expect(said(ask)).toContain(`2017/18 Q3 already has **10.49 days** for ${absence.slug} (version 1`);
    const [confirm, cancel] = buttons(ask);
    expect([confirm?.id, cancel?.id]).toEqual(['confirm-correction', 'cancel']);
    expect(await versions('2017/18 Q3')).toHaveLength(1);
    const done = await confirmCorrection(b.deps, b.as(owner), confirm!.value, null, 'button');
    expect(said(done)).toContain(`✅ Corrected **${absence.slug}** for **2017/18 Q3 (Oct–Dec 2017)**: 10.49 days → **9.9 days**. Version 2; earlier versions are kept.`);
    expect((await versions('2017/18 Q3')).map((o) => [o.version, o.value])).toEqual([
      [2, 9.9],
      [1, 10.49],
    ]);
    // The same button again: the value it named has been replaced.
    await expect(confirmCorrection(b.deps, b.as(owner), confirm!.value, null, 'button')).rejects.toThrow(/while you were typing \(now version 2\)/);
  });

  it('tells the same person sending the same value again that it is saved, without asking to correct it', async () => {
    const { absence, owner } = b.council;
    await slash(owner, `${absence.slug} 2017/18 Q4 8.2`);
    const again = await slash(owner, `${absence.slug} 2017/18 Q4 8.2`);
    expect(said(again)).toContain('✅ Saved **8.2 days**');
    expect(buttons(again).map((x) => x.id)).not.toContain('confirm-correction');
    expect(await versions('2017/18 Q4')).toHaveLength(1);
  });

  it('keeps a signed-off quarter for performance admins, with the reason', async () => {
    const { absence, owner, admin } = b.council;
    const q = periodFromKey('2017/18 Q3');
    await b.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: admin.id, actorLabel: 'test', at: b.clock.now() });
    expect(said(await slash(owner, `${absence.slug} 2017/18 Q3 9`))).toContain(
      `2017/18 Q3 was signed off on 5 Feb 2018 by ${admin.displayName}: its values are locked. Only a performance admin (${admin.displayName}) can give or change its value now, with the reason: \`/kpi submit ${absence.slug} 2017/18 Q3 <value> <reason>\``,
    );
    // A month of the quarter: the command to give it is written as people type the month, not by its key.
    const { visits, officer } = b.council;
    const month = said(await runSlashCommand(b.deps, b.as(officer), `/kpi submit ${visits.slug} Dec 2017 1090`));
    expect(month).toContain(`\`/kpi submit ${visits.slug} Dec 2017 <value> <reason>\``);
    expect(month).not.toContain('2017-12');
    // The form says so beside its period field.
    const form = await submitFormValues(b.deps, b.as(owner), { indicator: String(absence.id), period: '2017/18 Q3', value: '9' });
    expect(form.kind).toBe('form-errors');
    expect(said(form)).toContain('period: 2017/18 Q3 was signed off on 5 Feb 2018');
    expect(said(await slash(admin, `${absence.slug} 2017/18 Q3 9`))).toContain('2017/18 Q3 is signed off: add a note after the value — for a signed-off period it is the reason for the correction.');
    const ask = await slash(admin, `${absence.slug} 2017/18 Q3 9 payroll was re-run`);
    const done = await confirmCorrection(b.deps, b.as(admin), buttons(ask)[0]!.value, null, 'button');
    expect(said(done)).toContain('Corrected');
    expect((await versions('2017/18 Q3'))[0]).toMatchObject({ version: 2, value: 9, correctionReason: 'payroll was re-run' });
    expect(b.repo.auditLog().at(-1)).toMatchObject({ action: 'observation.correct-locked', actorId: admin.id });
  });

  it('asks about a value unlike the indicator’s history, and saves it, or the one it suggests, only when told', async () => {
    const { visits, officer } = b.council;
    const ask = await runSlashCommand(b.deps, b.as(officer), `/kpi submit ${visits.slug} Jan 2018 10900`);
    expect(said(ask)).toContain(`⚠️ **${visits.slug}**, Jan 2018: 10,900 is 10× anything ${visits.slug} has had (1,010–1,080). Did you mean 1,090? Save 10,900 anyway, or change it?`);
    const [anyway, instead, change] = buttons(ask);
    expect([anyway?.label, instead?.label, change?.id]).toEqual(['Save 10,900 anyway', 'Save 1,090 instead', 'open-submit']);
    expect(await b.repo.observationVersions(visits.id, '2018-01')).toEqual([]);
    expect(said(await confirmUnusualValue(b.deps, b.as(officer), instead!.value, 'button'))).toContain('✅ Saved **1,090**');
    expect((await b.repo.observationVersions(visits.id, '2018-01')).map((o) => o.value)).toEqual([1090]);
  });

  it('asks about a correction of 10.49 days to 104.9 although the indicator has only three values, and says nothing is saved', async () => {
    const { absence, owner } = b.council;
    const ask = await slash(owner, `${absence.slug} 2017/18 Q3 104.9 payroll rerun`);
    expect(said(ask)).toContain(`⚠️ **${absence.slug}**, 2017/18 Q3: 104.9 days is 10× the 10.49 days it replaces. Save 104.9 days anyway, or change it?`);
    expect(buttons(ask).map((x) => x.label)).toEqual(['Save 104.9 days anyway', 'Change it']);
    expect(await versions('2017/18 Q3')).toHaveLength(1);
    // Saved anyway: the correction is confirmed next, with the note as its reason.
    const confirm = await confirmUnusualValue(b.deps, b.as(owner), buttons(ask)[0]!.value, 'button');
    expect(said(confirm)).toContain('Your note is kept with the value and recorded as the reason for the correction: “payroll rerun”.');
    await confirmCorrection(b.deps, b.as(owner), buttons(confirm)[0]!.value, null, 'button');
    expect((await versions('2017/18 Q3'))[0]).toMatchObject({ value: 104.9, note: 'payroll rerun', correctionReason: 'payroll rerun' });
  });

  describe('the form', () => {
    it('opens on its own, and puts errors beside the fields', async () => {
      const { absence, owner } = b.council;
      expect(formOf(await slash(owner, '')).fields.map((f) => f.id)).toEqual(['indicator', 'period', 'value', 'flags', 'note']);
      const r = await submitFormValues(b.deps, b.as(owner), { indicator: String(absence.id), period: '2018/19 Q1', value: 'lots' });
      expect(r.kind).toBe('form-errors');
      expect(said(r)).toContain('period: 2018/19 Q1 has not started yet');
      expect(said(r)).toMatch(/value: /);
      expect(said(await submitFormValues(b.deps, b.as(owner), { indicator: '' }))).toBe('indicator: Choose an indicator.');
    });

    it('says beside the period which indicator reports how, by its name, with an example near today', async () => {
      const { absence, owner } = b.council;
      const r = await submitFormValues(b.deps, b.as(owner), { indicator: String(absence.id), period: 'Dec 2017', value: '8' });
      expect(said(r)).toBe(`period: "Dec 2017" is a month (Dec 2017), but ${absence.name} is reported quarterly: type a quarter such as 2017/18 Q3, Q2 or last quarter.`);
      const period = formOf(await submitForm(b.deps, b.as(owner), { indicatorId: absence.id })).fields.find((f) => f.id === 'period');
      expect(period).toMatchObject({ placeholder: 'e.g. 2017/18 Q3', hint: `${absence.slug} is reported quarterly. Filled in with the period due now, 2017/18 Q3 (Oct–Dec 2017); change it for another.` });
    });

    it('saves a value given in the form, and asks to confirm (with a reason) before a correction', async () => {
      const { absence, owner } = b.council;
      const done = await submitFormValues(b.deps, b.as(owner), { indicator: String(absence.id), period: '2017/18 Q4', value: '8.3', flags: ['provisional'], note: '' });
      expect(done.kind).toBe('form-done');
      expect(said(done)).toContain('✅ Saved **8.3 days** (provisional)');
      const update = await submitFormValues(b.deps, b.as(owner), { indicator: absence.slug, period: '2017/18 Q4', value: '8.4' });
      const form = formOf(update);
      expect(form.id).toBe('confirm-correction');
      const saved = await confirmCorrection(b.deps, b.as(owner), form.state, 'late invoices', 'form');
      expect(messageOf(saved).text).toContain('Corrected 8.4 days');
      expect((await versions('2017/18 Q4'))[0]).toMatchObject({ version: 2, correctionReason: 'late invoices' });
    });

    it('offers in the indicator picker only what the person may submit for', async () => {
      const { owner, officer, admin, tag } = b.council;
      const labels = async (who: typeof owner) => said(await indicatorOptions(b.deps, b.as(who), tag)).split('\n');
      expect(await labels(owner)).toEqual([expect.stringMatching(/^absence-/), expect.stringMatching(/^cleanliness-/)]);
      expect(await labels(officer)).toEqual([expect.stringMatching(/^visits-/)]);
      expect(await labels(admin)).toHaveLength(3);
    });
  });
});

/**
 * An indicator shaped like the demo's new-volunteers — quarterly, values due 30 days after a quarter
 * ends, only Q3 given (51 against 38) — and a count of events with no value and no target yet.
 */
const volunteers = (tag: string): Partial<RegisterInput> => ({
  indicators: [
    { slug: `events-${tag}`, name: `Be Responsible events held ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: 'events', polarity: 'higher', frequency: 'quarterly', decimals: 0 },
    {
      slug: `volunteers-${tag}`,
      name: `Number of new volunteers recruited through the Thrive portal ${tag}`,
      theme: `Theme ${tag}`,
      ownerEmail: `owner-${tag}@council.example`,
      unit: 'number',
      polarity: 'higher',
      frequency: 'quarterly',
      reportingLagDays: 30,
      decimals: 0,
      targets: [{ periodKey: '2017/18 Q3', value: 38 }],
      observations: [{ periodKey: '2017/18 Q3', value: 51 }],
    },
  ],
});

describe('/kpi submit on the demo’s date (15 Jan 2018): the period said back', () => {
  const b = useBot({ now: '2018-01-15T10:00:00Z', register: volunteers });
  const slash = (line: string) => runSlashCommand(b.deps, b.as(b.council.owner), `/kpi submit ${line}`);
  const slug = () => `volunteers-${b.council.tag}`;
  const values = async (periodKey: string) => {
    const ind = (await b.repo.indicatorBySlug(slug()))!;
    return (await b.repo.observationVersions(ind.id, periodKey)).map((o) => o.value);
  };

  it('asks before saving "Q4 12": this year’s Q4 has only begun; it offers last year’s, and saves for the one chosen', async () => {
    const ask = await slash(`${slug()} Q4 12`);
    expect(said(ask)).toContain(`📅 **${slug()}**: "Q4" reads as 2017/18 Q4 (Jan–Mar 2018), which has not ended yet; the periods being collected now are 2017/18 Q2 (Jul–Sep 2017) and 2017/18 Q3 (Oct–Dec 2017). Save **12** for **2017/18 Q4 (Jan–Mar 2018)**?`);
    expect(buttons(ask).map((x) => [x.id, x.label])).toEqual([
      ['confirm-period', 'Save for 2017/18 Q4'],
      ['confirm-period', 'Save for 2016/17 Q4'],
      ['change-period', 'Change period'],
    ]);
    expect([await values('2017/18 Q4'), await values('2016/17 Q4')]).toEqual([[], []]);
    const done = await confirmPeriod(b.deps, b.as(b.council.owner), buttons(ask)[1]!.value, 'button');
    expect(said(done)).toContain(`✅ Saved **12** for **${slug()}**, **2016/17 Q4 (Jan–Mar 2017)**.`);
    expect([await values('2017/18 Q4'), await values('2016/17 Q4')]).toEqual([[], [12]]);
  });

  it('asks before saving "12" with no period, when the period due (Q2) is earlier than Q3, which has a value', async () => {
    const ask = await slash(`${slug()} 12`);
    expect(said(ask)).toContain(`You gave no period, so I took 2017/18 Q2 (Jul–Sep 2017), the period due; but 2017/18 Q3, a later period, already has 51. Save **12** for **2017/18 Q2 (Jul–Sep 2017)**?`);
    expect(buttons(ask).map((x) => x.label)).toEqual(['Save for 2017/18 Q2', 'Change period']);
    expect(await values('2017/18 Q2')).toEqual([]);
    // Change period: the form, with the value typed and the period it was read as.
    const form = formOf(await submitCommand.actions!['change-period']!(b.deps, b.as(b.council.owner), buttons(ask)[1]!.value));
    expect(form.fields.filter((f) => f.initial !== undefined).map((f) => [f.id, f.initial])).toEqual([
      ['indicator', String((await b.repo.indicatorBySlug(slug()))!.id)],
      ['period', '2017/18 Q2'],
      ['value', '12'],
    ]);
    const done = await confirmPeriod(b.deps, b.as(b.council.owner), buttons(ask)[0]!.value, 'button');
    expect(said(done)).toContain(`✅ Saved **12** for **${slug()}**, **2017/18 Q2 (Jul–Sep 2017)**.`);
    expect(await values('2017/18 Q2')).toEqual([12]);
  });

  it('takes no period as the quarter collected from go-live on, never an earlier one: collecting from 2017/18 Q3, "12" corrects Q3 (51), asked first', async () => {
    await b.repo.updateOrg({ collectFrom: '2017/18 Q3', collectingSince: '2018-01-15' });
    const ask = await slash(`${slug()} 12`);
    expect(said(ask)).toContain(`2017/18 Q3 already has **51** for ${slug()}`);
    expect(said(ask)).not.toContain('2017/18 Q2');
    expect(buttons(ask).map((x) => x.id)).toEqual(['confirm-correction', 'cancel']);
    // The form is filled in with Q3, the period being collected.
    const ind = (await b.repo.indicatorBySlug(slug()))!;
    const form = formOf(await submitCommand.actions!['open-submit']!(b.deps, b.as(b.council.owner), JSON.stringify({ indicatorId: ind.id })));
    expect(form.fields.find((f) => f.id === 'period')?.initial).toBe('2017/18 Q3');
    // "Q2" typed without its year is said back: it is before the first period collected.
    expect(said(await slash(`${slug()} Q2 12`))).toContain('"Q2" reads as 2017/18 Q2 (Jul–Sep 2017); the period being collected now is 2017/18 Q3 (Oct–Dec 2017).');
    expect(await values('2017/18 Q2')).toEqual([]);
  });

  it('saves "Q3" without asking when Q3 is the period due, says the period in full, and says the value could not be checked', async () => {
    const events = `events-${b.council.tag}`;
    const r = await slash(`${events} Q3 161`);
    expect(said(r)).toContain(`✅ Saved **161 events** for **${events}**, **2017/18 Q3 (Oct–Dec 2017)**.`);
    expect(buttons(r).map((x) => x.id)).not.toContain('confirm-period');
    expect(said(r)).toContain(`Not checked for plausibility: ${events} has no earlier values, and no target, earlier version or similar indicators to compare it with.`);
    // A percentage with a target for the next quarter is checked against it, and nothing is said.
    const { cleanliness } = b.council;
    const checked = await slash(`${cleanliness.slug} Q3 84`);
    expect(said(checked)).toContain(`✅ Saved **84%** for **${cleanliness.slug}**, **2017/18 Q3 (Oct–Dec 2017)**.`);
    expect(said(checked)).not.toContain('Checked only');
  });

  it('asks in the form when its period is left blank, and saves for the period kept there', async () => {
    const ind = (await b.repo.indicatorBySlug(slug()))!;
    const update = await submitFormValues(b.deps, b.as(b.council.owner), { indicator: String(ind.id), period: '', value: '12' });
    const form = formOf(update);
    expect([form.id, form.fields.map((f) => [f.id, f.initial])]).toEqual(['confirm-period', [['period', '2017/18 Q2']]]);
    expect(said(update)).toContain('Save **12** for **2017/18 Q2 (Jul–Sep 2017)**?');
    const done = await confirmPeriod(b.deps, b.as(b.council.owner), form.state, 'form', 'Q2');
    expect(said(done)).toContain('**2017/18 Q2 (Jul–Sep 2017)**');
    expect(await values('2017/18 Q2')).toEqual([12]);
  });
});


/** Council tax collected as councils register it: a snapshot %, its profile rising through the year, last year's values starting again in April. */
const councilTax = (tag: string): Partial<RegisterInput> => ({
  indicators: [
    {
      slug: `council-tax-${tag}`,
      name: `Percentage of Council Tax collected ${tag}`,
      theme: `Theme ${tag}`,
      ownerEmail: `owner-${tag}@council.example`,
      unit: '%',
      polarity: 'higher',
      frequency: 'quarterly',
      aggregation: 'snapshot',
      decimals: 1,
      targets: [{ periodKey: '2017/18 Q1', value: 29.5 }, { periodKey: '2017/18 Q2', value: 56.8 }, { periodKey: '2017/18 Q3', value: 86.4 }, { periodKey: '2017/18', value: 97 }],
      observations: (
        [['2016/17 Q1', 29.2], ['2016/17 Q2', 56.6], ['2016/17 Q3', 86.1], ['2016/17 Q4', 96.9], ['2017/18 Q1', 29.1]] as const
      ).map(([periodKey, value]) => ({ periodKey, value })),
    },
  ],
});

describe('/kpi submit of a percentage collected to date that the register calls a snapshot', () => {
  const b = useBot({ now: '2018-01-15T10:00:00Z', register: councilTax });

  it('asks about 5.69 for 56.9% of council tax collected by Q2: within the spread of its history, but a tenth of its pace', async () => {
    const slug = `council-tax-${b.council.tag}`;
    const ask = await runSlashCommand(b.deps, b.as(b.council.owner), `/kpi submit ${slug} 2017/18 Q2 5.69`);
    expect(said(ask)).toContain('Did you mean 56.9%?');
    expect(buttons(ask).map((x) => x.label)).toContain('Save 56.9% instead');
    const ind = (await b.repo.indicatorBySlug(slug))!;
    expect(await b.repo.observationVersions(ind.id, '2017/18 Q2')).toEqual([]);
    // The figure meant is saved without a question.
    expect(said(await runSlashCommand(b.deps, b.as(b.council.owner), `/kpi submit ${slug} 2017/18 Q2 56.9`))).toContain('✅ Saved **56.9%**');
  });
});
