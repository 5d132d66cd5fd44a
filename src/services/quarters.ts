// Reading the quarter a person means for reports and sign-off: "2025/26 Q2", "Q2", "last quarter",
// or nothing (the last quarter that has ended).
import { describePeriodError, parsePeriod, periodContaining, previousPeriod, type ParseResult } from '../domain/periods.ts';
import type { LocalDate, Period } from '../domain/types.ts';

export function readQuarter(text: string, today: LocalDate, fyStartMonth: number): ParseResult<Period> {
  if (!text.trim()) return { ok: true, value: previousPeriod(periodContaining(today, 'quarter', fyStartMonth), fyStartMonth) };
  const p = parsePeriod(text, { frequency: 'quarterly', today, fyStartMonth });
  if (p.ok) return p;
  return { ok: false, error: describePeriodError(p.reason, { because: 'reports and sign-off are by quarter' }) };
}
