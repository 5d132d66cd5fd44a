// The Teams app package: a manifest Teams accepts (checked against its rules), the bot's command
// list from the same subcommands as Slack's /kpi, and icons of the sizes Teams requires.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { loadImage, createCanvas } from 'canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTeamsPackage } from '../../../src/platforms/teams/package.ts';
import { buildManifest, manifestSchema } from '../../../src/platforms/teams/manifest.ts';
import { SLASH_COMMANDS } from '../../../commands/index.ts';
import { runCli } from '../../../src/cli/kpi.ts';

const APP_ID = '6c2f1e0a-3b7d-4c55-9a1e-0b5e4f7d2a10';
const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-teams-pkg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pixels(png: Uint8Array) {
  const img = await loadImage(Buffer.from(png));
  const c = createCanvas(img.width, img.height);
  c.getContext('2d').drawImage(img, 0, 0);
  return { width: img.width, height: img.height, data: c.getContext('2d').getImageData(0, 0, img.width, img.height).data };
}

describe('teams-package', () => {
  it('writes a zip with a valid manifest, the command list and both icons, and returns its path', async () => {
    const out = await writeTeamsPackage({ out: path.join(dir, 'app.zip'), commands: SLASH_COMMANDS }, { TEAMS_APP_ID: APP_ID, KPI_PUBLIC_URL: 'https://kpi.example.gov.uk/' });
    expect(out).toBe(path.join(dir, 'app.zip'));
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = manifestSchema.parse(JSON.parse(strFromU8(files['manifest.json']!)));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
    // Without it Teams offers no way to attach a file in the 1:1 chat, and sends the bot none.
    expect(manifest.bots[0]!.supportsFiles).toBe(true);
    expect(manifest.validDomains).toEqual(['kpi.example.gov.uk']);
    // Teams takes at most ten: the first nine for everyone, and help.
    const everyone = SLASH_COMMANDS.filter((c) => !c.roles).map((c) => c.name);
    const titles = manifest.bots[0]!.commandLists[0]!.commands.map((c) => c.title);
    expect(titles).toEqual(everyone.length <= 10 ? everyone : [...everyone.filter((n) => n !== 'help').slice(0, 9), 'help']);
    const color = await pixels(files['color.png']!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = await pixels(files['outline.png']!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // Teams: the outline icon is white on a transparent background, nothing else.
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i]!, outline.data[i + 1]!, outline.data[i + 2]!, outline.data[i + 3]!];
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
    }
  });

  it('refuses what Teams would refuse, saying what is wrong', () => {
    expect(() => buildManifest({ commands: SLASH_COMMANDS, appId: 'not-a-guid', publicUrl: 'https://kpi.example.gov.uk', version: '0.1.0' })).toThrow(/id: the app id is a GUID/);
    expect(() => buildManifest({ commands: SLASH_COMMANDS, appId: APP_ID, publicUrl: 'http://kpi.example.gov.uk', version: '0.1.0' })).toThrow(/websiteUrl: an https:\/\/ URL/);
  });

  it('exits non-zero with a clear message when the app id or address is missing', async () => {
    const saved = { id: process.env.TEAMS_APP_ID, url: process.env.KPI_PUBLIC_URL };
    delete process.env.TEAMS_APP_ID;
    delete process.env.KPI_PUBLIC_URL;
    const write = process.stderr.write;
    let err = '';
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['teams-package', '--out', path.join(dir, 'x.zip')])).toBe(1);
      expect(await runCli(['teams-package', '--app-id', APP_ID, '--out', path.join(dir, 'x.zip')])).toBe(1);
    } finally {
      process.stderr.write = write;
      if (saved.id !== undefined) process.env.TEAMS_APP_ID = saved.id;
      if (saved.url !== undefined) process.env.KPI_PUBLIC_URL = saved.url;
    }
    expect(err).toContain('TEAMS_APP_ID');
    expect(err).toContain('KPI_PUBLIC_URL');
  });

  it('writes into a directory given as --out under its own name, and keeps a file already there unless --force', async () => {
    const write = process.stderr.write;
    let err = '';
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    const args = ['teams-package', '--app-id', APP_ID, '--public-url', 'https://kpi.example.gov.uk'];
    const into = path.join(dir, 'packages');
    mkdirSync(into);
    const zip = path.join(into, 'kpi-bot-teams.zip');
    try {
      expect(await runCli([...args, '--out', into])).toBe(0);
      expect(Object.keys(unzipSync(readFileSync(zip)))).toContain('manifest.json');
      writeFileSync(zip, 'the package Teams already has');
      expect(await runCli([...args, '--out', into])).toBe(1);
      expect(await runCli([...args, '--out', zip])).toBe(1);
      expect(readFileSync(zip, 'utf8')).toBe('the package Teams already has');
      expect(err).toContain(`kpi: ${zip} already exists: it was kept. Add --force to replace it, or give another --out.`);
      expect(await runCli([...args, '--out', zip, '--force'])).toBe(0);
      expect(Object.keys(unzipSync(readFileSync(zip)))).toContain('manifest.json');
      err = '';
      expect(await runCli([...args, '--out', path.join(zip, 'app.zip')])).toBe(1);
      expect(err).toBe(`kpi: Cannot write ${path.join(zip, 'app.zip')}: part of the path is a file, not a directory.\n`);
    } finally {
      process.stderr.write = write;
    }
    expect(err).not.toContain('unexpected error');
  });
});
