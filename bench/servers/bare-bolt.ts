// The floor for Slack: a bare Bolt app that only acknowledges /kpi, with the bot's receiver
// settings — Bolt's own HTTP receiver, the same signing secret checked on every request, and the
// bot's ids given so Bolt makes no auth.test call.
import { App, LogLevel } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from './control.ts';

const { signingSecret } = JSON.parse(process.argv[2]!) as { signingSecret: string };
const app = new App({ token: 'xoxb-bench', signingSecret, botId: 'BBOT', botUserId: 'UBOT', logLevel: LogLevel.ERROR });
app.command('/kpi', async ({ ack }) => {
  await ack();
});
const server = (await app.start(0)) as Server;
serve((server.address() as AddressInfo).port, { stop: () => app.stop() });
