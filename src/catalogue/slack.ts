// Slack as data (no SDK): its name, how people write its channel and user ids.
import type { PlatformAbout } from './about.ts';

export const slackAbout: PlatformAbout<'slack'> = {
  name: 'slack',
  label: 'Slack',
  channel: { pattern: /^[CG][A-Z0-9]{6,}$/, example: 'C0123ABCD (Slack: the channel’s details, at the bottom)' },
  secretHeaders: ['x-slack-signature'],
  identity: { columns: ['slack id', 'slack user id', 'slack user', 'slack'], pattern: /^[UW][A-Z0-9]{2,}$/, invalid: 'expected a Slack user id such as U012AB3CD' },
};
