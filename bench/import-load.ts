// A huge spreadsheet shared with the bot while everyone else keeps working: the bot in a process of
// its own (bench/servers/bot.ts, the demo on PGlite, Slack configured against the fake Slack), a
// performance admin shares a file in a direct message (the file_share event over HTTP, the download
// from Slack, the import thread, the answer posted back), and meanwhile 40 slash commands from the
// other 18 people of the demo arrive over HTTP, one every 150 ms (then one a second until the admin's answer). Counted: the commands acknowledged
// within Slack's 3 s, against the same 40 with no import (the ratio), the answer the admin got, and the
// bot process's peak memory (VmHWM) over it. The files are generated here, never committed:
//   - a 2,000,000-row workbook as Excel writes one (cell references, shared strings): ~35 MB;
//   - a 1,000,000-row CSV of values: ~35 MB;
//   - a large valid workbook: 5,000 new indicators and 75,000 rows of their history (accepted).
// KPI_BENCH_IMPORT_FILES=values-1m.csv,… runs only those.
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { FakeSlack, type RecordedCall } from '../test/support/fake-slack.ts';
import { SIGNING_SECRET, slackId } from '../test/support/slack-app.ts';
import { signSlackRequest, slashCommandBody } from '../test/support/slack-signing.ts';
import { startServer, type BenchServer } from './servers/control.ts';
import { percentile, recordText } from './stats.ts';

