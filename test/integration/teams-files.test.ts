// Files on Teams through the bot's real HTTP interface: reports and import reports arrive as download
// links the bot serves itself (GET them back over HTTP), a register sent in the 1:1 chat is downloaded
// from its pre-authenticated link (the fake Bot Connector stands in for OneDrive) and imported, and
// the import form says how to send the file. Runs on PGlite and PostgreSQL.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { CHANNEL, personalChat, PUBLIC_URL, useTeamsDemo, type TeamsHarness } from '../support/teams-app.ts';
import { cardElements as elements, cardOf, type ConnectorCall } from '../support/fake-bot-connector.ts';
import { closeServer, listenOnLoopback } from '../support/loopback.ts';
import { csv } from '../support/workbooks.ts';
import { file } from '../../src/messages/build.ts';
import { MAX_IMPORT_BYTES } from '../../src/import/import.ts';

const PRIYA = 'Priya Shah'; // performance admin
const EMMA = 'Emma Walsh'; // officer
const textOf = (c: ConnectorCall) => JSON.stringify(c.body);
type Card = { body: Record<string, unknown>[]; actions?: Record<string, unknown>[] };

/** The card's download buttons. */
const downloads = (c: ConnectorCall) => elements(cardOf(c)).filter((e) => e.type === 'Action.OpenUrl') as { title: string; tooltip?: string; url: string }[];

