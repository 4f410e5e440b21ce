import type { AnnotationLayer, Sentence, Split } from './annotations.js';

/** A corpus with named splits; reading is async because sources may be archives or URLs. */
export interface DatasetReader {
  /** Annotation layers every sentence of this dataset carries (core's or a plugin's own). */
  readonly layers: readonly AnnotationLayer[];
  read(split: Split): Promise<Sentence[]>;
}
