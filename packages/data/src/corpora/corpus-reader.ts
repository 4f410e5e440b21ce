import type { DatasetReader } from '@stem/core';

/** A `DatasetReader` that can also say where it reads from and report on how it was built. */
export interface CorpusReader extends DatasetReader {
  /** The folder or file the sentences come from. */
  readonly location: string;
  /** A build report (ewt-5: its alignment), when the corpus has one. */
  report?(): Promise<Record<string, unknown> | undefined>;
}
