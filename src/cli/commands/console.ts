// `kpi console`: the bot in this terminal, as `npm start` with no chat platform configured — with the
// demo's policy at start (src/demo/start.ts): an empty embedded database gets the demo, run on its own date.
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { startApp } from '../../app.ts';
import { demoStart } from '../../demo/start.ts';
import { withoutChatPlatforms } from '../../platforms/index.ts';

export function addConsoleCommand(program: Command): void {
  program
    .command('console')
    .description('talk to the bot in this terminal (as with npm start and no chat platform configured)')
    .option('--as <who>', 'speak as this person (email or name); default the first performance admin')
    .action(async (opts: { as?: string }) => {
      const config = withoutChatPlatforms(loadConfig());
      const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
      const app = await startApp({ config, log, policy: demoStart({ seedIfEmpty: config.demo }), console: { input: process.stdin, output: process.stdout, user: opts.as } });
      await app.done;
      await app.stop();
    });
}
