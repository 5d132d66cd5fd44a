// Type-ahead for the indicator picker (external select): the options go in the acknowledgement.
import type { App } from '@slack/bolt';
import type { FormId } from '../../../messages/types.ts';
import type { SlackParts } from './parts.ts';

export function mountOptions(app: App, { inbound, sender }: Pick<SlackParts, 'inbound' | 'sender'>): void {
  app.options(/.*/, async ({ ack, body }) => {
    const b = body as unknown as { user: { id: string }; block_id: string; value: string; view?: { callback_id: string } };
    const options = await inbound.options(sender(b.user.id), (b.view?.callback_id ?? 'submit') as FormId, b.block_id, b.value ?? '');
    await ack({ options: options.slice(0, 100).map((o) => ({ text: { type: 'plain_text', text: o.label.slice(0, 75) }, value: o.value })) });
  });
}