const NOW = '2018-02-05T09:00:00Z';
const SLACK_LIMIT_MS = 3000;
const PRIYA = slackId('Priya');
const OTHERS = ['Helen', 'Gareth', 'Nadia', 'Richard', 'Emma', 'Jamie', 'Sarah', 'Olu', 'Kate', 'Tom', 'Lucy', 'Imran', 'Aisha', 'Ben', 'Rachel', 'David', 'Chris', 'Hannah'];
const COMMANDS = ['show sickness-absence', 'mine', 'list red', 'show council-tax-collected', 'help'];
const SPACING_MS = 150;
const MB = 2 ** 20;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A workbook of sheets whose rows come from generators, zipped as it is generated: as Excel writes one (cell references, shared strings). */
function workbook(sheets: { name: string; rows: () => Generator<(string | number)[]> }[]): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  const file = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  const strings = new Map<string, number>();
  const stringIndex = (s: string) => {
    let i = strings.get(s);
    if (i === undefined) strings.set(s, (i = strings.size));
    return i;
  };
  const col = (i: number) => String.fromCharCode(65 + i);
  file('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`);
  file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  file('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`);
  file('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`);
  sheets.forEach((s, i) => {
    const f = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 6 });
    zip.add(f);
    f.push(strToU8('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'));
    let batch: string[] = [];
    let r = 0;
    for (const row of s.rows()) {
      r++;
      batch.push(`<row r="${r}">${row.map((v, c) => (typeof v === 'number' ? `<c r="${col(c)}${r}"><v>${v}</v></c>` : `<c r="${col(c)}${r}" t="s"><v>${stringIndex(v)}</v></c>`)).join('')}</row>`);
      if (batch.length === 10_000) {
        f.push(strToU8(batch.join('')));
        batch = [];
      }
    }
    f.push(strToU8(`${batch.join('')}</sheetData></worksheet>`), true);
  });
  file('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${strings.size}">${[...strings.keys()].map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`);
  zip.end();
  return Buffer.concat(out);
}

const QUARTERS = Array.from({ length: 16 }, (_, i) => `${2013 + Math.floor(i / 4)}/${String((14 + Math.floor(i / 4)) % 100).padStart(2, '0')} Q${(i % 4) + 1}`);

/** 2,000,000 rows of values, as the attacker's workbook had. */
function hugeWorkbook(): Uint8Array {
  return workbook([
    {
      name: 'Values',
      *rows() {
        yield ['Indicator', 'Period', 'Actual'];
        for (let i = 0; i < 2_000_000; i++) yield [`indicator-${i % 50_000}`, QUARTERS[i % 16]!, 50 + (i % 400) / 10];
      },
    },
  ]);
}

/** 1,000,000 rows of values in a workbook that unpacks to less than the limit: refused by its rows, read as a stream. */
function millionRowWorkbook(): Uint8Array {
  return workbook([
    {
      name: 'Values',
      *rows() {
        yield ['Indicator', 'Period', 'Actual'];
        for (let i = 0; i < 1_000_000; i++) yield [`indicator-${i % 50_000}`, QUARTERS[i % 16]!, 50 + (i % 400) / 10];
      },
    },
  ]);
}

/** The bench's files by name (for trying them elsewhere: the CLI). */
export function generateBenchFiles(): Record<string, () => Uint8Array> {
  return { 'values-2m.xlsx': hugeWorkbook, 'values-1m.xlsx': millionRowWorkbook, 'values-1m.csv': hugeCsv, 'register-large.xlsx': () => largeValidWorkbook() };
}

/** 1,000,000 rows of values as CSV. */
function hugeCsv(): Uint8Array {
  const lines = ['Indicator,Period,Actual'];
  for (let i = 0; i < 1_000_000; i++) lines.push(`indicator-${i % 50_000},${QUARTERS[i % 16]},${(50 + (i % 400) / 10).toFixed(1)}`);
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** Within the limits: 5,000 new quarterly indicators and 75,000 rows of their history (15 quarters each). */
function largeValidWorkbook(n = 5_000): Uint8Array {
  return workbook([
    {
      name: 'Indicators',
      *rows() {
        yield ['Ref', 'Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Tolerance', 'Target 2016/17'];
        for (let i = 1; i <= n; i++) yield [`B ${i}`, `bench-${i}`, `Bench indicator ${i}`, '%', i % 2 ? 'higher' : 'lower', 'Q', '10%', 60 + (i % 7)];
      },
    },
    {
      name: 'Values',
      *rows() {
        yield ['Indicator', 'Period', 'Actual'];
        for (let i = 1; i <= n; i++) for (let q = 0; q < 15; q++) yield [`bench-${i}`, QUARTERS[q]!, 50 + ((i * 7 + q * 13) % 400) / 10];
      },
    },
  ]);
}

interface Outcome {
  /** Of the first 40. */
  acked: number;
  total: number;
  ms: number[];
  /** Of every command sent while the import ran. */
  all: { acked: number; sent: number };
}

export async function benchImportLoad(): Promise<void> {
  const fake = await FakeSlack.start();
  const env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_BOT_USER_ID: 'UBOT', SLACK_BOT_ID: 'BBOT' };
  const bot: BenchServer = await startServer('./bot.ts', { platform: 'slack', env, now: NOW });
  const url = `http://127.0.0.1:${bot.port}/slack/events`;
  const at = Math.floor(Date.parse(NOW) / 1000);
  let seq = 0;
  const post = (body: string, contentType: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...signSlackRequest(SIGNING_SECRET, body, at) }, body }).then(async (r) => {
      await r.text();
      return r.status;
    });
  const slash = (who: string, text: string) => post(slashCommandBody({ text, user_id: slackId(who), response_url: fake.responseUrl(`load-${++seq}`) }), 'application/x-www-form-urlencoded');

  /** Commands from the others, one every SPACING_MS, each timed to its acknowledgement: 40, and more until `until` settles. */
  async function others(until: Promise<unknown> = Promise.resolve()): Promise<Outcome> {
    const sent: Promise<number>[] = [];
    let over = false;
    void until.finally(() => (over = true));
    for (let i = 0; i < 40 || !over; i++) {
      const t0 = performance.now();
      sent.push(slash(OTHERS[i % OTHERS.length]!, COMMANDS[i % COMMANDS.length]!).then((status) => (status === 200 ? performance.now() - t0 : Infinity), () => Infinity));
      // The 40 at one every SPACING_MS; then, while the import goes on, one a second (a steady trickle, not a flood).
      await new Promise((r) => setTimeout(r, i < 40 ? SPACING_MS : 1000));
    }
    const ms = await Promise.all(sent);
    const first = ms.slice(0, 40);
    return { acked: first.filter((m) => m <= SLACK_LIMIT_MS).length, total: first.length, ms, all: { acked: ms.filter((m) => m <= SLACK_LIMIT_MS).length, sent: ms.length } };
  }

  const isAnswer = (c: RecordedCall) => {
    const t = JSON.stringify(c.args);
    return (c.args.channel === PRIYA || c.args.channel === 'DPRIYA') && !t.includes('Checking ');
  };

  /** The admin shares `name`; the others' commands run meanwhile. */
  async function share(name: string, bytes: Uint8Array, note: string): Promise<{ answer: string; seconds: number; peakMb: number; load: Outcome; loopMs: number }> {
    await bot.call('idle');
    fake.reset();
    bot.resetPeak();
    await bot.call('loopDelay', true);
    const upload = fake.hostFile(name, bytes);
    const ts = `1700000${String(++seq).padStart(3, '0')}.000100`;
    const event = { type: 'message', subtype: 'file_share', channel: 'DPRIYA', channel_type: 'im', user: PRIYA, text: note, files: [upload], ts, event_ts: ts };
    const t0 = performance.now();
    const answered = fake.waitFor('chat.postMessage', isAnswer, 600_000);
    await post(JSON.stringify({ type: 'event_callback', team_id: 'T0COUNCIL', api_app_id: 'A0KPI', event, event_id: `EvLOAD${seq}`, event_time: at }), 'application/json');
    const timed = answered.then((c) => ({ c, s: (performance.now() - t0) / 1000 }));
    const [load, answer] = await Promise.all([others(timed), timed]);
    const loopMs = await bot.call<number>('loopDelay', true);
    await bot.call('idle');
    return { answer: String(answer.c.args.text), seconds: answer.s, peakMb: bot.peakRssMb(), load, loopMs };
  }

  try {
    // Warm up: code paths, the chart thread, the database's caches, the import thread's bundle.
    for (const who of OTHERS.slice(0, 5)) for (const c of COMMANDS) await slash(who, c);
    await share('warm.csv', new TextEncoder().encode('Indicator,Period,Actual\nsickness-absence,2016/17 Q1,9.1\n'), 'dry run');

    await bot.call('idle');
    bot.resetPeak();
    const floor = await others();
    await bot.call('idle');
    const floorPeak = bot.peakRssMb();
    const p99 = (o: Outcome) => `${percentile(o.ms, 99).toFixed(0)} ms`;
    recordText('40 other people’s commands, no import: acknowledged within 3 s', `${floor.acked}/40`, '1.00 (the floor)', `p99 ack ${p99(floor)}; one every ${SPACING_MS} ms; peak RSS of the bot ${floorPeak.toFixed(0)} MB`);

    const only = process.env.KPI_BENCH_IMPORT_FILES?.split(',');
    const files: { what: string; name: string; make: () => Uint8Array; note: string }[] = ([
      { what: '2,000,000-row workbook', name: 'values-2m.xlsx', make: hugeWorkbook, note: '' },
      { what: '1,000,000-row workbook', name: 'values-1m.xlsx', make: millionRowWorkbook, note: '' },
      { what: '1,000,000-row CSV', name: 'values-1m.csv', make: hugeCsv, note: '' },
      { what: 'large valid workbook (5,000 indicators + 75,000 rows of values)', name: 'register-large.xlsx', make: () => largeValidWorkbook(), note: 'accept outliers' },
    ] as const).filter((f) => !only || only.includes(f.name));
    for (const f of files) {
      const t = performance.now();
      const bytes = f.make();
      console.log(`  (generated ${f.name}: ${(bytes.length / MB).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
      const r = await share(f.name, bytes, f.note);
      const ratio = floor.acked ? (r.load.acked / floor.acked).toFixed(2) : 'n/a';
      recordText(`${f.what} (${(bytes.length / MB).toFixed(1)} MB) shared by the admin: other people’s commands acknowledged within 3 s`, `${r.load.acked}/40`, `${ratio} of the floor`, `p99 ack ${p99(r.load)}; ${r.load.all.acked}/${r.load.all.sent} of all sent until the answer; the main thread held at most ${r.loopMs.toFixed(0)} ms at a time`);
      recordText(`${f.what}: peak RSS of the bot process`, `${r.peakMb.toFixed(0)} MB`, `${(r.peakMb / floorPeak).toFixed(2)}× its peak under the same commands alone`, `answer in ${r.seconds.toFixed(1)} s`);
      recordText(`${f.what}: the admin’s answer`, JSON.stringify(r.answer.replace(/\s+/g, ' ').slice(0, 300)), '', '');
    }
  } finally {
    await bot.stop();
    await fake.stop();
  }
}
