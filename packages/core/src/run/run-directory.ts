import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StemError } from '../errors.js';
import { parseJsonText } from '../io/json-file.js';
import type { RunManifest } from './manifest.js';
import { writeFailed, writeJsonAtomic } from './atomic-write.js';

/**
 * The files of one run. Everything a run produces lives under one directory so a run
 * can be resumed, evaluated, analysed or archived by its path alone:
 *
 *   <root>/manifest.json      resolved config, seed, versions, backend, git revision
 *   <root>/metrics.ndjson     one JSON object per logged event (train loss, dev scores)
 *   <root>/checkpoints/       `last/` for resuming, `best/` for the best dev score
 *   <root>/analyses/<name>/   analyzer outputs (gates, probes, tables, heat maps)
 *   <root>/predictions/       outputs of `stem predict`
 */
export class RunDirectory {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** `<parent>/<name>-<UTC timestamp>-s<seed>`, unique per second and seed. */
  static forNewRun(parent: string, name: string, seed: number, now = new Date()): RunDirectory {
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')
      .replace('T', '-');
    const safeName = name.replace(/[^A-Za-z0-9_.-]+/g, '-');
    return new RunDirectory(join(parent, `${safeName}-${stamp}-s${seed}`));
  }

  get manifestFile(): string {
    return join(this.root, 'manifest.json');
  }
  get metricsFile(): string {
    return join(this.root, 'metrics.ndjson');
  }
  get checkpointsDirectory(): string {
    return join(this.root, 'checkpoints');
  }
  checkpoint(name: 'last' | 'best' | string): string {
    return join(this.checkpointsDirectory, name);
  }
  analysis(name: string): string {
    return join(this.root, 'analyses', name);
  }
  get predictionsDirectory(): string {
    return join(this.root, 'predictions');
  }

  async create(): Promise<void> {
    try {
      await mkdir(this.checkpointsDirectory, { recursive: true });
    } catch (error) {
      throw writeFailed(this.checkpointsDirectory, error);
    }
  }

  async writeManifest(manifest: RunManifest): Promise<void> {
    await writeJsonAtomic(this.manifestFile, manifest);
  }

  async readManifest(): Promise<RunManifest> {
    try {
      await stat(this.root);
    } catch {
      throw new StemError(
        `run directory ${this.root} does not exist`,
        'pass the directory a `stem train` run created',
        'RUN_INVALID',
      );
    }
    let text: string;
    try {
      text = await readFile(this.manifestFile, 'utf8');
    } catch {
      throw new StemError(
        `${this.manifestFile} is missing: ${this.root} is not a stem run directory`,
        'pass the directory a `stem train` run created',
        'RUN_INVALID',
      );
    }
    return parseJsonText<RunManifest>(
      text,
      this.manifestFile,
      'the manifest is written by `stem train`; restore it from a copy of the run',
    );
  }
}
