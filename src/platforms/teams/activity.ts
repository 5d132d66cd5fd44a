// What Teams sends, checked at the edge with zod: the activity as the routes read it, the data a
// card's buttons carry, a type-ahead query; and the two readings every route needs — the command
// typed (mentions stripped) and the tenant the activity is from.
import { stripMentionsText } from '@microsoft/teams.api';
import { z } from 'zod';
import { attachmentSchema } from './incoming-files.ts';

const account = z.looseObject({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() });
export const activitySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  name: z.string().optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  serviceUrl: z.string(),
  replyToId: z.string().optional(),
  from: account,
  recipient: account,
  conversation: z.looseObject({ id: z.string(), conversationType: z.string().optional(), tenantId: z.string().optional(), name: z.string().optional() }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string() }).optional(),
      channel: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
      team: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
    })
    .optional(),
  entities: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), mentioned: account.optional() })).optional(),
  membersAdded: z.array(account).optional(),
  attachments: z.array(attachmentSchema).optional(),
});
export type Activity = z.infer<typeof activitySchema>;

const formSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  state: z.string(),
  fields: z.array(z.looseObject({ id: z.string(), label: z.string(), kind: z.string() })),
});
export const actionDataSchema = z.union([
  z.looseObject({ kpi: z.literal('action'), id: z.string(), value: z.string() }),
  z.looseObject({ kpi: z.literal('form'), ref: z.string().regex(/^[A-Za-z0-9_-]{22}$/), page: z.number().int().min(0).max(99), go: z.enum(['submit', 'next', 'back']) }),
  // Cards sent before forms were stored carry the whole form; they still work.
  z.looseObject({ kpi: z.literal('form'), form: formSchema }),
  z.looseObject({ kpi: z.literal('cancel'), ref: z.string().optional() }),
]);
export const searchSchema = z.looseObject({
  queryText: z.string().default(''),
  dataset: z.string().default(''),
  queryOptions: z.looseObject({ top: z.number().int().positive().optional(), skip: z.number().int().min(0).optional() }).optional(),
});

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The command typed: the bot's own @mention removed (the SDK's helper), other mentions kept as names, no HTML. */
export function commandText(a: Pick<Activity, 'text' | 'entities' | 'recipient'>): string {
  const entities = (a.entities ?? []).filter((e) => e.type === 'mention' && e.mentioned);
  const stripped = stripMentionsText({ type: 'message', text: a.text ?? '', entities } as unknown as Parameters<typeof stripMentionsText>[0], { accountId: a.recipient.id }) ?? '';
  const t = stripped.replace(/<at>([^<]*)<\/at>/g, '$1').replace(/<[^>]+>/g, ' ');
  return decodeEntities(t).replace(/\s+/g, ' ').trim();
}

/** The tenant an activity says it is from (both places Teams puts it must agree). */
export function tenantOf(a: { conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } }): string | null {
  const ids = [a.conversation?.tenantId, a.channelData?.tenant?.id].filter((t): t is string => typeof t === 'string' && t !== '').map((t) => t.toLowerCase());
  if (!ids.length || ids.some((t) => t !== ids[0])) return null;
  return ids[0]!;
}

