// Alerting's notification stage alone: a change in one channel becomes a post, an edit with a thread
// note, a note under an earlier post, a recovery post, or nothing — by what was queued before.
import { describe, expect, it } from 'vitest';
import { notify, type LivingAlert } from '../../../src/alerting/notification.ts';
import { message } from '../../../src/messages/build.ts';

const alert = (over: Partial<LivingAlert> = {}): LivingAlert => ({
  to: { platform: 'slack', channelId: 'CPERF' },
  prefix: 'alert',
  living: 'alert:7:2017/18 Q4:slack:CPERF',
  suffix: '41:slack:CPERF',
  opens: false,
  recovered: false,
  earlier: null,
  recoveryPosts: false,
  message: (updated) => message(updated ? 'edited' : 'posted'),
  note: () => message('what changed'),
  ...over,
});
const queued = (...keys: string[]) => async (k: string) => keys.includes(k);
const shape = (n: Awaited<ReturnType<typeof notify>>) => [n.effect, ...n.items.map((i) => `${i.action ?? 'post'} ${i.key} ${i.parentKey ?? '-'} ${i.purpose} "${i.message.text}"`)];

describe('notification', () => {
  it('posts the living alert for a change the channel asked for', async () => {
    expect(shape(await notify(alert({ opens: true }), queued()))).toEqual(['post', 'post alert:7:2017/18 Q4:slack:CPERF - alert "posted"']);
  });

  it('edits the living post and notes the change in its thread once there is one, whatever the change', async () => {
    const expected = ['update', 'update alert-update:41:slack:CPERF alert:7:2017/18 Q4:slack:CPERF alert-update "edited"', 'reply alert-reply:41:slack:CPERF alert:7:2017/18 Q4:slack:CPERF alert-reply "what changed"'];
    expect(shape(await notify(alert({ opens: true }), queued('alert:7:2017/18 Q4:slack:CPERF')))).toEqual(expected);
    expect(shape(await notify(alert(), queued('alert:7:2017/18 Q4:slack:CPERF')))).toEqual(expected);
  });

  it('says nothing of a change the channel did not ask for while there is no post', async () => {
    expect(shape(await notify(alert(), queued()))).toEqual(['none']);
  });

  it('says a recovery under the earlier post, or in a post of its own where the channel asked for recoveries', async () => {
    const recovery = alert({ recovered: true, earlier: 'alert:7:2017/18 Q3:slack:CPERF', prefix: 'action-alert' });
    expect(shape(await notify(recovery, queued('alert:7:2017/18 Q3:slack:CPERF')))).toEqual(['update', 'reply action-alert-reply:41:slack:CPERF alert:7:2017/18 Q3:slack:CPERF alert-reply "what changed"']);
    expect(shape(await notify(recovery, queued()))).toEqual(['none']);
    expect(shape(await notify({ ...recovery, recoveryPosts: true }, queued()))).toEqual(['post', 'post action-alert-recovered:41:slack:CPERF - alert "posted"']);
  });
});
