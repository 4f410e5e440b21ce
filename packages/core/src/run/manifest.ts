import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { BackendInfo } from '../compute/backend-name.js';
import { CORE_VERSION } from '../version.js';

export const MANIFEST_FORMAT = 1;

export interface PackageVersion {
  name: string;
  version: string;
}

/** Everything needed to know what a run was and to reproduce it. */
export interface RunManifest {
  format: typeof MANIFEST_FORMAT;
  name: string;
  createdAt: string;
  seed: number;
  /** The run's identity its random streams are forked by (`runStreamIdentity`): seed + identity = the run's randomness. */
  randomStream?: string;
  /** The config after overrides, interpolation and defaults. */
  config: unknown;
  command: string[];
  versions: {
    node: string;
    core: string;
    packages: PackageVersion[];
  };
  /** Plugins that were loaded, with what they registered. */
  plugins: Array<PackageVersion & { components: string[] }>;
  backend: BackendInfo;
  git?: { revision: string; dirty: boolean };
  host: { platform: string; arch: string; cpus: number; memoryGiB: number };
}

export interface ManifestInput {
  name: string;
  seed: number;
  randomStream?: string;
  config: unknown;
  command: string[];
  packages: PackageVersion[];
  plugins: RunManifest['plugins'];
  backend: BackendInfo;
  /** Directory whose git revision is recorded (the working directory by default). */
  cwd?: string;
  now?: Date;
}

export function createManifest(input: ManifestInput): RunManifest {
  const git = gitRevision(input.cwd ?? process.cwd());
  return {
    format: MANIFEST_FORMAT,
    name: input.name,
    createdAt: (input.now ?? new Date()).toISOString(),
    seed: input.seed,
    ...(input.randomStream !== undefined ? { randomStream: input.randomStream } : {}),
    config: input.config,
    command: input.command,
    versions: { node: process.version, core: CORE_VERSION, packages: input.packages },
    plugins: input.plugins,
    backend: input.backend,
    ...(git ? { git } : {}),
    host: {
      platform: process.platform,
      arch: process.arch,
      cpus: os.cpus().length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
  };
}

/** The revision of the repository holding `cwd`, when git and a repository are there. */
export function gitRevision(cwd: string): RunManifest['git'] | undefined {
  try {
    const options = {
      cwd,
      encoding: 'utf8' as const,
      stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'],
    };
    const revision = execFileSync('git', ['rev-parse', 'HEAD'], options).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], options).trim() !== '';
    return { revision, dirty };
  } catch {
    return undefined;
  }
}
