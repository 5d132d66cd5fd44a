// Slack, as the registry (src/platforms/index.ts) knows it. Bolt and the Web API are loaded only
// when Slack is configured.
import { definePlatform, type Platform } from '../core/platform.ts';
import { slackAbout } from '../../catalogue/slack.ts';
import { slackSettings, type SlackConfig } from './settings.ts';

export const slack: Platform<'slack', SlackConfig> = definePlatform({
  ...slackAbout,
  settings: slackSettings,
  callTimeoutMs: (c) => c.apiTimeoutMs,
  describe: (c) => (c.appToken ? 'socket mode' : 'http /slack/events'),
  async outbound(config, ctx) {
    const { createSlackOutbound } = await import('./outbound.ts');
    return createSlackOutbound(config, ctx).kit;
  },
  async connect(config, ctx) {
    const [{ createSlackTransport }, { createSlackOutbound }] = await Promise.all([import('./transport.ts'), import('./outbound.ts')]);
    const outbound = createSlackOutbound(config, ctx);
    return { kit: outbound.kit, listen: (l) => createSlackTransport({ ...ctx, ...l, config, outbound }) };
  },
});
