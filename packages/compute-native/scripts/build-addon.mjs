#!/usr/bin/env node
// The package's `install` script: builds the OpenBLAS addon with node-gyp. It never fails the
// install: without a compiler, OpenBLAS or node-gyp, stem runs on plain wasm and says once at
// run time how to get the native kernels. Node's headers are taken from the local Node
// installation when present (no download; installs here are offline).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const statusFile = join(packageDirectory, 'build', 'install-status.json');

function record(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify(status, null, 2)}\n`);
}

function nodeGypCommand() {
  // pnpm and npm put their bundled node-gyp on PATH for lifecycle scripts; otherwise use npm's.
  const onPath = spawnSync('node-gyp', ['--version'], { stdio: 'ignore', shell: false });
  if (onPath.status === 0) return ['node-gyp', []];
  const candidates = [
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  try {
    const require = createRequire(import.meta.url);
    candidates.unshift(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  const found = candidates.find((path) => existsSync(path));
  return found ? [process.execPath, [found]] : undefined;
}

function localNodeDirectory() {
  // node-gyp wants <nodedir>/include/node/common.gypi; distro and official builds ship it.
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined;
}

if (process.env.STEM_NATIVE_SKIP_BUILD === '1') {
  record({ built: false, reason: 'STEM_NATIVE_SKIP_BUILD=1' });
  process.exit(0);
}
const gyp = nodeGypCommand();
if (!gyp) {
  record({ built: false, reason: 'node-gyp not found' });
  console.warn('@stem/compute-native: node-gyp not found; stem will run on plain wasm.');
  process.exit(0);
}
const nodeDirectory = localNodeDirectory();
const args = [...gyp[1], 'rebuild', ...(nodeDirectory ? [`--nodedir=${nodeDirectory}`] : [])];
const result = spawnSync(gyp[0], args, {
  cwd: packageDirectory,
  encoding: 'utf8',
  env: { ...process.env, JOBS: '1' },
});
if (result.status === 0) {
  record({ built: true });
} else {
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
  const reason = /cblas\.h|lopenblas/.test(output)
    ? 'OpenBLAS headers or library missing'
    : 'native build failed';
  record({ built: false, reason, log: output.split('\n').slice(-30).join('\n') });
  console.warn(
    `@stem/compute-native: ${reason}; stem will run on plain wasm. ` +
      'For native speed: apt-get install libopenblas-dev g++ make, then reinstall.',
  );
}
process.exit(0);
