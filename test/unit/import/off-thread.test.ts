// The import thread (src/import/off-thread.ts): it reads a file as this thread would, a user error
// comes back as the same message, and a file that needs more memory than the thread is given is
// refused with a message while this process carries on.
import { describe, expect, it } from 'vitest';
import { parseOffThread } from '../../../src/import/off-thread.ts';
import { parseImportFile } from '../../../src/import/import.ts';
import { IMPORT_LIMITS } from '../../../src/import/limits.ts';
import { ValidationError } from '../../../src/errors.ts';
import { csv } from '../../support/workbooks.ts';

const empty = { people: [], indicators: [], themes: [] };
const register = csv([
  ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2017/18 Q3'],
  ['missed-bins', 'Missed bins', 'number', 'lower', 'Q', '47'],
]);

describe('the import thread', () => {
  it('reads a file as this thread does', async () => {
    const there = await parseOffThread({ name: 'r.csv', bytes: register, known: empty, opts: {} });
    expect(there).toEqual(await parseImportFile({ name: 'r.csv', bytes: register }, empty));
  });

  it('sends a refusal back as the same user error', async () => {
    const e = await parseOffThread({ name: 'r.csv', bytes: register, known: empty, opts: { limits: { ...IMPORT_LIMITS, rowsPerSheet: 1 } } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/^r\.csv has more than 1 rows; the most I import is 1 rows per sheet/);
  });

  it('refuses a file that needs more memory than the thread has, with a message, and this process goes on', async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [`ind-${i}`, '2017/18 Q3', String(i), 'a note long enough to take some room in memory']);
    const bytes = csv([['Indicator', 'Period', 'Actual', 'Note'], ...rows]);
    const e = await parseOffThread({ name: 'big.csv', bytes, known: empty, opts: {} }, 24).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/^big\.csv is too large to check within the 24 MB of memory an import may use\./);
    expect((await parseOffThread({ name: 'r.csv', bytes: register, known: empty, opts: {} })).rows.indicators).toBe(1);
  });
});
