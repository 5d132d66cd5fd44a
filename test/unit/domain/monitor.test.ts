import { describe, expect, it } from 'vitest';
import { classifyChange, isAbsent, nextReminder, reminderDay, transitionKey, type StatusPoint } from '../../../src/domain/monitor.ts';

const p = (periodKey: string, status: StatusPoint['status'], direction: StatusPoint['direction'] = null): StatusPoint => ({ periodKey, status, direction });
const rules = { alertOnDeclining: true };

describe('classifyChange', () => {
  it('says nothing when nothing moved', () => {
    expect(classifyChange(p('2017/18 Q3', 'red', 'declining'), p('2017/18 Q3', 'red', 'declining'), rules)).toBeNull();
  });
  it('calls a move into red, or a red new period, turned-red', () => {
    expect(classifyChange(p('2017/18 Q3', 'amber'), p('2017/18 Q3', 'red'), rules)).toBe('turned-red');
    expect(classifyChange(p('2017/18 Q2', 'red'), p('2017/18 Q3', 'red'), rules)).toBe('turned-red');
    expect(classifyChange(null, p('2017/18 Q3', 'red'), rules)).toBe('turned-red');
  });
  it('calls leaving red a recovery', () => {
    expect(classifyChange(p('2017/18 Q3', 'red'), p('2017/18 Q3', 'green'), rules)).toBe('recovered');
    expect(classifyChange(p('2017/18 Q2', 'red'), p('2017/18 Q3', 'amber', 'improving'), rules)).toBe('recovered');
  });
  it('alerts on a newly declining red or amber, unless the organisation switched that off', () => {
    expect(classifyChange(p('2017/18 Q2', 'amber', 'improving'), p('2017/18 Q3', 'amber', 'declining'), rules)).toBe('declining');
    expect(classifyChange(p('2017/18 Q3', 'red', 'maintained'), p('2017/18 Q3', 'red', 'declining'), rules)).toBe('declining');
    expect(classifyChange(p('2017/18 Q2', 'amber', 'improving'), p('2017/18 Q3', 'amber', 'declining'), { alertOnDeclining: false })).toBe('changed');
    expect(classifyChange(p('2017/18 Q2', 'green'), p('2017/18 Q3', 'green', 'declining'), rules)).toBe('changed');
  });
  it('calls a material move of the value or the target, with the status unchanged, a change (so a living post is edited)', () => {
    const was: StatusPoint = { ...p('2017/18 Q3', 'red'), value: 50, target: 60, forecastMiss: null };
    expect(classifyChange(was, { ...was, value: 45 }, { ...rules, decimals: 1 })).toBe('changed');
    expect(classifyChange(was, { ...was, target: 55 }, { ...rules, decimals: 1 })).toBe('changed');
    // Not material: the same at the printed precision.
    expect(classifyChange(was, { ...was, value: 50.01 }, { ...rules, decimals: 1 })).toBeNull();
  });
  it('calls a green or amber indicator newly forecast to miss its year-end target forecast-miss', () => {
    const was: StatusPoint = { ...p('2017/18 Q2', 'green', 'improving'), value: 90, target: 85, forecastMiss: false };
    expect(classifyChange(was, { ...was, periodKey: '2017/18 Q3', value: 86, forecastMiss: true }, rules)).toBe('forecast-miss');
    expect(classifyChange({ ...was, status: 'amber' }, { ...was, status: 'amber', forecastMiss: true }, rules)).toBe('forecast-miss');
    // Back on course: said where a post exists.
    expect(classifyChange({ ...was, forecastMiss: true }, { ...was, forecastMiss: false }, rules)).toBe('changed');
  });
  it('records figures an older record did not keep without calling it news', () => {
    const old: StatusPoint = { ...p('2017/18 Q3', 'green'), value: 90 };
    expect(classifyChange(old, { ...old, target: 85, forecastMiss: true }, rules)).toBe('quiet');
  });
  it('keys a transition by the record it follows, so red → amber → red is three rows but a retry is one', () => {
    const a = transitionKey(1, p('2017/18 Q3', 'red'));
    expect(transitionKey(1, p('2017/18 Q3', 'red'))).toBe(a);
    expect(transitionKey(3, p('2017/18 Q3', 'red'))).not.toBe(a);
    expect(transitionKey(1, { ...p('2017/18 Q3', 'red'), value: 45 }, 1)).not.toBe(transitionKey(1, { ...p('2017/18 Q3', 'red'), value: 50 }, 1));
  });
});

describe('reminders', () => {
  const chase = { cadence: [0, 3, 7], escalateAfter: 3 };
  it('falls on the due date, then +3 and +7 working days, then weekly', () => {
    // Due Tuesday 30 Jan 2018.
    expect(reminderDay('2018-01-30', 0, chase)).toBe('2018-01-30');
    expect(reminderDay('2018-01-30', 1, chase)).toBe('2018-02-02');
    expect(reminderDay('2018-01-30', 2, chase)).toBe('2018-02-08');
    expect(reminderDay('2018-01-30', 3, chase)).toBe('2018-02-15');
    // Due on a Saturday: counts from the Monday.
    expect(reminderDay('2018-02-03', 0, chase)).toBe('2018-02-05');
  });
  it('is not due before its day, nor sooner than its gap after the last one sent', () => {
    expect(nextReminder('2018-01-30', 0, '2018-01-29', chase).due).toBe(false);
    expect(nextReminder('2018-01-30', 0, '2018-01-30', chase).due).toBe(true);
    // Started late: reminder 2 waits three working days after reminder 1, not one.
    expect(nextReminder('2018-01-30', 1, '2018-02-06', chase, '2018-02-05').due).toBe(false);
    expect(nextReminder('2018-01-30', 1, '2018-02-08', chase, '2018-02-05').due).toBe(true);
  });
  it('escalates to the deputy, then the director', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => nextReminder('2018-01-01', n, '2019-01-01', chase).level)).toEqual([0, 0, 0, 1, 2, 2]);
    expect([0, 1, 2].map((n) => nextReminder('2018-01-01', n, '2019-01-01', { cadence: [0], escalateAfter: 1 }).level)).toEqual([0, 1, 2]);
  });
  it('knows who is away', () => {
    expect(isAbsent({ absentUntil: '2018-02-09' }, '2018-02-05')).toBe(true);
    expect(isAbsent({ absentUntil: '2018-02-04' }, '2018-02-05')).toBe(false);
    expect(isAbsent({ absentUntil: null }, '2018-02-05')).toBe(false);
  });
});
