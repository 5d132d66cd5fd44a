// `npm run bench [-- --only ack,teams,start,charts,digest,evaluate,import,import-load,report,forecast,comparators,api] [--sizes 1000,10000] [--backends pglite,postgres] [--busy]`
// (`ack`: Slack's and Teams' acknowledgements; `teams`: Teams' alone)
// Prints each figure with its ratio to a floor measured in the same run (or to a limit), then the
// whole table as Markdown (for docs/contributing.md, "Benchmarks"). `--busy` runs the acknowledgement benches (ack, teams)
// with a CPU-burning process on every core.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchEvaluate } from './evaluate.ts';
import { stopClusters, type BenchBackend } from './databases.ts';
import { table } from './stats.ts';

const ALL = 'ack,start,charts,digest,evaluate,import,import-load,report,forecast,comparators,api';
const { values } = parseArgs({
  options: {
    only: { type: 'string', default: ALL },
    sizes: { type: 'string', default: '1000,10000' },
    backends: { type: 'string', default: 'pglite,postgres' },
    busy: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run bench -- [--only ${ALL}] [--sizes 1000,10000] [--backends pglite,postgres] [--busy]`);
  process.exit(0);
}
const only = new Set(values.only.split(','));
const sizes = values.sizes.split(',').map(Number);
const backends = values.backends.split(',') as BenchBackend[];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();

try {
  if (only.has('ack')) {
    console.log(`Slack acknowledgement latency${values.busy ? ', busy neighbour' : ''}`);
    const { benchAck } = await import('./ack.ts');
    await benchAck({ busy: values.busy });
  }
  if (only.has('ack') || only.has('teams')) {
    console.log(`Teams acknowledgement latency${values.busy ? ', busy neighbour' : ''}`);
    const { benchTeams } = await import('./ack.ts');
    await benchTeams({ busy: values.busy });
  }
  if (only.has('start')) {
    console.log('Start-up');
    const { benchStart } = await import('./start.ts');
    await benchStart();
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
  if (only.has('import-load')) {
    console.log('Huge spreadsheets shared with the bot while others use it');
    const { benchImportLoad } = await import('./import-load.ts');
    await benchImportLoad();
  }
  if (only.has('forecast')) {
    console.log('Year-end forecast, back-tested');
    const { benchForecast } = await import('./forecast.ts');
    await benchForecast();
  }
  if (only.has('comparators')) {
    console.log('Benchmarks against other councils');
    const { benchComparators } = await import('./comparators.ts');
    for (const b of backends) await benchComparators(b);
  }
  if (only.has('api')) {
    console.log('Values through the HTTP API, against the chat submit path');
    const { benchApi } = await import('./api.ts');
    for (const b of backends) await benchApi(b);
  }
  if (only.has('report')) {
    console.log('Quarterly report');
    const { benchReport } = await import('./report.ts');
    await benchReport();
  }
  console.log(`\n${table()}\n\n(node ${process.version}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}; load average ${loadBefore} before, ${load()} after)`);
} finally {
  stopClusters();
}
process.exit(0);
