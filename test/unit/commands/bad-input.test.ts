// Bad input in chat gets a message that says what is wrong — never "Sorry, something went wrong", and
// nothing saved: numbers beyond what the database keeps (typed, in the form, carried by a forged
// button), ids no row can have, periods outside the years kept or quarters beyond Q4, control
// characters and commands of absurd length. On the memory repository, through the dispatcher every
// platform calls.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';
import { LARGEST_STORED_NUMBER, parseValue, storedNumberError } from '../../../src/domain/format.ts';
import { isPeriodKey, parsePeriod, parsePeriodLabel } from '../../../src/domain/periods.ts';

const RANGE = 'a value must be between -99,999,999,999,999 and 99,999,999,999,999';
const SORRY = 'Sorry, something went wrong';

describe('numbers beyond what the database keeps (NUMERIC(20, 6): 14 digits before the point)', () => {
  it('are refused by the one shared check, with the range', () => {
    expect(storedNumberError(LARGEST_STORED_NUMBER)).toBeNull();
    expect(storedNumberError(-LARGEST_STORED_NUMBER)).toBeNull();
    expect(storedNumberError(0.000001)).toBeNull();
    expect(storedNumberError(1e14)).toBe(RANGE);
    expect(storedNumberError(-1e15)).toBe(RANGE);
    expect(storedNumberError(Number.NaN)).toBe(RANGE);
    expect(storedNumberError(Infinity, 'a target')).toBe('a target must be between -99,999,999,999,999 and 99,999,999,999,999');
    expect(parseValue('99,999,999,999,999', 'number')).toEqual({ ok: true, value: LARGEST_STORED_NUMBER });
    expect(parseValue('1000000000000000', 'days')).toEqual({ ok: false, error: `"1000000000000000" is too large a number to keep: ${RANGE}.` });
    expect(parseValue('-£100,000,000,000,000', '£')).toEqual({ ok: false, error: `"-£100,000,000,000,000" is too large a number to keep: ${RANGE}.` });
  });
});

