import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from './run-stem.js';

const run = promisify(execFile);
const checker = join(repositoryRoot, 'tools/ci/check-install-log.mjs');
const logs = join(repositoryRoot, 'apps/cli/test/fixtures/install-logs');

const workspace = parse(readFileSync(join(repositoryRoot, 'pnpm-workspace.yaml'), 'utf8')) as {
  onlyBuiltDependencies?: string[];
  ignoredBuiltDependencies?: string[];
};
const built = new Set(workspace.onlyBuiltDependencies ?? []);
const ignored = new Set(workspace.ignoredBuiltDependencies ?? []);

/** Every installed dependency (pnpm's virtual store) whose package.json has a build script. */
function dependenciesWithBuildScripts(): string[] {
  const store = join(repositoryRoot, 'node_modules/.pnpm');
  const names = new Set<string>();
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const top of readdirSync(modules)) {
      const candidates = top.startsWith('@')
        ? readdirSync(join(modules, top)).map((name) => `${top}/${name}`)
        : [top];
      for (const name of candidates) {
        const manifest = join(modules, name, 'package.json');
        if (!existsSync(manifest)) continue;
        const scripts = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: object })
          .scripts as Record<string, string> | undefined;
        if (scripts?.preinstall || scripts?.install || scripts?.postinstall) names.add(name);
      }
    }
  }
  return [...names].sort();
}

describe('a quiet install', () => {
  it('never runs the native TensorFlow download at install', () => {
    for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      expect(ignored.has(name), name).toBe(true);
      expect(built.has(name), name).toBe(false);
    }
  });

  it('decides on every dependency build script, so pnpm prints no "Ignored build scripts" box', () => {
    const undecided = dependenciesWithBuildScripts().filter(
      (n) => !built.has(n) && !ignored.has(n),
    );
    // Workspace packages (compute-native's addon build) are not dependencies' scripts.
    expect(undecided.filter((n) => !n.startsWith('@stem/'))).toEqual([]);
  });

  it('CI check: fails on the log of the old install, passes the quiet one', async () => {
    const before = await run(process.execPath, [
      checker,
      join(logs, 'offline-all-scripts.log'),
    ]).catch((error: { code: number; stderr: string }) => error);
    expect('code' in before && before.code).toBe(1);
    const stderr = (before as { stderr: string }).stderr;
    // 2 unhandled 'error' events, 7 stack frames per package, the "Ignored build scripts" box.
    expect(stderr.match(/: an unhandled 'error' event:/g)).toHaveLength(2);
    expect(stderr.match(/: a stack frame:/g)).toHaveLength(14);
    expect(stderr).toContain('a dependency build script nobody decided on');
    expect(stderr).toContain('17 line(s)');

    const quiet = await run(process.execPath, [checker, join(logs, 'offline-quiet.log')]);
    expect(quiet.stdout).toContain('no stack trace');
  });
});
