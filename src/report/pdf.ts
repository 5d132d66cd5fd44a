// PDF from the report's HTML with a real browser engine: Debian's Chromium driven by playwright-core
// (no browser download). One browser per document, closed afterwards: reports are rare, and no
// Chromium process outlives the work. playwright-core is loaded with the first report, not at start.
import type { DocumentRenderer } from '../ports.ts';

/** Flags for a headless Chromium that makes no network calls of its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const footerCss = 'font-family: DejaVu Sans, Arial, sans-serif; font-size: 7.5px; color: #555; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;';
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function createPdfRenderer(opts: { executablePath: string; timeoutMs?: number }): DocumentRenderer {
  return {
    async pdf(html, { footer }) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: opts.executablePath, args: CHROMIUM_ARGS, timeout: opts.timeoutMs ?? 30_000 });
      try {
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
        const page = await context.newPage();
        // Self-contained: nothing may be fetched (images are data URIs).
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
        await page.setContent(html, { waitUntil: 'load', timeout: opts.timeoutMs ?? 30_000 });
        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: '<div></div>',
          footerTemplate: `<div style="${footerCss}"><span>${escape(footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
          tagged: true,
          outline: true,
        });
        await context.close();
        return new Uint8Array(pdf);
      } finally {
        await browser.close();
      }
    },
  };
}
