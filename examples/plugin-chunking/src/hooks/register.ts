import type { StemRegisterHook } from '@stem/core';
import { ChunkTagger } from '../chunk-tagger.js';
import {
  CHUNK_TASK_ID,
  CONLL2000_DATASET_ID,
  chunkTaskSchema,
  type ChunkTaskConfig,
} from '../chunk-config.js';
import {
  Conll2000Dataset,
  DEFAULT_SPLIT_FILES,
  type Conll2000DatasetConfig,
} from '../conll2000-dataset.js';
import { chunkPredictionFormats } from '../prediction-formats.js';

/**
 * The plugin's entry point (the `stem:register` oclif hook in package.json). It registers a
 * dataset and a task on the plugin's own `chunks` layer. The facade brings zod and tf; the
 * head's building blocks (Glorot init, shape-checked `loadWeights`) are core's `nn`, imported
 * from `@stem/core`, which an installed CLI resolves to its own core for added plugins.
 */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerDataset<Conll2000DatasetConfig>({
      id: CONLL2000_DATASET_ID,
      description:
        'Chunking corpus in CoNLL-2000 files (word POS chunk-tag); default: the small sample of UD English-EWT sentences shipped with the plugin.',
      configSchema: (z) => {
        const file = (split: 'train' | 'dev' | 'test') =>
          z
            .string()
            .min(1)
            .default(DEFAULT_SPLIT_FILES[split])
            .describe(`File of the ${split} split, relative to \`path\` or absolute.`);
        return z.object({
          path: z
            .string()
            .optional()
            .describe(
              'Folder the split files resolve against; default: the sample bundled with the plugin.',
            ),
          train: file('train'),
          dev: file('dev'),
          test: file('test'),
        });
      },
      create: (config) => new Conll2000Dataset(config),
    });
    stem.registerTask<ChunkTaskConfig>({
      id: CHUNK_TASK_ID,
      description:
        'Text chunking (CoNLL-2000) as BIO tagging: a linear + softmax head over the word vectors, Viterbi-decoded into valid chunks; scored by chunk F1.',
      configSchema: (z) => chunkTaskSchema(z),
      predictionFormats: chunkPredictionFormats,
      create: (config, input, context) =>
        new ChunkTagger(context.tf, config, input, context.random),
    });
  },
});

export default register;
