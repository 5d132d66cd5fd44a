// Renders the bot's real Teams cards as a person sees them: the demo register, the app with Teams on
// against the fake Bot Connector, commands and jobs run, and every card the connector received drawn
// with Microsoft's `adaptivecards` renderer in headless Chromium (Debian's, through playwright-core;
// nothing is downloaded) at a phone's width (360 px) and a desktop chat's (800 px). Chart images are
// fetched from the app itself. PNGs go to out/cards/, with each card's size in bytes printed.
//
//   npx tsx bench/render-cards.ts [--out out/cards]
//
// Not part of `npm test` (it starts Chromium): a way to look at the cards after changing them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { openDatabase } from '../src/db/database.ts';
import { TestClock, withDemo } from '../test/support/app.ts';
import { CHANNEL, linkDemoPeopleToTeams, personalChat, PUBLIC_URL, startTeamsApp } from '../test/support/teams-app.ts';
import { cardOf, type ConnectorCall } from '../test/support/fake-bot-connector.ts';

const out = path.resolve(process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : 'out/cards');
const WIDTHS = [360, 800];

/** Close to Teams' own host config: Segoe UI-like sizes, 6 actions, markdown on. */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'DejaVu Sans', sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 17, large: 21, extraLarge: 26 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  supportsInteractivity: true,
  actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, attention: { default: '#C4314B', subtle: '#C4314B' }, good: { default: '#237B4B', subtle: '#237B4B' }, accent: { default: '#6264A7', subtle: '#6264A7' } } },
  },
};

const PAGE = (acJs: string) => `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #f5f5f5; font-family: 'DejaVu Sans', sans-serif; }
.frame { background: #fff; margin: 8px; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.15); overflow: hidden; }
.ac-pushButton { border: 1px solid #d1d1d1; border-radius: 4px; background: #fff; padding: 5px 12px; font-size: 14px; font-weight: 600; min-height: 32px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ac-pushButton.style-positive { background: #5b5fc7; color: #fff; border-color: #5b5fc7; }
.ac-input { font-size: 14px; padding: 4px 6px; border: 1px solid #d1d1d1; border-radius: 4px; box-sizing: border-box; }
textarea.ac-input { min-height: 96px; }
.ac-textBlock a { color: #5b5fc7; }
</style><script>${acJs}</script></head><body><div id="root"></div><script>
function md(t) {
  const esc = t.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;');
  return esc.split(/\\n\\n/).map(p => '<p style="margin:0 0 4px 0">' + p
    .replace(/\\*\\*([^*]+)\\*\\*/g,'<b>$1</b>').replace(/(^|\\W)_([^_]+)_(?=\\W|$)/g,'$1<i>$2</i>')
    .replace(/\\[([^\\]]+)\\]\\((https?:[^)]+)\\)/g,'<a href="$2">$1</a>').replace(/&lt;at&gt;([^&]*)&lt;\\/at&gt;/g,'<b style="color:#5b5fc7">@$1</b>') + '</p>').join('');
}
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => { result.outputHtml = md(text); result.didProcess = true; };
window.renderCard = (json, width, hostConfig) => {
  const root = document.getElementById('root');
  root.innerHTML = '';
  const frame = document.createElement('div');
  frame.className = 'frame';
  frame.style.width = (width - 16) + 'px';
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  card.parse(json);
  frame.appendChild(card.render());
  root.appendChild(frame);
  return Promise.all([...frame.querySelectorAll('img')].map(i => i.complete ? 0 : new Promise(r => { i.onload = r; i.onerror = r; })));
};
</script></body></html>`;

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const require = createRequire(import.meta.url);
  const acJs = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
  await withDemo(db);
  await linkDemoPeopleToTeams(db);
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const h = await startTeamsApp(db, clock);
  const shots: { name: string; call: ConnectorCall | { body: Record<string, unknown> } }[] = [];
  const last = (conversation: (id: string) => boolean) => h.connector.calls.filter((c) => c.method === 'send' && conversation(c.conversationId)).at(-1)!;
  const step = async (name: string, run: () => Promise<unknown>, where: (id: string) => boolean) => {
    await run();
    await h.settle();
    shots.push({ name, call: last(where) });
  };
  const lucy = (id: string) => id === personalChat('Lucy');
  try {
    await step('show-channel', () => h.teams.message('Emma Walsh', 'show sickness-absence', 'channel'), (id) => id.startsWith(CHANNEL));
    await step('help-personal', () => h.teams.message('Lucy Chambers', 'help'), lucy);
    await step('mine-personal', () => h.teams.message('Lucy Chambers', 'mine'), lucy);
    await step('submit-form', () => h.teams.message('Gareth Lloyd', 'submit'), (id) => id === personalChat('Gareth'));
    const lucyId = (await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Lucy Chambers' } })).id;
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } });
    const org = await h.app.deps.repo.org();
    const long = 'Long-term absences in two directorates doubled after the restructure; occupational health referrals are taking six weeks. ';
    await h.app.deps.repo.saveExceptionReport({ indicatorId: ind.id, periodKey: '2017/18 Q3', questions: org.exceptionQuestions, answers: org.exceptionQuestions.map(() => long.repeat(22).slice(0, 3000)), state: 'draft', authorId: lucyId }, { expectedVersion: null });
    await step('exception-form-page1', () => h.teams.message('Lucy Chambers', 'exception sickness-absence 2017/18 Q3'), lucy);
    await db.prisma.conversationRef.deleteMany({ where: { key: 'person:aad-emma' } });
    h.connector.failNext('createConversation', { status: 403 });
    await step('private-note-channel', () => h.teams.message('Emma Walsh', 'mine', 'channel'), (id) => id.startsWith(CHANNEL));
    clock.set('2018-02-19T08:00:00Z');
    await h.app.runner.run('weekly-digest', clock.now());
    // The digest with the most reds: the one with a chart of them.
    const digests = h.connector.calls.filter((c) => c.method === 'send' && JSON.stringify(c.body).includes('Weekly performance digest') && JSON.stringify(c.body).includes('"Image"'));
    shots.push({ name: 'weekly-digest', call: digests.sort((a, b) => JSON.stringify(b.body).length - JSON.stringify(a.body).length)[0]! });
    await step('chase-data', () => h.app.runner.run('chase-data', clock.now()), (id) => id.includes('ben'));

    const browser = await chromium.launch({ executablePath: process.env.KPI_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
        // Chart images: served by the app under test, not the public address in the card.
        await page.route(`${PUBLIC_URL}/**`, async (route) => {
          const res = await fetch(route.request().url().replace(PUBLIC_URL, `http://127.0.0.1:${h.app.port}`));
          await route.fulfill({ status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' }, body: Buffer.from(await res.arrayBuffer()) });
        });
        await page.setContent(PAGE(acJs));
        for (const s of shots) {
          const card = cardOf(s.call as ConnectorCall);
          await page.evaluate(([json, w, hc]) => (globalThis as unknown as { renderCard: (j: unknown, w: number, h: unknown) => Promise<void> }).renderCard(json, w as number, hc), [card, width, HOST_CONFIG] as const);
          const file = path.join(out, `${s.name}-${width}.png`);
          await page.locator('.frame').screenshot({ path: file });
          if (width === WIDTHS[0]) console.log(`${s.name}: ${Buffer.byteLength(JSON.stringify(s.call.body))} bytes → ${path.relative(process.cwd(), file)}`);
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
    writeFileSync(path.join(out, 'cards.json'), JSON.stringify(shots.map((s) => ({ name: s.name, activity: s.call.body })), null, 1));
  } finally {
    await h.stop();
    await db.close();
  }
}

await main();
