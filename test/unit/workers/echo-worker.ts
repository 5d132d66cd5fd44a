// A worker for start.test.ts: answers each message with it shouted, and where its code ran from.
import { parentPort } from 'node:worker_threads';
import { shout } from './shout.ts';

parentPort!.on('message', (m: string) => parentPort!.postMessage(shout(m, import.meta.url)));