describe.each(backends('pglite'))('files on Teams on %s', (backend) => {
  let db: TestDatabase;
  let h: TeamsHarness;
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useTeamsDemo(backend, clock);
  beforeAll(() => {
    ({ db, h } = app);
  });
  beforeEach(() => clock.set('2018-02-05T09:00:00Z'));

  /** GET a link from a card from the bot itself (PUBLIC_URL is where Teams would reach it). */
  const get = (url: string) => fetch(url.replace(PUBLIC_URL, `http://127.0.0.1:${h.app.port}`));
  /** Just the status (the body read, so the connection is free). */
  const status = async (url: string) => {
    const res = await get(url);
    await res.arrayBuffer();
    return res.status;
  };
  const sentTo = (chat: string, predicate: (c: ConnectorCall) => boolean, timeoutMs = 10_000) => h.connector.waitFor('send', (c) => c.conversationId.startsWith(chat) && predicate(c), timeoutMs);

  describe('kpi report', () => {
    it('posts the report in the channel thread as a download link the bot serves, with the right type and name', async () => {
      await h.teams.message(PRIYA, 'report 2017/18 Q3 md', 'channel');
      // Said privately (Priya has not written to the bot 1:1 yet, so it starts the chat), then posted in the thread.
      expect(textOf(await h.connector.waitFor('send', (c) => !c.conversationId.startsWith(CHANNEL) && textOf(c).includes('Preparing the **2017/18 Q3** performance report (Markdown)')))).toBeTruthy();
      const post = await sentTo(`${CHANNEL};messageid=`, (c) => textOf(c).includes('Performance report, 2017/18 Q3'));
      expect(textOf(post)).toContain('There are 18 Green indicators (on target), 6 Amber and 6 Red.');
      const [button] = downloads(post);
      const filename = 'trafford-council-demo-performance-report-2017-18-q3.md';
      expect(button).toMatchObject({ title: 'Download', tooltip: `Download ${filename}` });
      expect(button!.url).toMatch(new RegExp(`^${PUBLIC_URL}/files/[A-Za-z0-9_-]{22}/${filename}$`));
      expect(textOf(post).length).toBeLessThan(28_000);

      const res = await get(button!.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${filename}"; filename*=UTF-8''${filename}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toContain('| 49 | 33 | 14 | 2 | 18 | 6 | 6 | 3 |');
      // Only the exact link: another id, or the right id under another name, is not found.
      const id = button!.url.split('/').at(-2)!;
      expect(await status(`${PUBLIC_URL}/files/AAAAAAAAAAAAAAAAAAAAAA/${filename}`)).toBe(404);
      expect(await status(`${PUBLIC_URL}/files/${id}/other.md`)).toBe(404);
      expect(await status(`${PUBLIC_URL}/charts/${id}.png`)).toBe(404);
    });

    it('sends a PDF report privately in the 1:1 chat as a PDF download', async () => {
      await h.teams.message(PRIYA, 'report 2017/18 Q3 theme education');
      const post = await sentTo(personalChat('Priya'), (c) => downloads(c).length > 0, 30_000);
      const res = await get(downloads(post)[0]!.url);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    });
  });

  describe('hosted files expire', () => {
    it(`serves a file for ${30} days, then answers 404, and deletes it when the next file is stored — charts stay`, async () => {
      const priya = await db.prisma.person.findFirstOrThrow({ where: { displayName: PRIYA } });
      const send = async (key: string) => {
        await h.app.deps.outbox.enqueue({ key, purpose: 'test', to: { kind: 'person', personId: priya.id }, message: { text: 'A file', blocks: [file('notes.txt', 'text/plain; charset=utf-8', new TextEncoder().encode('hello\n'), `Notes ${key}`)] } }, clock.now());
        expect(await h.app.outbox.drain(clock.now())).toMatchObject({ sent: 1, failed: 0 });
        return downloads(await h.connector.waitFor('send', (c) => textOf(c).includes(`Notes ${key}`)))[0]!.url;
      };
      await h.teams.message(EMMA, 'show sickness-absence', 'channel');
      const chart = String(elements(cardOf(await sentTo(`${CHANNEL};messageid=`, () => true))).find((e) => e.type === 'Image')!.url);

      const url = await send('test:file-expiry-1');
      expect(await (await get(url)).text()).toBe('hello\n');
      clock.set('2018-03-07T08:59:00Z'); // 29 days 23:59 later
      expect(await status(url)).toBe(200);
      clock.set('2018-03-07T09:01:00Z');
      const gone = await get(url);
      expect([gone.status, await gone.text()]).toEqual([404, 'Not found']);
      const id = url.split('/').at(-2)!;
      expect(await db.prisma.hostedFile.count({ where: { id } })).toBe(1);

      const next = await send('test:file-expiry-2');
      expect(await db.prisma.hostedFile.count({ where: { id } })).toBe(0);
      expect(await status(next)).toBe(200);
      expect(await status(chart)).toBe(200);
    });
  });

  describe('a register sent in the 1:1 chat', () => {
    it('is downloaded from its link without the bot’s token, imported, and answered with the validation report', async () => {
      const bytes = csv([
        ['Slug', 'Name', 'Theme', 'Owner', 'Unit', 'Polarity', 'Frequency', 'Target 2017/18 Q3', 'Actual 2017/18 Q3'],
        ['teams-missed-bins', 'Missed bin collections per 100,000', 'Building Strong Communities', 'lucy.chambers@trafford.example', 'number', 'lower', 'Q', '50', '48'],
      ]);
      const r = await h.teams.sendFile(PRIYA, h.connector.hostFile('new-indicators.csv', bytes));
      expect(r.status).toBe(200);
      expect(textOf(await sentTo(personalChat('Priya'), (c) => textOf(c).includes('Checking **new-indicators.csv**')))).toBeTruthy();
      const report = await sentTo(personalChat('Priya'), (c) => textOf(c).includes('Imported'));
      expect(textOf(report)).toContain('Indicators: 1 created');
      const [download] = h.connector.callsTo('download');
      expect(download!.body).toEqual({ authorization: null });
      const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'teams-missed-bins' }, include: { observations: true } });
      expect(ind.observations[0]).toMatchObject({ periodKey: '2017/18 Q3', submittedByLabel: 'teams:aad-priya' });
    });

    it('is only checked when the message says "dry run"', async () => {
      const bytes = csv([['Slug', 'Name', 'Unit', 'Polarity', 'Frequency'], ['teams-dry-run', 'Checked, not imported', 'number', 'lower', 'Q']]);
      await h.teams.sendFile(PRIYA, h.connector.hostFile('check.csv', bytes), 'dry run please');
      const report = await sentTo(personalChat('Priya'), (c) => textOf(c).includes('Dry run'));
      expect(textOf(report)).toContain('Indicators: 1 created');
      expect(await db.prisma.indicator.count({ where: { slug: 'teams-dry-run' } })).toBe(0);
    });

    it('lists the first problems, links the full report as a download, and writes nothing', async () => {
      const before = await db.prisma.indicator.count();
      const rows = Array.from({ length: 15 }, (_, i) => [`bad-${i}`, `Bad ${i}`, '%', 'upwards', 'Q']);
      await h.teams.sendFile(PRIYA, h.connector.hostFile('broken.csv', csv([['Slug', 'Name', 'Unit', 'Polarity', 'Frequency'], ...rows])));
      const report = await sentTo(personalChat('Priya'), (c) => textOf(c).includes('Nothing was written'));
      expect(textOf(report)).toContain('…and 3 more (all of them are in the attached file).');
      const [button] = downloads(report);
      expect([button!.title, button!.tooltip]).toEqual(['Download', 'Download broken-import-report.txt']);
      const full = await get(button!.url);
      expect(full.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const text = await full.text();
      expect(text).toContain('broken.csv row 2, column Polarity');
      expect(text).toContain('broken.csv row 16, column Polarity');
      expect(await db.prisma.indicator.count()).toBe(before);
    });

    it('refuses an officer politely, without downloading', async () => {
      await h.teams.sendFile(EMMA, h.connector.hostFile('mine.csv', csv([['Name', 'Polarity', 'Frequency'], ['X', 'higher', 'Q']])));
      expect(textOf(await sentTo(personalChat('Emma'), (c) => textOf(c).includes('only performance admins can import')))).toBeTruthy();
      expect(h.connector.callsTo('download')).toEqual([]);
    });

    it('refuses a plain-http link from anywhere but the Bot Connector it is configured with, fetching nothing', async () => {
      let requests = 0;
      const other = await listenOnLoopback(async (_req, res) => {
        requests++;
        res.end('Slug,Name\n');
      });
      try {
        const attachment = h.connector.hostFile('elsewhere.csv', csv([['Name', 'Polarity', 'Frequency'], ['X', 'higher', 'Q']]));
        const content = attachment.content as Record<string, unknown>;
        await h.teams.sendFile(PRIYA, { ...attachment, content: { ...content, downloadUrl: `http://127.0.0.1:${other.port}/elsewhere.csv` } });
        const answer = await sentTo(personalChat('Priya'), (c) => textOf(c).includes('elsewhere.csv that I do not trust'));
        expect(textOf(answer)).toContain('only https is allowed');
        expect(requests).toBe(0);
      } finally {
        await closeServer(other.server);
      }
    });

    it('asks for the file again when its link has expired, and refuses one over the import limit', async () => {
      await h.teams.sendFile(PRIYA, h.connector.hostFile('late.csv', csv([['Name'], ['X']]), { expired: true }));
      expect(textOf(await sentTo(personalChat('Priya'), (c) => textOf(c).includes('The link Teams gave me for late.csv has expired or was refused (HTTP 403)')))).toBeTruthy();
      h.connector.reset();
      await h.teams.sendFile(PRIYA, h.connector.hostFile('huge.csv', new Uint8Array(MAX_IMPORT_BYTES + 1)));
      expect(textOf(await sentTo(personalChat('Priya'), (c) => textOf(c).includes('huge.csv is over 50 MB, the most I import')))).toBeTruthy();
    });
  });

  describe('the import form', () => {
    it('says how to send the file instead of offering an upload, and a stale card submitted without one says why nothing happened', async () => {
      await h.teams.message(PRIYA, 'import');
      const form = cardOf(await sentTo(personalChat('Priya'), (c) => textOf(c).includes('Import a register'))) as unknown as Card;
      expect(JSON.stringify(form)).toContain('send me the file in our 1:1 chat (attach it to a message), with **dry run** in the message to check it without importing');
      expect(elements(form).filter((e) => String(e.type).startsWith('Input.') || e.type === 'Action.Execute')).toEqual([]);

      // A card an older version of the bot sent, with a Submit.
      const stale = { kpi: 'form', form: { id: 'import', title: 'Import a register', submitLabel: 'Check and import', state: '{}', fields: [{ id: 'file', label: 'Register file (.csv, .xlsx or .json)', kind: 'file', required: true }] } };
      const r = await h.teams.execute(PRIYA, stale);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(JSON.stringify(r.json)).toContain('A Teams card cannot carry a file, so nothing was done: send the file as described above.');
    });
  });
});
