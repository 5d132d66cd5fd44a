// Comparator data shared with the bot in chat: a performance admin sends LG Inform's long CSV with
// "comparators" in the message; it is imported all or nothing as `kpi comparators import` does (a dry
// run writes nothing, problems listed with their rows and columns); anyone else is refused.
import { describe, expect, it } from 'vitest';
import { useBot, later, said } from '../../support/bot.ts';
import { fileShared } from '../../../commands/import.ts';
import { comparatorCsv, GM_AREAS, SICKNESS_Q3 } from '../../support/comparators.ts';
import type { IncomingFile } from '../../../src/ports.ts';

const incoming = (name: string, text: string): IncomingFile => {
  const bytes = new TextEncoder().encode(text);
  return { name, size: bytes.length, read: async () => bytes };
};

describe('comparator data shared in chat', () => {
  const b = useBot();
  const file = () => incoming('gm.csv', comparatorCsv(GM_AREAS.map(([area], i) => ({ area, period: '2017/18 Q3', indicator: b.council.absence.slug, value: SICKNESS_Q3[i]! })), { title: true }));

  it('imports it for a performance admin, a dry run first, then again as a no-op', async () => {
    const { admin, absence } = b.council;
    expect(said(await later(await fileShared(b.deps, b.as(admin), file(), 'comparators, dry run')))).toContain('Would import 10 comparator values for 1 indicator, 10 areas, 2017/18 Q3: 10 new, 0 changed, 0 unchanged.');
    expect(await b.repo.comparators.values()).toEqual([]);
    expect(said(await later(await fileShared(b.deps, b.as(admin), file(), 'LG Inform comparators')))).toContain('Imported 10 comparator values');
    expect((await b.repo.comparators.values({ indicatorIds: [absence.id] })).length).toBe(10);
    expect(said(await later(await fileShared(b.deps, b.as(admin), file(), 'comparators')))).toContain('0 new, 0 changed, 10 unchanged');
  });

  it('lists the problems with their rows and columns and writes nothing', async () => {
    const bad = incoming('gm.csv', comparatorCsv([{ area: 'E08000001', period: '2017/18 Q9', indicator: b.council.absence.slug, value: '9.1' }]));
    const text = said(await later(await fileShared(b.deps, b.as(b.council.admin), bad, 'benchmarks')));
    expect(text).toContain('Nothing was imported from gm.csv: 1 problem.');
    expect(text).toContain('gm.csv row 2, column C "Period"');
    expect(await b.repo.comparators.values()).toEqual([]);
  });

  it('refuses anyone but a performance admin', async () => {
    await expect(fileShared(b.deps, b.as(b.council.owner), file(), 'comparators')).rejects.toThrow(/only performance admins/i);
  });
});
