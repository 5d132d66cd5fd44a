// drain-outbox: send what commands and jobs queued, retrying failures with back-off (src/outbox/).
// Every message is claimed as it is sent, so a tick claims no scheduled time and holds no lease: every
// process that can send drains on every tick, and after every other job.
import { defineJob, JobSkipped } from './types.ts';

export const drainOutboxJob = defineJob({
  name: 'drain-outbox',
  schedule: '* * * * *',
  describe: 'send queued messages, retrying failures with back-off',
  claimedPer: 'message',
  run: async (_deps, now, _opts, { outbox }) => {
    if (!outbox) throw new JobSkipped('no chat platform to send to in this process');
    return outbox.drain(now);
  },
});
