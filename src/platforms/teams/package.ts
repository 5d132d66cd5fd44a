// `kpi teams-package [--out PATH]` (registered by ./index.ts): the Teams app package (manifest.json + icons, zipped) for this
// bot, from TEAMS_APP_ID and KPI_PUBLIC_URL (or the flags). Upload it in Teams (Apps → Manage your
// apps → Upload an app) or the Teams admin centre. Prints the path it wrote.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../paths.ts';
import { UserError } from '../../errors.ts';
import { outputTarget, writeOutput } from '../../cli/output.ts';
import { buildPackage } from './manifest.ts';
import type { ChatCommandSummary } from '../core/platform.ts';

export interface TeamsPackageOptions {
  /** The /kpi subcommands the manifest lists. */
  commands: readonly ChatCommandSummary[];
  out?: string;
  /** Replace a file already at `out`. */
  force?: boolean;
  appId?: string;
  publicUrl?: string;
  developer?: string;
}

export async function writeTeamsPackage(opts: TeamsPackageOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  // Only what the package needs is read: it can be made before the bot has its password.
  const appId = opts.appId ?? (env.TEAMS_APP_ID?.trim() || undefined);
  const publicUrl = opts.publicUrl ?? (env.KPI_PUBLIC_URL?.trim() || undefined);
  if (!appId) throw new UserError('The package needs the bot’s app id: set TEAMS_APP_ID (or pass --app-id).');
  if (!publicUrl) throw new UserError('The package needs the address Teams reaches the bot at: set KPI_PUBLIC_URL (or pass --public-url https://…).');
  const version = (JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  let pkg;
  try {
    pkg = buildPackage({ commands: opts.commands, appId, publicUrl, version, ...(opts.developer ? { developerName: opts.developer } : {}) });
  } catch (e) {
    throw new UserError(`Cannot build the Teams package: ${(e as Error).message}.`);
  }
  const target = await outputTarget('kpi-bot-teams.zip', env.KPI_OUT_DIR?.trim() || 'out', opts);
  return (await writeOutput(target, pkg.zip)).path;
}
