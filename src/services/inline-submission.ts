// Reading the words after `/kpi submit <indicator>`: "2025/26 Q2 8.4 est payroll is late" → the
// period text, the value, the markers and the note. Pure: no repository, no clock (today is given).
import { parseValue } from '../domain/format.ts';
import { describePeriodError, formatPeriod, FREQUENCY_WORDS, parsePeriod } from '../domain/periods.ts';
import type { Frequency, LocalDate } from '../domain/types.ts';
import { literal } from '../messages/build.ts';

/** What a person typed for one value, before it is checked. */
export interface RawSubmission {
  periodText: string;
  valueText: string;
  estimated: boolean;
  provisional: boolean;
  note: string | null;
}

const FLAG_WORDS: Record<string, 'estimated' | 'provisional'> = {
  est: 'estimated',
  'est.': 'estimated',
  '(est)': 'estimated',
  estimate: 'estimated',
  estimated: 'estimated',
  prov: 'provisional',
  '(prov)': 'provisional',
  provisional: 'provisional',
  '*': 'provisional',
};

/** The words of an inline submission; "2025/26-Q2", as written in some registers, is read as "2025/26 Q2". */
export function inlineTokens(args: string): string[] {
  return args
    .replace(/(\d{2,4}\/\d{2})-(q[1-4])\b/gi, '$1 $2')
    .split(/\s+/)
    .filter(Boolean);
}

/** Split "2025/26 Q2 8.4 est note…" into period text, value, flags and note, trying 1–4 words for the period. */
export function splitInline(tokens: string[], parseOk: (periodText: string) => boolean, unit: string): RawSubmission | null {
  for (let k = Math.min(4, tokens.length - 1); k >= 1; k--) {
    const periodText = tokens.slice(0, k).join(' ');
    const valueText = tokens[k]!;
    if (!parseOk(periodText) || !parseValue(valueText, unit).ok) continue;
    let i = k + 1;
    const flags = new Set<string>();
    while (i < tokens.length && FLAG_WORDS[tokens[i]!.toLowerCase()]) flags.add(FLAG_WORDS[tokens[i++]!.toLowerCase()]!);
    const note = tokens.slice(i).join(' ').trim() || null;
    return { periodText, valueText, estimated: flags.has('estimated'), provisional: flags.has('provisional'), note };
  }
  return null;
}

interface InlineIndicator {
  slug: string;
  unit: string;
  frequency: Frequency;
}

/**
 * The words after the indicator, read for that indicator: a period and a value (or only a value:
 * the period due now, `periodText` empty), or what was understood and what was not, in words.
 */
export function readInlineSubmission(
  words: string[],
  ind: InlineIndicator,
  when: { today: LocalDate; fyStartMonth: number },
): { ok: true; value: RawSubmission } | { ok: false; error: string } {
  const options = { frequency: ind.frequency, today: when.today, fyStartMonth: when.fyStartMonth };
  const parts =
    splitInline(words, (t) => parsePeriod(t, options).ok, ind.unit) ??
    // No period given: "/kpi submit sickness-absence 8.4" means the period due now.
    (words.length && parseValue(words[0]!, ind.unit).ok ? { ...splitInline(['x', ...words], () => true, ind.unit)!, periodText: '' } : null);
  if (parts) return { ok: true, value: parts };
  const understood = `I understood indicator **${ind.slug}** (reported ${FREQUENCY_WORDS[ind.frequency]}, unit ${literal(ind.unit)}).`;
  const periodTry = parsePeriod(words.slice(0, Math.max(1, words.length - 1)).join(' '), options);
  let problem: string;
  if (periodTry.ok) {
    const last = parseValue(words[words.length - 1] ?? '', ind.unit);
    problem = `I read the period as ${formatPeriod(periodTry.value)} but could not find a value after it: ${last.ok ? '' : last.error}`;
  } else problem = describePeriodError(periodTry.reason, { indicator: ind.slug });
  return { ok: false, error: `${understood} ${problem}`.trim() };
}
