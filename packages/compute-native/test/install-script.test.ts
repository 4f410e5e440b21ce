import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const packageDirectory = join(import.meta.dirname, '..');

/** A copy of the package's build inputs, so a failing build cannot touch the real addon. */
function packageCopy(): string {
  const directory = mkdtempSync(join(tmpdir(), 'stem-native-install-'));
  for (const entry of ['binding.gyp', 'scripts', 'src/native'])
    cpSync(join(packageDirectory, entry), join(directory, entry), { recursive: true });
  return directory;
}

it('the install script succeeds and records why when the compiler is missing', () => {
  const directory = packageCopy();
  try {
    const run = spawnSync(process.execPath, [join(directory, 'scripts', 'build-addon.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, CXX: '/nonexistent/c++', CC: '/nonexistent/cc' },
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/stem will run on plain wasm.*apt-get install libopenblas-dev/s);
    const status = JSON.parse(
      readFileSync(join(directory, 'build', 'install-status.json'), 'utf8'),
    );
    expect(status.built).toBe(false);
    expect(status.reason).toMatch(/native build failed|OpenBLAS/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

it('STEM_NATIVE_SKIP_BUILD=1 skips the build and says so', () => {
  const directory = packageCopy();
  try {
    const run = spawnSync(process.execPath, [join(directory, 'scripts', 'build-addon.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, STEM_NATIVE_SKIP_BUILD: '1' },
    });
    expect(run.status).toBe(0);
    const status = JSON.parse(
      readFileSync(join(directory, 'build', 'install-status.json'), 'utf8'),
    );
    expect(status).toEqual({ built: false, reason: 'STEM_NATIVE_SKIP_BUILD=1' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
