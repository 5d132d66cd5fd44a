// A file sent to the bot is never read past the import limit, and is refused in the same words on every platform.
import { describe, expect, it } from 'vitest';
import { readAtMost } from '../../../src/platforms/core/downloads.ts';
import { ValidationError } from '../../../src/errors.ts';

const streamOf = (chunks: number[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const n of chunks) c.enqueue(new Uint8Array(n));
      c.close();
    },
  });

describe('reading a file a person sent', () => {
  it('reads a file within the limit whole', async () => {
    expect((await readAtMost(new Response(streamOf([3, 4])), 'register.csv', 10)).length).toBe(7);
  });
  it('refuses at once when the platform says it is too large', async () => {
    const res = new Response(streamOf([1]), { headers: { 'content-length': String(60 * 2 ** 20) } });
    await expect(readAtMost(res, 'huge.csv')).rejects.toThrow(new ValidationError('huge.csv is over 50 MB, the most I import.'));
  });
  it('stops reading once the body passes the limit, whatever Content-Length said', async () => {
    await expect(readAtMost(new Response(streamOf([2 ** 20, 2 ** 20, 2 ** 20])), 'huge.csv', 2 * 2 ** 20)).rejects.toThrow('huge.csv is over 2 MB, the most I import.');
  });
});
