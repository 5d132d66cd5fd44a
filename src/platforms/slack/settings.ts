// Slack's settings: a bot token, and the signing secret (HTTP mode) or an app-level token (Socket Mode).
import { z } from 'zod';
import { optionalString } from '../../env.ts';
import { definePlatformSettings } from '../core/settings.ts';

export interface SlackConfig {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string | undefined;
  botUserId: string | undefined;
  botId: string | undefined;
  /** How long one Web API call may take before it is abandoned (and retried). */
  apiTimeoutMs: number;
}

export const slackSettings = definePlatformSettings({
  env: {
    SLACK_BOT_TOKEN: optionalString.pipe(z.string().regex(/^xoxb-/, 'a bot token starting xoxb-').optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.pipe(z.string().regex(/^xapp-/, 'an app-level token starting xapp-').optional()),
    SLACK_API_URL: optionalString.pipe(z.url('a URL such as https://slack.com/api/').optional()),
    SLACK_BOT_USER_ID: optionalString,
    SLACK_BOT_ID: optionalString,
    SLACK_API_TIMEOUT_MS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{2,6}$/, 'milliseconds, e.g. 20000')
        .transform(Number)
        .optional(),
    ),
  },
  hint: 'SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN',
  problems(has) {
    const out = [];
    if (has('SLACK_BOT_TOKEN') && !has('SLACK_SIGNING_SECRET') && !has('SLACK_APP_TOKEN')) {
      out.push({ name: 'SLACK_SIGNING_SECRET', message: 'required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)' });
    }
    if ((has('SLACK_SIGNING_SECRET') || has('SLACK_APP_TOKEN')) && !has('SLACK_BOT_TOKEN')) {
      out.push({ name: 'SLACK_BOT_TOKEN', message: 'required when other SLACK_* credentials are set' });
    }
    return out;
  },
  read(e): SlackConfig | null {
    if (!e.SLACK_BOT_TOKEN) return null;
    return {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      botUserId: e.SLACK_BOT_USER_ID,
      botId: e.SLACK_BOT_ID,
      apiTimeoutMs: e.SLACK_API_TIMEOUT_MS ?? 20_000,
    };
  },
});
