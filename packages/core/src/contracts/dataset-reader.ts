import type { AnnotationLayer, Sentence, Split } from './annotations.js';

/** A corpus with named splits; reading is async because sources may be archives or URLs. */
export interface DatasetReader {
  /** Annotation layers every sentence of this dataset carries. */
  readonly layers: readonly AnnotationLayer[];
  read(split: Split): Promise<Sentence[]>;
}
