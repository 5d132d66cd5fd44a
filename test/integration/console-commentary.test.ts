// Commentary on the console over the demo (PGlite): a director whose theme's commentary is owed writes
// it in the form at the prompt and submits it; someone else is refused; a section is changed inline;
// the quarter's report opens the theme's section with it, attributed, beside the demo's own.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { TestClock, useConsoleDemo, type ConsoleHarness } from '../support/app.ts';

describe.each(backends('pglite'))('commentary on the console on %s', (backend) => {
  const app = useConsoleDemo(backend, new TestClock(new Date('2018-01-15T10:00:00Z')));
  let con: ConsoleHarness;
  beforeAll(() => {
    ({ con } = app);
  });

  it('is written by the theme’s director in the form, refused for anyone else, and opens the theme in the report', async () => {
    expect(await con.type('as Tom Brennan')).toContain('Tom Brennan');
    let out = await con.type('/kpi commentary');
    expect(out).toContain('Commentary for Building Strong Communities, 2017/18 Q3 (Oct–Dec 2017)');
    expect(out).toMatch(/Key messages: $/);
    await con.type('Volunteering is up on last year across every ward.');
    await con.type('New volunteers came through the Thrive portal.');
    out = await con.type('Community safety figures are late from the police.');
    out = await con.type('');
    expect(out).toContain('Commentary submitted for Building Strong Communities, 2017/18 Q3 (Oct–Dec 2017)');
    out = await con.type('/kpi commentary strong could do better: Community safety figures arrived late; they are in the report now.');
    expect(out).toContain('Changed “Could do better” in the submitted commentary for Building Strong Communities, 2017/18 Q3 (Oct–Dec 2017) (version 2, with your name).');
    expect(await con.type('as Lucy Chambers')).toContain('Lucy Chambers');
    expect(await con.type('/kpi commentary strong-communities')).toContain('Sorry, only Tom Brennan (the theme’s director), their deputy or a performance admin can write the commentary for Building Strong Communities.');

    await con.type('as Priya Shah');
    out = await con.type('/kpi report 2017/18 Q3 md');
    const file = /(\S+\.md)/.exec(out)?.[1];
    const md = readFileSync(file!, 'utf8');
    const theme = md.slice(md.indexOf('Building Strong Communities\n'));
    expect(theme).toContain('Volunteering is up on last year across every ward.');
    expect(theme).toContain('Community safety figures arrived late; they are in the report now.');
    expect(theme).toContain('_Commentary by Tom Brennan, submitted 15 Jan 2018_');
    expect(md).toContain('_Commentary by Richard Okafor, submitted 12 Jan 2018_');
    expect(md).toContain('Team caseloads are now lower (17.4)');
    expect(md).toContain('No commentary has been submitted for');
  });
});
