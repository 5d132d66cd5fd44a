// Microsoft Teams, as the registry (src/platforms/index.ts) knows it. The Teams SDK is loaded only
// when Teams is configured.
import { definePlatform, type Platform } from '../core/platform.ts';
import { teamsAbout } from '../../catalogue/teams.ts';
import { FORCE_HELP, OUT_HELP } from '../../cli/output.ts';
import { teamsSettings, type TeamsConfig } from './settings.ts';

/** Teams' own requests (a member look-up, a send) are given up after this. */
const TEAMS_CALL_TIMEOUT_MS = 30_000;

function publicUrlOf(ctx: { publicUrl: string | undefined }): string {
  if (!ctx.publicUrl) throw new Error('Teams needs KPI_PUBLIC_URL (checked with the configuration)');
  return ctx.publicUrl;
}

export const teams: Platform<'teams', TeamsConfig> = definePlatform({
  ...teamsAbout,
  settings: teamsSettings,
  callTimeoutMs: () => TEAMS_CALL_TIMEOUT_MS,
  describe: () => 'http /api/messages',
  async outbound(config, ctx) {
    const [{ createTeamsApp }, { createTeamsOutbound }] = await Promise.all([import('./sdk.ts'), import('./outbound.ts')]);
    return createTeamsOutbound(createTeamsApp(config, null, ctx.log), config, { ...ctx, publicUrl: publicUrlOf(ctx) }).kit;
  },
  async connect(config, ctx) {
    const { connectTeams } = await import('./transport.ts');
    return connectTeams({ ...ctx, config, publicUrl: publicUrlOf(ctx) });
  },
  cli(program, chat) {
    program
      .command('teams-package')
      .description('write the Microsoft Teams app package (manifest.json and icons, zipped) to upload in Teams')
      .option('--out <path>', OUT_HELP('zip', '<KPI_OUT_DIR>/kpi-bot-teams.zip'))
      .option('--force', FORCE_HELP)
      .option('--app-id <guid>', 'the bot’s Microsoft app id (default: TEAMS_APP_ID)')
      .option('--public-url <url>', 'the https address Teams reaches the bot at (default: KPI_PUBLIC_URL)')
      .option('--developer <name>', 'the developer name Teams shows (default: "Performance team")')
      .action(async (opts: { out?: string; force?: boolean; appId?: string; publicUrl?: string; developer?: string }) => {
        const { writeTeamsPackage } = await import('./package.ts');
        const out = await writeTeamsPackage({ ...opts, commands: chat.commands });
        process.stdout.write(`${out}\n`);
      });
  },
});
