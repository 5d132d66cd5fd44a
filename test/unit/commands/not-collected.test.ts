// /kpi not-collected on the memory repository: a performance admin marks a period "not collected" for
// an indicator, a theme or every indicator, with the reason; it is never chased, `/kpi show` and the
// quarterly report say why; undone it is chased again. Everyone else is refused. Each change audited.
import { describe, expect, it } from 'vitest';
import { useBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';

describe('/kpi not-collected', () => {
  const b = useBot();
  const run = (who: Parameters<TestBot['as']>[0], args: string) => runSlashCommand(b.deps, b.as(who), `/kpi not-collected ${args}`);

  it('marks a period for an indicator with the reason: not chased, shown in /kpi show and the report; undone, chased again', async () => {
    const { admin, cleanliness } = b.council;
    expect(said(await run(admin, `${cleanliness.slug} 2017/18 Q3 street survey suspended during the contract change`))).toContain(
      `✅ 2017/18 Q3 for \`${cleanliness.slug}\` is marked not collected: street survey suspended during the contract change.`,
    );
    expect(await chaseData(b.deps, b.clock.now())).toMatchObject({ notAskedNotCollected: 1 });
    expect(JSON.stringify(b.outbox.messages('chase-data'))).not.toContain(cleanliness.slug);
    expect(said(await runSlashCommand(b.deps, b.as(null), `/kpi show ${cleanliness.slug}`))).toContain('Not collected: 2017/18 Q3 — street survey suspended during the contract change');
    const report = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    expect(reportMarkdown(report)).toContain('Not collected for 2017/18 Q3: street survey suspended during the contract change.');
    expect(said(await run(admin, ''))).toContain(`• 2017/18 Q3 — \`${cleanliness.slug}\`: street survey suspended during the contract change (${admin.displayName}, 5 Feb 2018)`);

    expect(said(await run(admin, `undo ${cleanliness.slug} 2017/18 Q3`))).toContain('is collected again');
    b.clock.advance(86_400_000);
    await chaseData(b.deps, b.clock.now());
    expect(JSON.stringify(b.outbox.messages('chase-data').at(-1))).toContain(cleanliness.slug);
    expect(b.repo.auditLog().filter((a) => a.entity === 'period').map((a) => [a.action, a.entityId, a.actorLabel])).toEqual([
      ['period.not-collected', '2017/18 Q3', `slack:U${admin.id}`],
      ['period.collected', '2017/18 Q3', `slack:U${admin.id}`],
    ]);
  });

  it('says nothing of a mark once its period has a value: neither /kpi show nor the report prints "not collected" beside the value', async () => {
    const { admin, owner, cleanliness } = b.council;
    await run(admin, `${cleanliness.slug} 2017/18 Q3 contractor data lost`);
    // The contractor's figures turn up after all.
    expect(said(await runSlashCommand(b.deps, b.as(owner), `/kpi submit ${cleanliness.slug} 2017/18 Q3 86`))).toContain('Saved');
    expect(said(await runSlashCommand(b.deps, b.as(null), `/kpi show ${cleanliness.slug}`))).not.toContain('Not collected');
    const md = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now()));
    expect(md).toMatch(new RegExp(`Street cleanliness ${b.council.tag} \\|[^\\n]*86%`));
    expect(md).not.toContain('Not collected for 2017/18 Q3');
  });

  it('marks a theme’s indicators or every indicator, the months of a quarter included', async () => {
    const { admin, theme, visits } = b.council;
    // January 2018 (visits, monthly) is due on 5 February.
    expect(said(await run(admin, `theme ${theme.slug} 2017/18 Q4 new library system`))).toContain(`for every indicator of theme \`${theme.slug}\` is marked not collected`);
    await chaseData(b.deps, b.clock.now());
    expect(JSON.stringify(b.outbox.messages('chase-data'))).not.toContain(visits.slug);
    expect(said(await run(admin, 'all 2017/18 Q4 new library system'))).toContain('for every indicator is marked not collected');
  });

  it('refuses anyone but a performance admin, a period it cannot read, no reason, and a period holding none of the indicator’s', async () => {
    const { admin, owner, absence } = b.council;
    expect(said(await run(owner, `${absence.slug} 2017/18 Q3 busy`))).toContain('Sorry, only performance admins can mark periods not collected.');
    expect(said(await run(admin, `${absence.slug} sometime busy`))).toContain('Which period? Give it with its year');
    expect(said(await run(admin, `${absence.slug} 2017/18 Q3`))).toContain('Why is 2017/18 Q3 not collected?');
    expect(said(await run(admin, `${absence.slug} Oct 2017 payroll`))).toContain(`Oct 2017 holds no period of \`${absence.slug}\`, which is reported quarterly`);
    expect(await b.repo.notCollected()).toEqual([]);
  });
});
