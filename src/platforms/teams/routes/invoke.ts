// The answers an invoke gets in its HTTP response: a card in place of the one clicked, a toast, search results.
import type { InvokeResponse } from '@microsoft/teams.api';
import type { AdaptiveCard } from '../cards.ts';

export const invoke = (body: unknown): InvokeResponse => ({ status: 200, body }) as InvokeResponse;
export const cardResponse = (card: AdaptiveCard): InvokeResponse => invoke({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
export const toastResponse = (text: string): InvokeResponse => invoke({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
