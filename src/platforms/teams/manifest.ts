// The Teams app package a Teams admin uploads: manifest.json (schema 1.19) naming the bot and its
// command list (from the same subcommands Slack's /kpi has, handed in by the CLI), and the two icons Teams requires —
// a 192×192 colour icon and a 32×32 white-on-transparent outline — drawn here with canvas.
// The manifest is checked against the rules Teams enforces on upload before the zip is written.
import { createCanvas } from 'canvas';
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { TEAMS_BOT_NAME } from '../../catalogue/teams.ts';
import type { ChatCommandSummary } from '../core/platform.ts';

export const MANIFEST_VERSION = '1.19';
const ACCENT = '#1F3A5F';

const httpsUrl = z.url({ protocol: /^https$/, error: 'an https:// URL' }).max(2048);
const scope = z.enum(['personal', 'team', 'groupChat']);

/** What Teams checks on upload (the parts this app uses). */
export const manifestSchema = z.object({
  $schema: z.string(),
  manifestVersion: z.literal(MANIFEST_VERSION),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.0.0'),
  id: z.guid('the app id is a GUID'),
  developer: z.object({ name: z.string().min(1).max(32), websiteUrl: httpsUrl, privacyUrl: httpsUrl, termsOfUseUrl: httpsUrl }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/),
  bots: z
    .array(
      z.object({
        botId: z.guid(),
        scopes: z.array(scope).min(1),
        supportsFiles: z.boolean(),
        isNotificationOnly: z.boolean(),
        commandLists: z
          .array(
            z.object({
              scopes: z.array(scope).min(1),
              commands: z.array(z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) })).min(1).max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  permissions: z.array(z.enum(['identity', 'messageTeamMembers'])),
  validDomains: z.array(z.string().regex(/^[a-z0-9.*-]+(:\d+)?$/i, 'a host name without scheme or path')).max(16),
});

export type TeamsManifest = z.infer<typeof manifestSchema>;

export interface PackageOptions {
  /** The /kpi subcommands, in the order help gives them (commands/index.ts). */
  commands: readonly ChatCommandSummary[];
  appId: string;
  publicUrl: string;
  version: string;
  developerName?: string;
}

/** The manifest, checked. Commands are the /kpi subcommands; in Teams they are typed as messages. */
export function buildManifest(o: PackageOptions): TeamsManifest {
  const site = o.publicUrl.replace(/\/+$/, '');
  // Teams lists at most 10 commands: the first nine for everyone, in the order help gives them, and help itself.
  const everyone = o.commands.filter((c) => !c.roles);
  const listed = everyone.length <= 10 ? everyone : [...everyone.filter((c) => c.name !== 'help').slice(0, 9), ...everyone.filter((c) => c.name === 'help')];
  const commands = listed.map((c) => ({ title: c.name, description: `${c.summary} (e.g. ${c.usage})`.slice(0, 128) }));
  const manifest = {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: o.version,
    id: o.appId,
    developer: { name: (o.developerName ?? 'Performance team').slice(0, 32), websiteUrl: site, privacyUrl: site, termsOfUseUrl: site },
    // The short name is what people @mention in a channel: help and hints say "@kpi show …".
    name: { short: TEAMS_BOT_NAME, full: 'kpi-bot: council performance indicators' },
    description: {
      short: 'Submit, see and chase your council’s performance indicators in Teams.',
      full:
        'kpi-bot runs the council’s performance indicators where people work. Officers submit values ("submit sickness-absence 2025/26 Q2 8.4") ' +
        'and get the new RAG status, direction of travel and a one-sentence explanation at once. Anyone can "show" an indicator with its chart, ' +
        'or "list red". The bot alerts subscribed channels when an indicator turns red, chases owners for values and exception reports, ' +
        'and sends each director a weekly digest.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT,
    bots: [
      {
        botId: o.appId,
        scopes: ['personal', 'team', 'groupChat'],
        // People send the bot a register to import in their 1:1 chat (file.download.info attachments).
        supportsFiles: true,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal', 'team', 'groupChat'], commands }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [new URL(site).host],
  };
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) throw new Error(`the Teams manifest would be refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** A rising bar chart: the colour icon on the accent colour, the outline icon in white on transparent. */
function drawIcon(size: number, outline: boolean): Buffer {
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  const s = size / 32;
  if (!outline) {
    ctx.fillStyle = ACCENT;
    ctx.fillRect(0, 0, size, size);
  }
  const bars: [number, number, string][] = [
    [5, 10, '#c62828'],
    [13, 16, '#ef8f00'],
    [21, 22, '#2e7d32'],
  ];
  const inset = outline ? 0 : 3 * s;
  const scale = outline ? 1 : 0.8;
  for (const [x, h, colour] of bars) {
    ctx.fillStyle = outline ? '#ffffff' : colour;
    ctx.fillRect(inset + x * s * scale, inset + (27 - h) * s * scale, 6 * s * scale, h * s * scale);
  }
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(inset + 3 * s * scale, inset + 27 * s * scale, 26 * s * scale, Math.max(1, s * scale));
  return canvas.toBuffer('image/png');
}

export interface TeamsPackage {
  manifest: TeamsManifest;
  zip: Uint8Array;
}

export function buildPackage(o: PackageOptions): TeamsPackage {
  const manifest = buildManifest(o);
  const zip = zipSync({
    'manifest.json': strToU8(JSON.stringify(manifest, null, 2)),
    'color.png': new Uint8Array(drawIcon(192, false)),
    'outline.png': new Uint8Array(drawIcon(32, true)),
  });
  return { manifest, zip };
}
