// The indicator picker asks the bot as the person types (Data.Query, `application/search`): the
// results are the invoke's HTTP response.
import type { App } from '@microsoft/teams.apps';
import type { FormId } from '../../../messages/types.ts';
import { activitySchema, searchSchema } from '../activity.ts';
import { invoke } from './invoke.ts';
import type { TeamsParts } from './parts.ts';

export function routeSearch(app: App, { inbound, turns }: Pick<TeamsParts, 'inbound' | 'turns'>): void {
  app.on('card.search', async (c) => {
    const turn = turns.turnFor(activitySchema.parse(c.activity));
    const q = searchSchema.safeParse(turn.activity.value ?? {});
    const { queryText, dataset, queryOptions } = q.success ? q.data : { queryText: '', dataset: '', queryOptions: undefined };
    const [formId = 'submit', fieldId = 'indicator'] = dataset.split(':');
    const options = await inbound.options(turns.senderOf(turn), formId as FormId, fieldId, queryText);
    const skip = queryOptions?.skip ?? 0;
    const top = queryOptions?.top ?? 25;
    return invoke({ type: 'application/vnd.microsoft.search.searchResponse', value: { results: options.slice(skip, skip + top).map((o) => ({ title: o.label, value: o.value })) } }) as never;
  });
}
