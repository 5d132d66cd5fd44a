// Just enough PDF reading for tests (no PDF library): the page count from the page objects, and the
// bookmark (outline) titles and document title, which Chromium writes as plain PDF strings.
export interface PdfFacts {
  pages: number;
  titles: string[];
}

function pdfString(raw: string): string {
  if (raw.startsWith('<')) {
    const hex = raw.slice(1, -1).replace(/\s+/g, '');
    const bytes = Buffer.from(hex, 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  return raw.slice(1, -1).replace(/\\([()\\])/g, '$1');
}

export function pdfFacts(bytes: Uint8Array): PdfFacts {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.startsWith('%PDF-') || !text.trimEnd().endsWith('%%EOF')) throw new Error('not a complete PDF file');
  const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const titles = [...text.matchAll(/\/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]+>)/g)].map((m) => pdfString(m[1]!));
  return { pages, titles };
}
