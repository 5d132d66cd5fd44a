// Builders for the interactive payloads Slack posts to /slack/events (see SlackHarness.interact).
export const TEAM = 'T0COUNCIL';

/** A modal's plain-text input value, as Slack nests it under the block id. */
export const textInput = (value: string) => ({ v: { type: 'plain_text_input', value } });

/** A modal's external-select value (the indicator picker). */
export const selected = (value: string | number) => ({ v: { type: 'external_select', selected_option: { value: String(value) } } });

/** A modal's checkboxes. */
export const checked = (...values: string[]) => ({ v: { type: 'checkboxes', selected_options: values.map((value) => ({ value })) } });

/** A `view_submission`: the person pressed the modal's submit button. */
/** Slack gives every interaction a trigger id of its own. */
let triggerSeq = 0;
const triggerId = (what: string) => `trig-${what}-${++triggerSeq}`;

export function viewSubmission(user: string, callbackId: string, values: Record<string, unknown>, state = '{}', channel = 'C0PERF') {
  return {
    type: 'view_submission',
    user: { id: user, team_id: TEAM },
    team: { id: TEAM },
    api_app_id: 'A0KPI',
    trigger_id: triggerId(callbackId),
    view: { id: 'V9', type: 'modal', callback_id: callbackId, private_metadata: JSON.stringify({ s: state, c: channel }), state: { values } },
  };
}

/** A `block_actions` payload: the person pressed a button in a message. */
export function buttonPress(user: string, actionId: string, value: string, opts: { channel?: string; triggerId?: string } = {}) {
  return {
    type: 'block_actions',
    user: { id: user },
    team: { id: TEAM },
    api_app_id: 'A0KPI',
    trigger_id: opts.triggerId ?? triggerId(actionId),
    channel: { id: opts.channel ?? `D${user.slice(1)}` },
    container: { type: 'message' },
    actions: [{ type: 'button', action_id: `${actionId}:0`, block_id: 'actions-0', value, action_ts: '1' }],
  };
}

/** The value of the first button with this action id in a recorded message's blocks. */
export function buttonValue(blocks: unknown, actionId: string): string | undefined {
  const elements = (blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []);
  return elements.find((e) => e.action_id?.startsWith(`${actionId}:`))?.value;
}
