// The report's commentary (src/report/commentary.ts) on the memory repository: the whole report's at
// the top of the summary, each theme's opening its section, the newest submitted version (a later
// draft is not printed), attributed — the author's name, and under Halton's preset their initials
// after each paragraph — in Markdown, HTML and the workbook; what is owed said in the summary; a
// signed-off quarter's report keeps the commentary as signed off, narrowed to a theme with it.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';
import { reportHtml } from '../../../src/report/html.ts';
import { reportXlsx } from '../../../src/report/xlsx.ts';
import { quarterReport, signOffQuarter } from '../../../src/report/snapshot.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import { initialsOf } from '../../../src/domain/commentary.ts';
import type { NewCommentary } from '../../../src/ports.ts';

describe('the report’s commentary', () => {
  const b = useBot();
  const save = (over: Partial<NewCommentary>) =>
    b.repo.commentary.save(
      { themeId: null, periodKey: '2017/18 Q3', sections: [], state: 'submitted', authorId: null, source: 'test', at: b.clock.now(), ...over },
      { at: b.clock.now(), actorId: null, actorLabel: 'test' },
    );

  it('opens the summary and the theme’s section, attributed, with Halton’s initials after each paragraph; a later draft is not printed', async () => {
    const c = b.council;
    await b.repo.updateOrg({ commentarySections: ['Key developments', 'Emerging issues'], commentaryInitials: true });
    await save({
      themeId: c.theme.id,
      authorId: c.director.id,
      sections: [
        { heading: 'Key developments', text: 'The Ofsted inspection framework has now been published.\nWork is already underway in preparing for the inspection.' },
        { heading: 'Emerging issues', text: '' },
      ],
    });
    await save({ themeId: c.theme.id, authorId: c.director.id, state: 'draft', sections: [{ heading: 'Key developments', text: 'A draft nobody should read yet.' }] });
    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const ini = initialsOf(c.director.displayName);
    expect(r.commentary).toMatchObject({ initials: true, overall: null, owed: ['the whole report'] });

    const md = reportMarkdown(r);
    const theme = md.slice(md.indexOf(`### 3.1 ${c.theme.name}`));
    expect(theme.indexOf('**Key developments**')).toBeLessThan(theme.indexOf('| Ref |'));
    expect(theme).toContain(`The Ofsted inspection framework has now been published. (${ini})`);
    expect(theme).toContain(`Work is already underway in preparing for the inspection. (${ini})`);
    expect(theme).toContain(`_Commentary by ${c.director.displayName} (${ini}), submitted 5 Feb 2018_`);
    expect(md).not.toContain('Emerging issues');
    expect(md).not.toContain('A draft nobody should read yet');
    expect(md).toContain('No commentary has been submitted for the whole report.');

    const html = reportHtml(r, []);
    expect(html).toContain(`<div class="commentary">\n<h3>3.1 ${c.theme.name}</h3>\n<h4>Key developments</h4>`);
    expect(html).toContain(`<p class="by">Commentary by ${c.director.displayName} (${ini}), submitted 5 Feb 2018</p>`);

    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(Buffer.from(await reportXlsx(r)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Commentary')!;
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining([c.theme.name, 'Key developments', c.director.displayName]));
    expect(sheet.getRow(3).getCell(3).value).toBe('No commentary submitted.');
  });

  it('puts the whole report’s at the top of the summary, and a signed-off report keeps the commentary as signed off', async () => {
    const c = b.council;
    await save({ authorId: c.admin.id, sections: [{ heading: 'Performance highlights', text: 'Most indicators are on target.\n- Sickness absence is the exception.' }] });
    await save({ themeId: c.theme.id, authorId: c.director.id, sections: [{ heading: 'Performance highlights', text: 'Library visits keep rising.' }] });
    const md = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now()));
    const summary = md.slice(md.indexOf('## 1. Summary'), md.indexOf('## 2.'));
    expect(summary.indexOf('### Commentary')).toBeLessThan(summary.indexOf('The register has'));
    expect(summary).toContain('- Sickness absence is the exception.');
    expect(summary).toContain(`_Commentary by ${c.admin.displayName}, submitted 5 Feb 2018_`);
    expect(md).not.toContain('No commentary has been submitted');

    await signOffQuarter(b.repo, periodFromKey('2017/18 Q3', 4), { personId: c.admin.id, name: c.admin.displayName, label: 'test' }, b.clock.now());
    // Written into the store after sign-off (the chat refuses it; the kept report ignores it).
    await save({ themeId: c.theme.id, authorId: c.director.id, sections: [{ heading: 'Performance highlights', text: 'Rewritten after sign-off.' }] });
    const kept = await quarterReport(b.repo, '2017/18 Q3', b.clock.now());
    expect(reportMarkdown(kept)).toContain('Library visits keep rising.');
    expect(reportMarkdown(kept)).not.toContain('Rewritten after sign-off.');
    const one = reportMarkdown(await quarterReport(b.repo, '2017/18 Q3', b.clock.now(), { themeId: c.theme.id }));
    expect(one).toContain('Library visits keep rising.');
    expect(one).not.toContain('Most indicators are on target.');
  });
});
