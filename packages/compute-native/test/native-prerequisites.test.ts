import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

// The README's set-up line runs this before `pnpm install`, so the addon builds first time.
const script = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'tools',
  'setup',
  'native-prerequisites.sh',
);
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

/**
 * Runs the script on a machine without the headers (STEM_SYSROOT points at an empty root),
 * with `id` reporting `uid` and stub commands that log their arguments instead of acting.
 */
function runWithout(options: { uid: number; stubs: string[] }) {
  const directory = mkdtempSync(join(tmpdir(), 'stem-prerequisites-'));
  directories.push(directory);
  const log = join(directory, 'calls.log');
  const stub = (name: string, body: string) => {
    writeFileSync(join(directory, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(directory, name), 0o755);
  };
  stub('id', `echo ${options.uid}`);
  for (const name of options.stubs) stub(name, `echo "${name} $*" >> "${log}"`);
  const run = spawnSync('bash', [script], {
    encoding: 'utf8',
    env: { PATH: `${directory}:/usr/bin:/bin`, STEM_SYSROOT: join(directory, 'empty-root') },
  });
  let calls = '';
  try {
    calls = readFileSync(log, 'utf8');
  } catch {
    // no stub was called
  }
  return { status: run.status, stderr: run.stderr, calls };
}

it('installs OpenBLAS, g++ and make with apt-get as root, then goes on', () => {
  const run = runWithout({ uid: 0, stubs: ['apt-get'] });
  expect(run.status).toBe(0);
  expect(run.calls).toContain('apt-get update');
  expect(run.calls).toMatch(
    /apt-get install -y -qq --no-install-recommends libopenblas-dev g\+\+ make/,
  );
});

it('without root or sudo, says in one line what to run and exits 0', () => {
  const run = runWithout({ uid: 1000, stubs: ['apt-get'] });
  expect(run.status).toBe(0);
  expect(run.calls).toBe('');
  expect(run.stderr.trim().split('\n')).toEqual([
    "native prerequisites missing: run 'sudo apt-get install -y libopenblas-dev g++ make' then 'pnpm install' again for native speed (going on with plain wasm)",
  ]);
});

it('uses passwordless sudo when there is one', () => {
  const run = runWithout({ uid: 1000, stubs: ['apt-get', 'sudo'] });
  expect(run.status).toBe(0);
  // The stub sudo logs instead of running: the check, then update and install through it.
  expect(run.calls).toContain('sudo -n true');
  expect(run.calls).toMatch(/sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install/);
});
