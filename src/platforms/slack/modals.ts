// Slack's modal views: a form as a modal, and a modal that only says something (the answer to a
// form sent after its acknowledgement).
import type { Form, Message } from '../../messages/types.ts';
import { toBlocks, toModal } from './blocks.ts';
import type { SlackMessenger } from './messenger.ts';

export interface SlackModals {
  /** A form as a modal view. */
  modal(form: Form, channelId: string | undefined): Promise<Record<string, unknown>>;
  /** A modal that only says something. */
  messageModal(title: string, msg: Message): Promise<Record<string, unknown>>;
}

export function slackModals(messenger: Pick<SlackMessenger, 'mentions'>): SlackModals {
  return {
    async modal(form, channelId) {
      return toModal(form, await messenger.mentions({ text: '', blocks: form.intro ?? [] }), channelId ? { c: channelId } : {});
    },
    async messageModal(title, msg) {
      return { type: 'modal', title: { type: 'plain_text', text: title.slice(0, 24) }, close: { type: 'plain_text', text: 'Close' }, blocks: toBlocks(msg, await messenger.mentions(msg), { withActions: false }) };
    },
  };
}
