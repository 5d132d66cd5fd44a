// `npm run bench [-- --only ack,teams,charts,digest,evaluate,import,report,forecast] [--sizes 1000,10000] [--backends pglite,postgres]`
// Prints each figure with its ratio to the goal, then the whole table as Markdown (for the README).
import { parseArgs } from 'node:util';
import { benchEvaluate } from './evaluate.ts';
import { stopClusters, type BenchBackend } from './databases.ts';
import { table } from './stats.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'ack,teams,charts,digest,evaluate,import,report,forecast' },
    sizes: { type: 'string', default: '1000,10000' },
    backends: { type: 'string', default: 'pglite,postgres' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm run bench -- [--only ack,teams,charts,digest,evaluate,import,report,forecast] [--sizes 1000,10000] [--backends pglite,postgres]');
  process.exit(0);
}
const only = new Set(values.only.split(','));
const sizes = values.sizes.split(',').map(Number);
const backends = values.backends.split(',') as BenchBackend[];

try {
  if (only.has('ack')) {
    console.log('Slack acknowledgement latency');
    const { benchAck } = await import('./ack.ts');
    await benchAck();
  }
  if (only.has('teams')) {
    console.log('Teams acknowledgement latency');
    const { benchTeams } = await import('./teams.ts');
    await benchTeams();
  }
  if (only.has('charts')) {
    console.log('Charts');
    const { benchCharts } = await import('./charts.ts');
    await benchCharts();
  }
  if (only.has('digest')) {
    console.log('Weekly digest');
    const { benchDigest } = await import('./digest.ts');
    await benchDigest();
  }
  if (only.has('evaluate')) {
    console.log('evaluate-statuses');
    for (const b of backends) await benchEvaluate(b, sizes);
  }
  if (only.has('import')) {
    console.log('kpi import');
    const { benchImport } = await import('./import.ts');
    for (const b of backends) await benchImport(b, sizes);
  }
  if (only.has('forecast')) {
    console.log('Year-end forecast, back-tested');
    const { benchForecast } = await import('./forecast.ts');
    await benchForecast();
  }
  if (only.has('report')) {
    console.log('Quarterly report');
    const { benchReport } = await import('./report.ts');
    await benchReport();
  }
  console.log(`\n${table()}\n\n(node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString().slice(0, 10)})`);
} finally {
  stopClusters();
}
process.exit(0);
