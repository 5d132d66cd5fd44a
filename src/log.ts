// One structured logger (pino). Secrets never reach the log: known secret fields are redacted,
// and callers log ids and counts, never tokens or request bodies.
import { pino, type Logger } from 'pino';
import { SECRET_HEADERS } from './catalogue/platforms.ts';

export type { Logger };

const REDACT = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.appPassword',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  ...SECRET_HEADERS.map((h) => `*.headers["${h}"]`),
  'token',
  'botToken',
  'signingSecret',
  'password',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'kpi-bot' } }, destination);
}

/** A logger that writes nothing, for tests and one-shot CLI commands. */
export const silentLogger: Logger = pino({ level: 'silent' });
