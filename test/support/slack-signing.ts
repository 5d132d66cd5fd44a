// Signed Slack requests for tests: v0 HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret.
import { createHmac } from 'node:crypto';

export function signSlackRequest(signingSecret: string, rawBody: string, timestampSeconds: number): Record<string, string> {
  const sig = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${sig}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

export function slashCommandBody(fields: { text: string; user_id: string; channel_id?: string; response_url: string; trigger_id?: string; command?: string }): string {
  return new URLSearchParams({
    token: 'verification-token-unused',
    team_id: 'T0COUNCIL',
    team_domain: 'council',
    channel_id: fields.channel_id ?? 'C0PERF',
    channel_name: 'performance',
    user_id: fields.user_id,
    user_name: fields.user_id.toLowerCase(),
    command: fields.command ?? '/kpi',
    text: fields.text,
    api_app_id: 'A0KPI',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? `${Date.now()}.1.abc`,
  }).toString();
}

export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
