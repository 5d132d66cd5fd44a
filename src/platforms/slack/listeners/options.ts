// Type-ahead for the indicator picker (external select): the options go in the acknowledgement.
import type { App } from '@slack/bolt';
import type { FormId } from '../../../messages/types.ts';
import type { SlackContext } from '../context.ts';

export function registerOptions(app: App, ctx: SlackContext): void {
  app.options(/.*/, async ({ ack, body }) => {
    const b = body as unknown as { user: { id: string }; block_id: string; value: string; view?: { callback_id: string } };
    const actor = await ctx.actorFor(b.user.id).catch(() => ({ platform: 'slack' as const, userId: b.user.id, person: null }));
    const result = await ctx.dispatcher.options(actor, (b.view?.callback_id ?? 'submit') as FormId, b.block_id, b.value ?? '');
    const options = result.kind === 'options' ? result.options : [];
    await ack({ options: options.slice(0, 100).map((o) => ({ text: { type: 'plain_text', text: o.label.slice(0, 75) }, value: o.value })) });
  });
}
