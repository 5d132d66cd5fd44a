// bin/install-node (run by bin/setup): a supported Node.js into a prefix when the node on PATH is
// older. Run here against package tarballs made on the spot (KPI_NODE_TARBALL, KPI_NPM_TARBALL) and a
// prefix in a temporary directory (KPI_NODE_PREFIX): no registry, and the machine's node untouched.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../../bin/install-node');
const tmp = mkdtempSync(path.join(tmpdir(), 'kpi-install-node-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in `node` of the given major version: answers --version and the script's version probe. */
const fakeNode = (major: number) => `#!/bin/sh\ncase "$1" in --version) echo v${major}.9.0 ;; -e) printf ${major} ;; *) exec sh "$@" ;; esac\n`;

/** A package tarball as `npm pack` writes it: everything under package/. */
function tarball(name: string, files: Record<string, string>, executable: string[] = []): string {
  const dir = path.join(tmp, `src-${name}`);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'package', f)), { recursive: true });
    writeFileSync(path.join(dir, 'package', f), text);
  }
  for (const f of executable) chmodSync(path.join(dir, 'package', f), 0o755);
  const out = path.join(tmp, `${name}.tgz`);
  const tar = spawnSync('tar', ['-czf', out, '-C', dir, 'package']);
  expect(tar.status).toBe(0);
  return out;
}

const nodeTarball = (name: string, major: number) =>
  tarball(name, { 'bin/node': fakeNode(major), 'include/node/node_version.h': `#define NODE_MAJOR_VERSION ${major}\n`, 'share/man/man1/node.1': '' }, ['bin/node']);
const npmTarball = () => tarball('npm', { 'bin/npm-cli.js': 'echo 11.0.0\n', 'bin/npx-cli.js': 'echo 11.0.0\n', 'package.json': '{"name":"npm"}' }, ['bin/npm-cli.js', 'bin/npx-cli.js']);

/** A PATH whose node is the machine's old one (a stand-in of the given major), then the system's tools. */
function pathWithNode(major: number): string {
  const dir = path.join(tmp, `path-node${major}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'node'), fakeNode(major));
  chmodSync(path.join(dir, 'node'), 0o755);
  return `${dir}:/usr/bin:/bin`;
}

function run(env: Record<string, string>) {
  const r = spawnSync('bash', [SCRIPT], { env: { HOME: tmp, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe('bin/install-node', () => {
  const prefix = path.join(tmp, 'prefix');
  const node24 = nodeTarball('node24', 24);
  const npm = npmTarball();

  it('installs node, its headers and npm into the prefix when the node on PATH is older, and prints the prefix', () => {
    const r = run({ PATH: pathWithNode(20), KPI_NODE_PREFIX: prefix, KPI_NODE_TARBALL: node24, KPI_NPM_TARBALL: npm });
    expect(r.stderr).toContain('installed Node.js v24.9.0 and npm 11.0.0');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(prefix);
    expect(spawnSync(path.join(prefix, 'bin/node'), ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe('v24.9.0');
    expect(readFileSync(path.join(prefix, 'include/node/node_version.h'), 'utf8')).toContain('NODE_MAJOR_VERSION 24');
    expect(realpathSync(path.join(prefix, 'bin/npm'))).toBe(path.join(realpathSync(prefix), 'lib/node_modules/npm/bin/npm-cli.js'));
    expect(existsSync(path.join(prefix, 'bin/npx'))).toBe(true);
  });

  it('leaves a prefix that already has the version alone', () => {
    const before = statSync(path.join(prefix, 'bin/node')).mtimeMs;
    const r = run({ PATH: pathWithNode(20), KPI_NODE_PREFIX: prefix, KPI_NODE_TARBALL: path.join(tmp, 'absent.tgz'), KPI_NPM_TARBALL: npm });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('is already in');
    expect(statSync(path.join(prefix, 'bin/node')).mtimeMs).toBe(before);
  });

  it('refuses a package holding an older major, and installs nothing', () => {
    const other = path.join(tmp, 'prefix-22');
    const r = run({ PATH: pathWithNode(20), KPI_NODE_PREFIX: other, KPI_NODE_TARBALL: nodeTarball('node22', 22), KPI_NPM_TARBALL: npm });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('holds Node.js 22, not 24');
    expect(existsSync(path.join(other, 'bin/node'))).toBe(false);
  });

  it('installs nothing when the node on PATH is already supported and no prefix is asked for', () => {
    // The tarball does not exist: were the script to try an install (into /usr/local), it would stop first.
    const r = run({ PATH: pathWithNode(24), KPI_NODE_TARBALL: path.join(tmp, 'absent.tgz'), KPI_NPM_TARBALL: path.join(tmp, 'absent.tgz') });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('is supported');
    expect(r.stdout).toBe(tmp);
  });
});
