// The indicator picker asks the bot as the person types (Data.Query, `application/search`): the
// results are the invoke's HTTP response.
import type { App } from '@microsoft/teams.apps';
import type { FormId } from '../../../messages/types.ts';
import { activitySchema, searchSchema } from '../activity.ts';
import type { TeamsContext } from '../context.ts';
import { invoke } from './invoke.ts';

export function routeSearch(app: App, ctx: TeamsContext): void {
  app.on('card.search', async (c) => {
    const turn = await ctx.turnFor(activitySchema.parse(c.activity));
    const q = searchSchema.safeParse(turn.activity.value ?? {});
    const { queryText, dataset, queryOptions } = q.success ? q.data : { queryText: '', dataset: '', queryOptions: undefined };
    const [formId = 'submit', fieldId = 'indicator'] = dataset.split(':');
    const result = await ctx.dispatcher.options(turn.actor, formId as FormId, fieldId, queryText);
    const options = result.kind === 'options' ? result.options : [];
    const skip = queryOptions?.skip ?? 0;
    const top = queryOptions?.top ?? 25;
    return invoke({ type: 'application/vnd.microsoft.search.searchResponse', value: { results: options.slice(skip, skip + top).map((o) => ({ title: o.label, value: o.value })) } }) as never;
  });
}
