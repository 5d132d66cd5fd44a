// Each messenger reads its own platform's failures; the outbox only acts on what they mean.
import { describe, expect, it } from 'vitest';
import { genericFailure } from '../../../src/outbox/failure.ts';
import { slackFailure } from '../../../src/platforms/slack/messenger.ts';
import { teamsFailure } from '../../../src/platforms/teams/messenger.ts';
import { TeamsApiError } from '../../../src/platforms/teams/retry.ts';

const slackError = (over: object) => Object.assign(new Error('An API error occurred'), over);
const httpFailure = (status: number, headers: Record<string, string> = {}) => Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, headers } });

describe('what a failed delivery means', () => {
  it('Slack: answers about the channel, user or payload are permanent', () => {
    for (const error of ['channel_not_found', 'is_archived', 'invalid_blocks', 'msg_too_long', 'invalid_auth']) {
      expect(slackFailure(slackError({ code: 'slack_webapi_platform_error', data: { ok: false, error } })), error).toEqual({ kind: 'permanent' });
    }
  });
  it('Slack: a request lost on the way or a 5xx may have posted; any other platform error is worth another try', () => {
    expect(slackFailure(slackError({ code: 'slack_webapi_request_error' }))).toEqual({ kind: 'transient', outcomeUnknown: true });
    expect(slackFailure(slackError({ code: 'slack_webapi_http_error', statusCode: 503 }))).toEqual({ kind: 'transient', outcomeUnknown: true });
    expect(slackFailure(slackError({ code: 'slack_webapi_platform_error', data: { ok: false, error: 'internal_error' } }))).toEqual({ kind: 'transient', outcomeUnknown: false });
  });
  it('Slack: a 429 waits for its Retry-After', () => {
    expect(slackFailure(slackError({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 }))).toEqual({ kind: 'rate-limited', retryAfterSeconds: 7 });
  });
  it('Teams: 400, 401, 403, 404 and 413 are permanent; a 502 after the connector’s own retries is not', () => {
    for (const status of [400, 401, 403, 404, 413]) expect(teamsFailure(new TeamsApiError('post', httpFailure(status))), String(status)).toEqual({ kind: 'permanent' });
    expect(teamsFailure(new TeamsApiError('post', httpFailure(502)))).toEqual({ kind: 'transient', outcomeUnknown: false });
  });
  it('any platform: a timeout or a broken connection may have done the work', () => {
    expect(genericFailure(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }))).toEqual({ kind: 'transient', outcomeUnknown: true });
    expect(genericFailure(new Error('read ECONNRESET'))).toEqual({ kind: 'transient', outcomeUnknown: true });
    expect(genericFailure(new Error('something else'))).toEqual({ kind: 'transient', outcomeUnknown: false });
  });
});
