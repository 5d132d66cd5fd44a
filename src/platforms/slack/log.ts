// Bolt's and the Web API client's log lines go to our logger (so secrets are redacted and levels respected).
import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../log.ts';

export function boltLogger(log: Logger): BoltLogger {
  const l = log.child({ component: 'bolt' });
  let level = 'info' as LogLevel;
  return {
    debug: (...m: unknown[]) => l.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => l.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => l.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => l.error(m.map(String).join(' ')),
    setLevel: (lv: LogLevel) => {
      level = lv;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