describe('bad input in chat', () => {
  const b = useBot();
  const d = () => createDispatcher(b.deps);

  it('refuses a value beyond the range typed, in the form, or in a forged confirmation, saving nothing', async () => {
    const { owner, absence } = b.council;
    const before = (await b.repo.history(absence.id)).observations.length;
    expect(said(await d().slash(b.as(owner), `/kpi submit ${absence.slug} 2017/18 Q4 1000000000000000`))).toContain(RANGE);
    expect(await d().submitForm(b.as(owner), 'submit', '{}', { indicator: String(absence.id), period: '2017/18 Q4', value: '100000000000000' })).toEqual({
      kind: 'form-errors',
      errors: { value: `"100000000000000" is too large a number to keep: ${RANGE}.` },
    });
    const forged = JSON.stringify({ indicatorId: absence.id, periodKey: '2017/18 Q3', value: 1e15, estimated: false, provisional: false, note: 'payroll', replacesVersion: 1 });
    for (const action of ['confirm-correction', 'confirm-value', 'confirm-period', 'change-period']) {
      const r = said(await d().action(b.as(owner), action, forged));
      expect(r, action).toContain(`1,000,000,000,000,000 is too large a number to keep: ${RANGE}.`);
      expect(r, action).not.toContain(SORRY);
    }
    expect(said(await d().submitForm(b.as(owner), 'confirm-correction', forged, { reason: 'payroll rerun' }))).toContain(RANGE);
    expect((await b.repo.history(absence.id)).observations).toHaveLength(before);
  });

  it('refuses a tolerance beyond the range', async () => {
    expect(said(await d().slash(b.as(b.council.admin), '/kpi settings tolerance 100000000000000 units'))).toContain(
      'Default tolerance (amber): a tolerance in units must be between -99,999,999,999,999 and 99,999,999,999,999 — got "100000000000000 units".',
    );
    expect((await b.repo.org()).tolerance).toEqual({ kind: 'relative', value: 10 });
  });

  it('takes an id or version beyond 32 bits, from a button or a form, as out of date', async () => {
    const { owner, admin, absence } = b.council;
    const stale = 'That button or form is out of date. Open it again from /kpi mine.';
    for (const [who, action, value] of [
      [owner, 'open-submit', { indicatorId: 1e15 }],
      [owner, 'open-exception', { indicatorId: 2 ** 31, periodKey: '2017/18 Q3' }],
      [owner, 'snooze', { indicatorId: 1e15, days: 7 }],
      [admin, 'approve-exception', { exceptionReportId: 1e15 }],
      [admin, 'approve-exception', { exceptionReportId: 1, version: 1e15 }],
      [admin, 'return-exception', { exceptionReportId: 1e15 }],
    ] as const) {
      expect(said(await d().action(b.as(who), action, JSON.stringify(value))), `${action} ${JSON.stringify(value)}`).toContain(stale);
    }
    const forged = JSON.stringify({ indicatorId: absence.id, periodKey: '2017/18 Q3', value: 8, estimated: false, provisional: false, note: 'x', replacesVersion: 1e15 });
    expect(said(await d().action(b.as(owner), 'confirm-correction', forged))).toContain('That confirmation has expired or was changed.');
    expect(await d().submitForm(b.as(owner), 'submit', '{}', { indicator: '1000000000000000', period: '2017/18 Q4', value: '8' })).toEqual({ kind: 'form-errors', errors: { indicator: 'No single indicator matches "1000000000000000".' } });
  });

  it('refuses periods outside 1900–2999 and quarters beyond Q4, wherever a period is typed', async () => {
    const { owner, admin, absence } = b.council;
    const outside = (p: string) => `"${p}" is not a period I can keep: periods run from 1900 to 2999.`;
    expect(said(await d().slash(b.as(owner), `/kpi submit ${absence.slug} 0000/01 Q3 8`))).toContain(outside('0000/01 Q3'));
    expect(said(await d().slash(b.as(owner), `/kpi history ${absence.slug} 0000/01 Q3`))).toContain(outside('0000/01 Q3'));
    expect(said(await d().slash(b.as(admin), '/kpi close-quarter 0000/01 Q1'))).toContain(outside('0000/01 Q1'));
    expect(said(await d().slash(b.as(admin), '/kpi report 9999/00 Q4'))).toContain(outside('9999/00 Q4'));
    expect(said(await d().slash(b.as(owner), `/kpi submit ${absence.slug} 2017/18 Q5 8`))).toContain('"2017/18 Q5": a financial year has quarters Q1–Q4 only.');
    // Not "2017/18 marked not collected, because: Q5 …".
    const nc = said(await d().slash(b.as(admin), `/kpi not-collected ${absence.slug} 2017/18 Q5 survey not run`));
    expect(nc).toContain('"2017/18 Q5": a financial year has quarters Q1–Q4 only.');
    expect(said(await d().slash(b.as(admin), `/kpi not-collected ${absence.slug} 0000/01 Q3 survey not run`))).toContain(outside('0000/01 Q3'));
    expect(await b.repo.notCollected()).toEqual([]);
    // A forged button with such a key is out of date.
    expect(said(await d().action(b.as(admin), 'confirm-close-quarter', '9999/00 Q4'))).toContain('That button is out of date. Run /kpi close-quarter again.');
    expect(isPeriodKey('9999/00 Q4')).toBe(false);
    expect(parsePeriod('0001-01', { frequency: 'monthly', today: '2018-02-05' })).toMatchObject({ ok: false, reason: { code: 'year-out-of-range' } });
    expect(parsePeriodLabel('3000')).toMatchObject({ ok: false, reason: { code: 'year-out-of-range' } });
  });

  it('drops control characters from what is typed, and refuses a command of absurd length', async () => {
    const { owner, absence } = b.council;
    const shown = said(await d().slash(b.as(owner), `/kpi show ${absence.slug}\u0007\u001b[31m`));
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(shown).not.toContain(SORRY);
    expect(said(await d().slash(b.as(owner), `/kpi show ${absence.slug}\u0000`))).toContain(absence.name);
    const long = said(await d().slash(b.as(owner), `/kpi show ${'a'.repeat(100_000)}`));
    expect(long).toContain('That command is 100,005 characters long; I read commands of up to 4,000 (a note can have 2,000). Nothing was changed.');
    expect(said(await d().slash(b.as(owner), `/kpi submit ${absence.slug} 2017/18 Q4 8.2 ${'x'.repeat(2100)}`))).toContain('keep it under 2,000');
  });
});
