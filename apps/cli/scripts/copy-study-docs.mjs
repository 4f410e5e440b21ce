#!/usr/bin/env node
// Copies a finished study directory into docs/ for committing, without what must not be
// committed: checkpoints/ folders, model weights and the study's lock file. The layout stays
// the study's own (study.json, runs/, pruning/, probes/, analyses/, report/), so `stem study`
// resumes the copy as a no-op and the README's numbers test reads it.
//   node apps/cli/scripts/copy-study-docs.mjs studies/quick docs/study-quick --replace
//   node apps/cli/scripts/readme-study-numbers.mjs docs/study-quick    # then the README's numbers
// --replace removes the target first (files left from an older study would have no source);
// without it an existing, non-empty target is refused.
import { existsSync, readFileSync } from 'node:fs';
import { cp, readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Folders never copied: training state, not results. */
const SKIPPED_FOLDERS = new Set(['checkpoints']);
/** Files never copied: weights (any format stem or Hugging Face writes) and the running study's lock. */
const WEIGHT_FILE = /\.(safetensors|bin|pt|pth|ckpt|h5|onnx|npz)$/i;
const LOCK_FILE = 'study.lock';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { replace: { type: 'boolean', default: false } },
});
if (positionals.length !== 2) {
  console.error(
    'usage: copy-study-docs.mjs <study directory> <target, e.g. docs/study-quick> [--replace]',
  );
  process.exit(2);
}
const [source, target] = positionals.map((p) => resolve(p));

if (!existsSync(join(source, 'study.json'))) {
  console.error(`${source}: no study.json, not a study directory`);
  process.exit(1);
}
const lockFile = join(source, LOCK_FILE);
if (existsSync(lockFile)) {
  // A lock of a live process on this host: the study is still writing.
  let owner;
  try {
    owner = JSON.parse(readFileSync(lockFile, 'utf8'));
  } catch {
    owner = undefined;
  }
  const alive = (() => {
    if (!owner || owner.hostname !== hostname() || typeof owner.pid !== 'number') return true;
    try {
      process.kill(owner.pid, 0);
      return true;
    } catch (error) {
      return error.code === 'EPERM';
    }
  })();
  if (alive) {
    console.error(
      `${lockFile}: the study is running (pid ${owner?.pid ?? '?'} on ${owner?.hostname ?? '?'}); copy it when it has finished`,
    );
    process.exit(1);
  }
  console.error(`note: ${lockFile} is left by a process that no longer runs; not copied`);
}
if (resolve(target).startsWith(source + '/') || source.startsWith(resolve(target) + '/')) {
  console.error('the study and the target must not contain each other');
  process.exit(2);
}
if (existsSync(target) && (await readdir(target)).length > 0) {
  if (!values.replace) {
    console.error(`${target} exists and is not empty: pass --replace to remove it first`);
    process.exit(1);
  }
  await rm(target, { recursive: true, force: true });
}

const skipped = { folders: 0, weights: 0, lock: 0 };
let files = 0;
let bytes = 0;
await cp(source, target, {
  recursive: true,
  filter: async (path) => {
    const name = basename(path);
    const info = await stat(path);
    if (info.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(name)) return true;
      skipped.folders++;
      return false;
    }
    if (name === LOCK_FILE && resolve(path) === lockFile) {
      skipped.lock++;
      return false;
    }
    if (WEIGHT_FILE.test(name)) {
      skipped.weights++;
      return false;
    }
    files++;
    bytes += info.size;
    return true;
  },
});
console.log(
  `copied ${files} files (${(bytes / 1e6).toFixed(1)} MB) from ${source} to ${relative(process.cwd(), target) || target}; left out ${skipped.folders} checkpoints folders, ${skipped.weights} weight files${skipped.lock ? ' and the lock file' : ''}`,
);
