// Working days as a council keeps them: weekends, the bank holidays of its nation (England and Wales,
// Scotland, Northern Ireland — from the date-holidays library, which follows the UK government's
// lists, substitute days and one-off holidays such as a coronation included). Builds the DaysOff
// calendar the pure domain (src/domain/dates.ts) is given.
import Holidays from 'date-holidays';
import type { DaysOff } from '../domain/dates.ts';
import type { LocalDate } from '../domain/types.ts';
import type { BankHolidays, OrgSettings } from '../ports.ts';

/** Each nation's bank holidays: its words, and the library's region of Great Britain (none: weekends only). */
export const BANK_HOLIDAYS: Record<BankHolidays, { label: string; words: string[]; state: string | null }> = {
  'england-and-wales': { label: 'England and Wales', words: ['england and wales', 'england', 'wales', 'eng', 'ew'], state: 'ENG' },
  scotland: { label: 'Scotland', words: ['scotland', 'sco', 'sct'], state: 'SCT' },
  'northern-ireland': { label: 'Northern Ireland', words: ['northern ireland', 'ni', 'nir'], state: 'NIR' },
  none: { label: 'none (weekends only)', words: ['none', 'no', 'weekends only', 'weekends'], state: null },
};

/** The nation a person typed ("Scotland", "NI", "england-and-wales"), or null. */
export function readBankHolidays(text: string): BankHolidays | null {
  const t = text.trim().toLowerCase().replace(/[-_&]+/g, ' ').replace(/\band\b/g, 'and').replace(/\s+/g, ' ');
  for (const [key, def] of Object.entries(BANK_HOLIDAYS) as [BankHolidays, (typeof BANK_HOLIDAYS)[BankHolidays]][]) {
    if (key.replace(/-/g, ' ') === t || def.words.includes(t)) return key;
  }
  return null;
}

const calendars = new Map<string, Map<number, Map<LocalDate, string>>>();

/** The bank holidays of one year in a nation, by date (public holidays only: not Mother's Day and the like). */
function holidaysOf(state: string, year: number): Map<LocalDate, string> {
  let years = calendars.get(state);
  if (!years) calendars.set(state, (years = new Map()));
  let days = years.get(year);
  if (!days) {
    const hd = new Holidays('GB', state, { types: ['public', 'bank'] });
    days = new Map();
    for (const h of hd.getHolidays(year) || []) if (h.type === 'public' || h.type === 'bank') days.set(h.date.slice(0, 10), h.name);
    years.set(year, days);
  }
  return days;
}

/** The bank holidays of a nation as days off: the holiday's name, or null. */
export function bankHolidays(nation: BankHolidays = 'england-and-wales'): DaysOff {
  const state = BANK_HOLIDAYS[nation].state;
  if (!state) return () => null;
  return (d) => holidaysOf(state, Number(d.slice(0, 4))).get(d) ?? null;
}

/** The organisation's days off (its nation's bank holidays; England and Wales unless it says). */
export function organisationDaysOff(org: Pick<OrgSettings, 'bankHolidays'>): DaysOff {
  return bankHolidays(org.bankHolidays ?? 'england-and-wales');
}
