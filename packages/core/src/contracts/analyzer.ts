import type { Encoder } from './encoder.js';
import type { TaskHead } from './task-head.js';
import type { Sentence } from './annotations.js';

export interface AnalysisInput {
  encoder: Encoder;
  heads: ReadonlyMap<string, TaskHead>;
  /**
   * Annotated sentences by key. After training (the config's `analyzers` section) the keys
   * are `<task>/<split>` for every task of the run; a command may use other keys (stem probe:
   * the split names) and says so.
   */
  sentences: ReadonlyMap<string, readonly Sentence[]>;
  /** Directory the analyzer writes its artefacts (tables, heat maps) into. */
  outputDirectory: string;
  /** Progress lines for a person watching (the CLI prints them on stderr); optional. */
  progress?: (message: string) => void;
}

/** Looks inside a model (pruning gates, probes) and reports what it found. */
export interface Analyzer<TResult = unknown> {
  analyze(input: AnalysisInput): Promise<TResult>;
}
