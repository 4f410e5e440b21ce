// Readers and writers
export { DataFormatError, CorpusNotFoundError, splitLines } from './errors.js';
export * from './readers/conllu.js';
export * from './readers/conllu-fill.js';
export * from './readers/conll2012.js';
export * from './readers/ptb.js';
export * from './readers/bio.js';
// Structures
export * from './trees/tree.js';
export * from './trees/binarize.js';
export * from './trees/evalb-spans.js';
export * from './trees/parse-bits.js';
export * from './srl/frames.js';
export * from './dependency/projectivity.js';
export * from './ner/spans.js';
export * from './ner/gum-entities.js';
// Corpora
export * from './corpora/splits.js';
export * from './corpora/data-home.js';
export * from './corpora/ud-files.js';
export * from './corpora/corpus-reader.js';
export * from './corpora/ud-corpus.js';
export * from './corpora/gum-ner-corpus.js';
export * from './corpora/propbank-source.js';
export * from './corpora/ewt5-alignment.js';
export * from './corpora/ewt5-layout.js';
export * from './corpora/ewt5-build.js';
export * from './corpora/ewt5-corpus.js';
export * from './corpora/conll2012-corpus.js';
export * from './corpora/bio-corpus.js';
export * from './corpora/conllu-files-corpus.js';
export * from './corpora/corpus-stats.js';
export * from './corpora/catalog.js';
export { registerCorpora } from './plugin/register-hook.js';
export * from './readers/plain-text.js';
export * from './text/sentence-splitter.js';
export * from './corpora/pretraining-sources.js';
export * from './corpora/pretraining-build.js';
export * from './corpora/pretraining-corpus.js';
