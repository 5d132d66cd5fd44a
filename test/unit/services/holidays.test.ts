// Working days without bank holidays: each UK nation's, from the date-holidays library; the domain's
// working-day arithmetic takes the calendar it is given.
import { describe, expect, it } from 'vitest';
import { bankHolidays, readBankHolidays } from '../../../src/services/holidays.ts';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../../src/domain/dates.ts';

describe('bank holidays', () => {
  const ew = bankHolidays('england-and-wales');
  const scotland = bankHolidays('scotland');
  const ni = bankHolidays('northern-ireland');

  it('knows each nation’s: Christmas and Boxing Day (and their substitutes), Easter Monday, 2 January in Scotland, St Patrick’s Day in Northern Ireland', () => {
    expect([ew('2017-12-25'), ew('2017-12-26'), ew('2020-12-28'), ew('2018-04-02'), ew('2018-01-02')]).toEqual(['Christmas Day', 'Boxing Day', 'Boxing Day (substitute day)', 'Easter Monday', null]);
    expect([scotland('2018-01-02'), scotland('2018-04-02'), scotland('2018-11-30')]).toEqual(['January 2nd', null, 'St Andrew’s Day']);
    expect([ni('2018-03-19'), ni('2018-07-12'), ew('2018-07-12')]).toEqual(['St Patrick’s Day (substitute day)', 'Battle of the Boyne (Orangemen’s Day)', null]);
    expect(bankHolidays('none')('2017-12-25')).toBeNull();
    // Observances are not holidays.
    expect(ew('2018-03-11')).toBeNull();
  });

  it('are skipped when counting working days', () => {
    // Friday 22 December 2017 + 1 working day: not Christmas Day or Boxing Day, but Wednesday 27th.
    expect(addWorkingDays('2017-12-22', 1, ew)).toBe('2017-12-27');
    expect(addWorkingDays('2017-12-22', 1)).toBe('2017-12-25');
    // Thursday 29 March 2018 + 1: Good Friday and Easter Monday skipped in England; only Good Friday in Scotland.
    expect(addWorkingDays('2018-03-29', 1, ew)).toBe('2018-04-03');
    expect(addWorkingDays('2018-03-29', 1, scotland)).toBe('2018-04-02');
    // From Friday 29 December 2017 to Friday 5 January 2018: 4 working days in England, 3 in Scotland.
    expect(workingDaysBetween('2017-12-29', '2018-01-05', ew)).toBe(4);
    expect(workingDaysBetween('2017-12-29', '2018-01-05', scotland)).toBe(3);
    expect(isWorkingDay('2018-01-02', ew)).toBe(true);
    expect(isWorkingDay('2018-01-02', scotland)).toBe(false);
  });

  it('reads a nation as people write it', () => {
    expect(['England and Wales', 'england', 'Wales', 'Scotland', 'NI', 'northern-ireland', 'none', 'France'].map(readBankHolidays)).toEqual([
      'england-and-wales', 'england-and-wales', 'england-and-wales', 'scotland', 'northern-ireland', 'northern-ireland', 'none', null,
    ]);
  });
});
