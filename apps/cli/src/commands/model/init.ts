import { Flags } from '@oclif/core';
import { safetensors } from '@stem/core';
import { ARCHES, initModel, type Arch } from '@stem/encoder-transformer';
import { StemCommand } from '../../base-command.js';

export interface ModelInitResult {
  directory: string;
  arch: Arch;
  layers: number;
  heads: number;
  hidden: number;
  vocabSize: number;
  parameters: number;
}

export default class ModelInit extends StemCommand<typeof ModelInit> {
  static override summary =
    'Create a randomly initialised encoder with a trained cased vocabulary, in the Hugging Face layout.';
  static override description =
    'Trains a WordPiece (bert, electra) or byte-level BPE (roberta) vocabulary with Hugging Face tokenizers on text files (one sentence per line), CoNLL/CoNLL-U files or folders of them (a built dataset), then writes config.json, model.safetensors and the vocabulary files to --out. Weights are drawn from --seed.';
  static override examples = [
    '<%= config.bin %> model init --arch bert --layers 2 --heads 4 --hidden 128 --vocab-from train.conllu --out models/tiny-bert',
    '<%= config.bin %> model init --arch roberta --vocab-from corpus.txt --vocab-size 8000 --out models/tiny-roberta --json',
  ];
  static override flags = {
    arch: Flags.string({ description: 'Architecture.', options: [...ARCHES], default: 'bert' }),
    layers: Flags.integer({ description: 'Transformer layers.', default: 2, min: 1 }),
    heads: Flags.integer({ description: 'Attention heads per layer.', default: 4, min: 1 }),
    hidden: Flags.integer({
      description: 'Hidden size (a multiple of --heads).',
      default: 128,
      min: 1,
    }),
    intermediate: Flags.integer({ description: 'Feed-forward size (default 4 x hidden).', min: 1 }),
    embedding: Flags.integer({ description: 'ELECTRA embedding size (default hidden).', min: 1 }),
    'max-positions': Flags.integer({
      description: 'Longest sub-word sequence per window, specials included.',
      default: 128,
      min: 4,
    }),
    'vocab-from': Flags.string({
      description:
        'Text or CoNLL(-U) file, or a folder of them such as a built dataset, to train the vocabulary on. Repeatable.',
      multiple: true,
      required: true,
    }),
    'vocab-size': Flags.integer({
      description: 'Largest vocabulary, special tokens included.',
      default: 8000,
      min: 10,
    }),
    'vocab-kind': Flags.string({
      description: 'Sub-word model (default: bpe for roberta, wordpiece otherwise).',
      options: ['wordpiece', 'bpe'],
    }),
    seed: Flags.integer({ description: 'Seed of the random weights.', default: 0 }),
    out: Flags.string({ description: 'Directory to write.', required: true }),
  };

  async run(): Promise<ModelInitResult> {
    const { flags } = await this.parse(ModelInit);
    const session = await this.session();
    const arch = flags.arch as Arch;
    this.progress(`training a vocabulary on ${flags['vocab-from'].length} file(s)`);
    const made = await initModel(session.tf, {
      arch,
      layers: flags.layers,
      heads: flags.heads,
      hidden: flags.hidden,
      intermediate: flags.intermediate,
      embedding: flags.embedding,
      maxPositions: flags['max-positions'],
      vocabFrom: flags['vocab-from'],
      vocabSize: flags['vocab-size'],
      ...(flags['vocab-kind'] ? { vocabKind: flags['vocab-kind'] as 'wordpiece' | 'bpe' } : {}),
      out: flags.out,
      seed: flags.seed,
      safetensors,
    });
    const result: ModelInitResult = {
      directory: made.directory,
      arch,
      layers: flags.layers,
      heads: flags.heads,
      hidden: flags.hidden,
      vocabSize: made.vocabSize,
      parameters: made.parameters,
    };
    if (!this.jsonEnabled())
      this.log(
        `wrote ${arch} ${flags.layers}x${flags.heads} (hidden ${flags.hidden}, vocab ${made.vocabSize}, ${made.parameters.toLocaleString('en')} parameters) to ${made.directory}`,
      );
    return result;
  }
}
