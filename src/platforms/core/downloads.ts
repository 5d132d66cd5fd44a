// Reading a file a person sent the bot, on any platform: no more than the import limit is ever
// read, whatever the platform's Content-Length says, and the person hears the one answer for a file
// too large (src/import/import.ts).
import { MAX_IMPORT_BYTES, fileTooLarge } from '../../import/import.ts';

/** The body, or a user error as soon as it is longer than `max` (whatever Content-Length says). */
export async function readAtMost(res: Response, name: string, max: number = MAX_IMPORT_BYTES): Promise<Uint8Array> {
  const tooBig = () => fileTooLarge(name, max);
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    throw tooBig();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > max) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
