// What a button value or a form's state carries through a platform and back: JSON we wrote, but
// which arrives from outside, so it is checked like any other input. Anything that does not parse
// is "out of date" to the person, never a crash.
import { z } from 'zod';
import { isPeriodKey } from '../src/domain/periods.ts';
import { LARGEST_RECORD_NUMBER, withoutControlCharacters } from '../src/domain/format.ts';
import { ValidationError } from '../src/errors.ts';

/** A canonical period key (`2017/18 Q3`, `2017-12`, …). */
export const periodKeySchema = z.string().refine(isPeriodKey, 'a period key such as 2017/18 Q3');

/** A row's id or version number: a larger one names no row (and the database would refuse to look it up). */
export const recordNumberSchema = z.number().int().positive().max(LARGEST_RECORD_NUMBER);

export const indicatorIdSchema = recordNumberSchema;

export function parseJson<T>(schema: z.ZodType<T>, raw: string): T {
  try {
    return schema.parse(JSON.parse(raw));
  } catch {
    throw new ValidationError('That button or form is out of date. Open it again from /kpi mine.');
  }
}

/** Text as it may be stored: PostgreSQL text cannot hold NUL characters, so they go at the edge. */
export const storable = (s: string): string => (s.includes('\u0000') ? s.replace(/\u0000/g, '') : s);

/** Text a person typed (a command, a form's field, a search), as it is read: NUL and control characters dropped. */
export const typedText = (s: string): string => withoutControlCharacters(s);

/** The same for every value of a submitted form. */
export function typedValues<T extends Record<string, string | string[] | undefined>>(values: T): T {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(values)) out[k] = Array.isArray(v) ? v.map(typedText) : v === undefined ? v : typedText(v);
  return out as T;
}
