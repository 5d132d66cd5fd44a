// /kpi import on the memory repository: a performance admin loads a register file from the form or
// by sharing it; nothing is written unless all of it is valid, and every problem of a file comes
// back in one answer. Council-shaped workbooks (title rows, "M" cells, years of gaps) import as kept.
import { describe, expect, it } from 'vitest';
import { useBot, formOf, later, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { fileShared, submitImportForm } from '../../../commands/import.ts';
import { councilWorkbook, csv, xlsx } from '../../support/workbooks.ts';
import type { IncomingFile } from '../../../src/ports.ts';

const incoming = (name: string, bytes: Uint8Array): IncomingFile => ({ name, size: bytes.length, read: async () => bytes });

describe('/kpi import', () => {
  const b = useBot();
  const register = (value: string) =>
    incoming('register.csv', csv([
      ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Owner', 'Actual 2017/18 Q3'],
      ['council-tax', 'Council tax collected', '%', 'higher', 'Q', b.council.owner.email, value],
    ]));

  it('opens the form for a performance admin only', async () => {
    expect(formOf(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi import')).fields.map((f) => f.id)).toEqual(['file', 'options', 'reason']);
    expect(said(await runSlashCommand(b.deps, b.as(b.council.owner), '/kpi import'))).toContain('Sorry, only performance admins can import.');
  });

  it('imports the file from the form, then says nothing changed the second time', async () => {
    const { admin, owner } = b.council;
    const r = await submitImportForm(b.deps, b.as(admin), {}, { file: [register('81.5%')] });
    expect(said(r)).toContain('Checking **register.csv**');
    expect(said(await later(r))).toMatch(/Indicators: 1 created/);
    const ind = await b.repo.indicatorBySlug('council-tax');
    expect(ind).toMatchObject({ ownerId: owner.id, unit: '%', frequency: 'quarterly' });
    expect((await b.repo.history(ind!.id)).observations.map((o) => [o.periodKey, o.value, o.source])).toEqual([['2017/18 Q3', 81.5, 'import:register.csv']]);
    expect(said(await later(await submitImportForm(b.deps, b.as(admin), {}, { file: [register('81.5%')] })))).toContain('nothing changed');
  });

  it('checks a shared file with "dry run" and writes nothing; a file that is not a register is refused', async () => {
    const { admin } = b.council;
    const dry = said(await later(await fileShared(b.deps, b.as(admin), register('81.5%'), 'dry run please')));
    expect(dry).toContain('Dry run');
    expect(await b.repo.indicatorBySlug('council-tax')).toBeNull();
    await expect(fileShared(b.deps, b.as(admin), incoming('photo.png', new Uint8Array([1])), '')).rejects.toThrow('I import registers from .csv, .xlsx or .json files; photo.png is none of those.');
    expect(await submitImportForm(b.deps, b.as(admin), {}, {})).toEqual({ kind: 'form-errors', errors: { file: 'Choose the file to import.' } });
  });

  it('lists the problems of a bad file and writes none of it', async () => {
    const done = said(await later(await submitImportForm(b.deps, b.as(b.council.admin), {}, { file: [register('lots')] })));
    expect(done).toContain('**Problems (1)**');
    expect(done).toContain('column Actual 2017/18 Q3: expected a number');
    expect(await b.repo.indicatorBySlug('council-tax')).toBeNull();
  });

  it('imports a council\'s own workbook shared in chat: title rows, merged cells, M and N/A cells, years of gaps, notes below', async () => {
    const { admin, owner } = b.council;
    const w = councilWorkbook('wb', owner.email!);
    const done = said(await later(await fileShared(b.deps, b.as(admin), incoming('anytown.xlsx', await xlsx(w.sheets, w.merges)), '')));
    expect(done).toContain('Imported');
    expect(done).toContain('Indicators: 6 created');
    expect(done).not.toContain('Problems');
    expect(done).toContain('Indicators: headings found on row 4; rows 1–3 read as a title.');
    expect(done).toContain('Indicators: "M" read as no value (in measurement) for wb-sickness 2017/18 Q3 (row 6).');
    expect(done).toContain('Indicators: "Refer comment", "See comment" read as no value (see the comment) for wb-cleanliness 2017/18 Q2 (row 7), wb-smoking 2017/18 Q3 (row 10).');
    const sickness = (await b.repo.indicatorBySlug('wb-sickness'))!;
    expect((await b.repo.history(sickness.id)).observations.map((o) => [o.periodKey, o.value])).toEqual([['2013/14 Q3', 10.49], ['2014/15 Q3', 9.9], ['2017/18 Q2', 8.9]]);
  });

  it('lists a broken row, a value for a period not begun and a change to a signed-off quarter in one round, each message once', async () => {
    const { admin, owner, absence } = b.council;
    await b.repo.closePeriod({ periodKey: '2017/18 Q1', periodStart: '2017-04-01', periodEnd: '2017-06-30', closedById: admin.id, actorLabel: 'test', at: b.clock.now() });
    const w = councilWorkbook('wb', owner.email!);
    w.sheets.Indicators[5]![10] = '8,4l'; // wb-sickness, Actual 2017/18 Q2
    w.sheets.Values.push([w.slugs[0]!, '2018/19 Q1', '30%', null], [absence.slug, '2017/18 Q1', 8.4, 'recount']);
    const done = said(await later(await submitImportForm(b.deps, b.as(admin), {}, { file: [incoming('anytown.xlsx', await xlsx(w.sheets, w.merges))] })));
    expect(done).toContain('Nothing was written from anytown.xlsx (XLSX: 6 indicator rows, 7 value rows): 3 problems to fix. 1 value would change signed-off periods.');
    expect(done).toContain('**Problems (3)**');
    expect(done).toContain('• Indicators row 6, column Actual 2017/18 Q2: expected a number such as 8.4 or 83.8%, with a point for decimals (8.4, not 8,4) and commas only between thousands (1,234.5) — got "8,4l"');
    expect(done).toContain('• Values row 9, column Actual: wb-tax-collected: 2018/19 Q1');
    expect(done).toContain('has not started yet (today is 5 Feb 2018). Values can be given once a period has begun. — got "30"');
    expect(done).toContain(`• Values row 10, column Actual: ${absence.slug} 2017/18 Q1: the value differs from the one signed off in 2017/18 Q1`);
    expect(done).not.toMatch(/— got "[^"]*" — got/);
    expect(await b.repo.indicatorBySlug('wb-sickness')).toBeNull();
    expect((await b.repo.history(absence.id)).observations.find((o) => o.periodKey === '2017/18 Q1')!.value).toBe(8.1);
  });

  it('lists a slipped point in a new indicator’s values by its target, and says which values could not be checked', async () => {
    const file = incoming('new-indicators.csv', csv([
      ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Owner', 'Target 2017/18 Q3', 'Actual 2017/18 Q2', 'Actual 2017/18 Q3'],
      ['recycling-new', 'Household waste recycled', '%', 'higher', 'Q', b.council.owner.email, '59.5', '62.5', '6.09'],
      ['absence-new', 'Days lost to sickness absence', 'days', 'lower', 'Q', b.council.owner.email, '8.5', '10.18', '104.9'],
      ['volunteers-new', 'New volunteers recruited', 'number', 'higher', 'Q', b.council.owner.email, '', '', '51'],
    ]));
    const refused = said(await later(await submitImportForm(b.deps, b.as(b.council.admin), {}, { file: [file] })));
    expect(refused).toContain('recycling-new 2017/18 Q3: 6.09% is far below the target of 59.5%; did you mean 60.9%?');
    expect(refused).toContain('absence-new 2017/18 Q3: 104.9 days is 12× the target of 8.5 days; did you mean 10.49 days?');
    expect(await b.repo.indicatorBySlug('recycling-new')).toBeNull();
    const dry = said(await later(await fileShared(b.deps, b.as(b.council.admin), file, 'dry run, accept outliers')));
    expect(dry).toContain('1 value not checked for plausibility — too few earlier values, and no target, earlier version or similar indicators to compare with: volunteers-new 2017/18 Q3.');
  });
});
