// The busy neighbour: one CPU-burning process per core, as other work on a council's shared VM
// would be. Bounded: each stops by itself after `maxMs` even if the bench dies, and `stop()` ends
// them at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

export interface BusyNeighbour {
  processes: number;
  stop(): Promise<void>;
}

export function startBusyNeighbour(maxMs = 20 * 60_000): BusyNeighbour {
  const burn = `const end = Date.now() + ${maxMs}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x * 31 + i) % 1000003; }`;
  const children: ChildProcess[] = cpus().map(() => spawn(process.execPath, ['-e', burn], { stdio: 'ignore' }));
  const kill = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', kill);
  return {
    processes: children.length,
    async stop() {
      process.off('exit', kill);
      await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); }))));
    },
  };
}
