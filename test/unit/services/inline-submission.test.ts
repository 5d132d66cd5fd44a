// Reading the words after `/kpi submit <indicator>`, before anything is checked against the register.
import { describe, expect, it } from 'vitest';
import { inlineTokens, readInlineSubmission } from '../../../src/services/inline-submission.ts';

const absence = { slug: 'sickness-absence', unit: 'days', frequency: 'quarterly' } as const;
const when = { today: '2025-10-06', fyStartMonth: 4 };
const read = (line: string) => readInlineSubmission(inlineTokens(line), absence, when);

describe('an inline submission', () => {
  it('reads the period (one to four words), the value, the markers and the note', () => {
    expect(read('2025/26 Q2 8.4 est prov payroll is late')).toEqual({
      ok: true,
      value: { periodText: '2025/26 Q2', valueText: '8.4', estimated: true, provisional: true, note: 'payroll is late' },
    });
    expect(read('2025/26-Q2 8.4')).toMatchObject({ ok: true, value: { periodText: '2025/26 Q2', valueText: '8.4', note: null } });
    expect(read('last quarter 8.4 *')).toMatchObject({ ok: true, value: { periodText: 'last quarter', provisional: true, estimated: false } });
  });

  it('takes a value on its own as the value for the period due now', () => {
    expect(read('8.4 est')).toEqual({ ok: true, value: { periodText: '', valueText: '8.4', estimated: true, provisional: false, note: null } });
  });

  it('says what it understood, and why the period does not fit, naming the indicator', () => {
    const r = read('Sep 2025 8.4');
    expect(r).toEqual({
      ok: false,
      error:
        'I understood indicator **sickness-absence** (reported quarterly, unit days). "Sep 2025" is a month (Sep 2025), but sickness-absence is reported quarterly: type a quarter such as 2025/26 Q2, Q2 or last quarter.',
    });
  });

  it('says when the period reads but no value follows it', () => {
    const r = read('2025/26 Q2 lots');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^I understood indicator \*\*sickness-absence\*\* \(reported quarterly, unit days\)\. I read the period as 2025\/26 Q2 but could not find a value after it: \S/);
  });
});
