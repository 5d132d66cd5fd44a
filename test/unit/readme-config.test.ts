// docs/operating.md's Configuration table names every environment variable the bot reads, as .env.example
// does: a variable that exists only in the code is one an operator cannot find.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The variables named in the first cell of each row of docs/operating.md's "## Configuration" table. */
function readmeConfigVariables(): Set<string> {
  const doc = readFileSync(path.join(ROOT, 'docs/operating.md'), 'utf8');
  const start = doc.indexOf('\n## Configuration\n');
  if (start < 0) throw new Error('docs/operating.md has no "## Configuration"');
  const section = doc.slice(start, doc.indexOf('\n## ', start + 5));
  const names = new Set<string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const firstCell = line.split('|')[1]!;
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]*\*?)`/g)) names.add(m[1]!);
  }
  return names;
}

describe('the Configuration table (docs/operating.md)', () => {
  it('has a row for every variable the configuration reads (KPI_CRON_* for the jobs’ schedules)', () => {
    const table = readmeConfigVariables();
    expect(table.size).toBeGreaterThan(20);
    const missing = CONFIG_VARIABLES.filter((v) => !table.has(v) && !(v.startsWith('KPI_CRON_') && table.has('KPI_CRON_*')));
    expect(missing).toEqual([]);
  });

  it('names no variable the configuration does not read', () => {
    const known = new Set(CONFIG_VARIABLES);
    expect([...readmeConfigVariables()].filter((v) => v !== 'KPI_CRON_*' && !known.has(v))).toEqual([]);
  });

  it('agrees with .env.example', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    expect(CONFIG_VARIABLES.filter((v) => !new RegExp(`^# ${v}=`, 'm').test(example))).toEqual([]);
  });
});
