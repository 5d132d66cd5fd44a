// The register import carries what reaching people needs, so a council can set itself up without
// SQL: a Settings sheet (read as `/kpi settings` reads it), a Themes sheet with each theme's director
// and alert channel, an Alert channel column on indicators, and Absent until on the People sheet.
// All or nothing: one bad setting or channel and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { withDemo } from '../support/app.ts';
import { runKpi } from '../support/cli.ts';
import { xlsx, fileWriter } from '../support/workbooks.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';

const { file } = fileWriter('kpi-import-reach-');

describe.each(backends('pglite'))('settings, themes, alert channels and absences from an import on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db);
  });
  afterAll(() => db?.close());

  it('writes the settings, each theme’s alert channel, an indicator’s own channel and an absence — and nothing when one cell is wrong', async () => {
    const housing = (await db.prisma.theme.findFirstOrThrow({ where: { slug: 'housing-growth' } })).name;
    const sheets = {
      Settings: [['Setting', 'Value'], ['Default tolerance', '5%'], ['Chase cadence', '0, 2, 5'], ['Escalate after', '2'], ['Exception questions', 'cheshire-west'], ['DoT basis', 'baseline']],
      Themes: [['Theme', 'Director', 'Alert channel'], [housing, 'richard.okafor@trafford.example', 'C0HOUSING1, teams:19:housing@thread.tacv2']],
      People: [['Name', 'Email', 'Role', 'Absent until'], ['Emma Walsh', 'emma.walsh@trafford.example', 'officer', '05/03/2018']],
      Indicators: [['Slug', 'Name', 'Polarity', 'Frequency', 'Alert channel'], ['sickness-absence', 'Sickness absence', 'lower', 'quarterly', 'C0HRTEAM1']],
    };
    const bad = await runKpi(db, ['import', file('bad.xlsx', await xlsx({ ...sheets, Settings: [['Setting', 'Value'], ['Default tolerance', 'loads'], ['Escalate after', '2']] }))]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('expected a percentage such as 10%');
    expect(await db.prisma.channelSubscription.count({ where: { platform: { not: 'console' } } })).toBe(0);

    const badChannel = await runKpi(db, ['import', file('bad-channel.xlsx', await xlsx({ ...sheets, Themes: [['Theme', 'Alert channel'], [housing, '#housing']] }))]);
    expect(badChannel.code).toBe(1);
    expect(badChannel.stdout + badChannel.stderr).toContain('expected a channel id such as C0123ABCD');

    const ok = await runKpi(db, ['import', file('register.xlsx', await xlsx(sheets))]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Alert channels: 3 new');
    const org = await new PrismaRepository(db.prisma).org();
    expect(org).toMatchObject({ tolerance: { kind: 'relative', value: 5 }, chaseCadence: [0, 2, 5], escalateAfter: 2, dotBasis: 'baseline' });
    expect(org.exceptionQuestions[0]).toBe('Explanation of current performance position');
    const subs = await db.prisma.channelSubscription.findMany({ where: { platform: { not: 'console' } }, select: { platform: true, channelId: true, scope: true }, orderBy: { channelId: 'asc' } });
    const housingId = (await db.prisma.theme.findFirstOrThrow({ where: { slug: 'housing-growth' } })).id;
    const sickness = (await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } })).id;
    expect(subs).toEqual([
      { platform: 'teams', channelId: '19:housing@thread.tacv2', scope: `theme:${housingId}` },
      { platform: 'slack', channelId: 'C0HOUSING1', scope: `theme:${housingId}` },
      { platform: 'slack', channelId: 'C0HRTEAM1', scope: `indicator:${sickness}` },
    ]);
    expect((await db.prisma.person.findUniqueOrThrow({ where: { email: 'emma.walsh@trafford.example' } })).absentUntil?.toISOString().slice(0, 10)).toBe('2018-03-05');

    // The same file again changes nothing.
    const again = await runKpi(db, ['import', file('register.xlsx', await xlsx(sheets))]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toContain('Alert channels: ');
  });
});
