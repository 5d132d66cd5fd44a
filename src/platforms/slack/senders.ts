// Who sent a Slack payload, for the inbound core (../core/inbound.ts): the user id Slack gives, and
// how to find their e-mail (users.info, retried: it changes nothing) to link them at first contact.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import type { Sender } from '../core/inbound.ts';
import { slackErrorCode } from './messenger.ts';

export type SlackSenders = (userId: string | undefined, channelId?: string) => Sender;

export function slackSenders(readClient: WebClient, log: Logger): SlackSenders {
  const emailOf = (userId: string) => async () => {
    try {
      return (await readClient.users.info({ user: userId })).user?.profile?.email;
    } catch (e) {
      log.warn({ err: slackErrorCode(e) ?? (e as Error).message }, 'could not look up the Slack user');
      return null;
    }
  };
  return (userId, channelId) =>
    // Slack always says who is asking; a payload that does not is nobody's.
    typeof userId === 'string' && userId ? { userId, ...(channelId ? { channelId } : {}), emailOf: emailOf(userId) } : { userId: '', emailOf: null };
}
