// The published columns of a fixture file — the status and arrow the council's report printed — read
// only by the tests that compare the engine with the report. The engine and `kpi evaluate` never
// read them (src/import/fixture-format.ts has no such columns).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const publishedSchema = z.object({
  status: z.string().nullable().optional(),
  statusDeduced: z.string().optional(),
  direction: z.string().nullable().optional(),
});

const fileSchema = z.object({ indicators: z.array(z.object({ published: publishedSchema.optional() })) });

export type Published = z.output<typeof publishedSchema>;

/** The published columns of each indicator of a fixture file, in file order (undefined where none). */
export function readPublished(file: string): (Published | undefined)[] {
  return fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).indicators.map((i) => i.published);
}

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures');
