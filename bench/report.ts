// The quarterly report per format: for the Trafford 2017/18 Q3 fixture (49 indicators, 12 exception
// reports) and for a generated register of 1,000 indicators. The PDF includes launching Chromium.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PrismaRepository } from '../src/repo/prisma-repository.ts';
import { importFile } from '../src/import/import.ts';
import { buildQuarterReport } from '../src/report/model.ts';
import { REPORT_FORMATS, renderReport } from '../src/report/render.ts';
import { createChartRenderer } from '../src/charts/render.ts';
import { createPdfRenderer } from '../src/report/pdf.ts';
import { benchDatabase } from './databases.ts';
import { generatedRows, toCsv } from './import.ts';
import { median, record, time } from './stats.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../test/fixtures/trafford-2017-18-q3.json');
const ACTOR = { personId: null, label: 'bench', isAdmin: true };

export async function benchReport(): Promise<void> {
  const deps = { charts: createChartRenderer(), documents: createPdfRenderer({ executablePath: '/usr/bin/chromium' }) };
  const cases: [string, string, Uint8Array, string][] = [
    ['Trafford 2017/18 Q3 (49 indicators)', 'trafford.json', readFileSync(FIXTURE), '2017/18 Q3'],
    ['1,000 generated indicators', 'bench.csv', toCsv(generatedRows(1000)), '2025/26 Q2'],
  ];
  for (const [label, name, bytes, quarter] of cases) {
    const db = await benchDatabase('pglite');
    try {
      const repo = new PrismaRepository(db.prisma);
      await importFile(repo, { name, bytes }, { dryRun: false, reason: null, actor: ACTOR, at: new Date('2026-05-01T09:00:00Z'), acceptOutliers: true });
      const model = await time(() => buildQuarterReport(repo, quarter, new Date('2026-05-01T09:00:00Z')));
      record(`report model: ${label}, ${quarter}`, model.ms, '', 'one history query for the register');
      for (const format of REPORT_FORMATS) {
        const runs: number[] = [];
        let size = 0;
        for (let i = 0; i < (format === 'pdf' ? 3 : 5); i++) {
          const r = await time(() => renderReport(model.result, format, deps));
          runs.push(r.ms);
          size = r.result.bytes.length;
        }
        record(`report ${format.toUpperCase()}: ${label}`, median(runs), '', `${Math.round(size / 1024)} KB${format === 'pdf' ? ', includes starting Chromium' : ''}`);
      }
    } finally {
      await db.close();
    }
  }
}
