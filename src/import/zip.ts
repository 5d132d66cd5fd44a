// Reading an XLSX's ZIP archive without trusting it: the central directory gives each part's name and
// the size it says it unpacks to, so an archive that says it unpacks to more than the import reads
// (a zip bomb) is refused before anything is inflated; a part is then inflated as a stream, in
// chunks, and stopped the moment it gives more than it said. Nothing is inflated whole.
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** What the central directory says it unpacks to (a ZIP64 size is read from its extra field). */
  uncompressedSize: number;
  /** Where its local header starts. */
  offset: number;
}

/** The archive cannot be read as a ZIP (the message says why, for the person's answer). */
export class ZipFormatError extends Error {}

/** The part gave more bytes than allowed (what it declared, or what is left of the budget). */
export class ZipOverflowError extends Error {}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/** The archive's parts, from its central directory. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const v = view(bytes);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError('it is not a ZIP archive (no central directory)');
  let count = v.getUint16(end + 10, true);
  let size = v.getUint32(end + 12, true);
  let start = v.getUint32(end + 16, true);
  if ((count === 0xffff || size === MAX32 || start === MAX32) && end >= 20 && v.getUint32(end - 20, true) === EOCD64_LOCATOR) {
    const at = u64(v, end - 12);
    if (at + 56 > bytes.length) throw new ZipFormatError('its ZIP64 directory is outside the file');
    count = u64(v, at + 32);
    size = u64(v, at + 40);
    start = u64(v, at + 48);
  }
  if (start + size > bytes.length) throw new ZipFormatError('its central directory is outside the file');
  const entries: ZipEntry[] = [];
  let p = start;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== CENTRAL) throw new ZipFormatError('its central directory is damaged');
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    const entry: ZipEntry = {
      name: Buffer.from(bytes.subarray(p + 46, p + 46 + nameLength)).toString('utf8'),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      uncompressedSize: v.getUint32(p + 24, true),
      offset: v.getUint32(p + 42, true),
    };
    // ZIP64: the sizes and offset that do not fit 32 bits are in extra field 1, in this order.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = v.getUint16(x, true);
      const len = v.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        const next = () => {
          const value = q + 8 <= x + 4 + len ? u64(v, q) : MAX32;
          q += 8;
          return value;
        };
        if (entry.uncompressedSize === MAX32) entry.uncompressedSize = next();
        if (entry.compressedSize === MAX32) entry.compressedSize = next();
        if (entry.offset === MAX32) entry.offset = next();
      }
      x += 4 + len;
    }
    entries.push(entry);
    p = extraEnd + commentLength;
  }
  return entries;
}

/** What the archive says it unpacks to, all parts together. */
export const declaredSize = (entries: ZipEntry[]): number => entries.reduce((n, e) => n + e.uncompressedSize, 0);

const CHUNK = 64 * 1024;

/**
 * A part's bytes as they are inflated, in chunks of at most 64 KB. Throws ZipOverflowError as soon as
 * it gives more than it declared or more than `budget.left` (which it counts down).
 */
export async function* entryChunks(bytes: Uint8Array, entry: ZipEntry, budget: { left: number }): AsyncGenerator<Uint8Array> {
  const v = view(bytes);
  if (entry.offset + 30 > bytes.length || v.getUint32(entry.offset, true) !== LOCAL) throw new ZipFormatError(`its part ${entry.name} is damaged`);
  const from = entry.offset + 30 + v.getUint16(entry.offset + 26, true) + v.getUint16(entry.offset + 28, true);
  if (from + entry.compressedSize > bytes.length) throw new ZipFormatError(`its part ${entry.name} is cut short`);
  const data = bytes.subarray(from, from + entry.compressedSize);
  let given = 0;
  const count = (n: number) => {
    given += n;
    budget.left -= n;
    if (given > entry.uncompressedSize || budget.left < 0) throw new ZipOverflowError(entry.name);
  };
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += CHUNK) {
      const chunk = data.subarray(i, i + CHUNK);
      count(chunk.length);
      yield chunk;
    }
    return;
  }
  if (entry.method !== 8) throw new ZipFormatError(`its part ${entry.name} is compressed in a way I cannot read (method ${entry.method})`);
  const source = Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
    })(),
    { objectMode: false },
  );
  const inflate = createInflateRaw({ chunkSize: CHUNK });
  source.pipe(inflate);
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      count(chunk.length);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof ZipOverflowError) throw e;
    throw new ZipFormatError(`its part ${entry.name} cannot be unpacked (${(e as Error).message})`);
  } finally {
    source.destroy();
    inflate.destroy();
  }
}
