// /kpi report on the memory repository: the quarterly report as a file, posted to the channel.
import { describe, expect, it } from 'vitest';
import { useBot, later, messageOf, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi report', () => {
  const b = useBot();
  const report = (who: Parameters<TestBot['as']>[0], args: string) => runSlashCommand(b.deps, b.as(who), `/kpi report ${args}`);
  const attached = (r: Awaited<ReturnType<typeof later>>) => messageOf(r).blocks.flatMap((x) => (x.type === 'file' ? [x.file] : []));

  it('answers at once, then posts last quarter’s report as a PDF with its summary', async () => {
    const r = await report(b.council.admin, 'last quarter');
    expect(said(r)).toContain('Preparing the **2017/18 Q3** performance report (PDF)');
    const done = await later(r);
    expect(done).toMatchObject({ kind: 'message', visibility: 'channel' });
    expect(said(done)).toContain('There are 0 Green indicators (on target), 0 Amber and 1 Red.');
    expect(said(done)).toContain('Not signed off: 2017/18 Q3 is still open and its figures may change.');
    const [pdf] = attached(done);
    expect(pdf).toMatchObject({ filename: 'council-performance-report-2017-18-q3.pdf', mimeType: 'application/pdf' });
    expect(Buffer.from(pdf!.base64, 'base64').toString()).toMatch(/^%PDF-1.4 /);
    expect(b.documents.pages).toHaveLength(1);
    expect(b.documents.pages[0]?.footer).toContain('Performance Report 2017/18 Q3 (not signed off)');
  });

  it('writes Markdown for one theme when asked', async () => {
    const done = await later(await report(b.council.admin, `2017/18 Q3 md theme ${b.council.theme.slug}`));
    const [md] = attached(done);
    expect(md?.filename).toMatch(/\.md$/);
    expect(Buffer.from(md!.base64, 'base64').toString()).toContain(b.council.absence.name);
    expect(b.documents.pages).toEqual([]);
  });

  it('refuses a quarter not begun, a theme it cannot find, and anyone but a performance admin', async () => {
    expect(said(await report(b.council.admin, '2018/19 Q1'))).toContain('2018/19 Q1 has not started yet (today is 5 Feb 2018).');
    expect(said(await report(b.council.admin, 'last quarter theme nothing-here'))).toContain('No theme matches "nothing-here"');
    expect(said(await report(b.council.owner, ''))).toContain('Sorry, only performance admins');
    expect(b.documents.pages).toEqual([]);
  });
});
