import { Args } from '@oclif/core';
import { describeModel, type ModelDescription } from '@stem/encoder-transformer';
import { StemCommand } from '../../base-command.js';

export default class ModelInspect extends StemCommand<typeof ModelInspect> {
  static override summary =
    'Show a model directory: architecture, layers x heads, parameter count and tokenizer.';
  static override examples = [
    '<%= config.bin %> model inspect models/tiny-bert',
    '<%= config.bin %> model inspect models/tiny-bert --json',
  ];
  static override args = {
    directory: Args.string({
      required: true,
      description:
        'Hugging Face model directory (config.json, model.safetensors, tokenizer files).',
    }),
  };

  async run(): Promise<ModelDescription> {
    const { args } = await this.parse(ModelInspect);
    const description = await describeModel(args.directory);
    if (!this.jsonEnabled()) this.log(formatDescription(description));
    return description;
  }
}

function formatDescription(d: ModelDescription): string {
  const specials = Object.entries(d.tokenizer.specials)
    .map(([key, token]) => `${key}=${token}`)
    .join(' ');
  return [
    `${d.directory}`,
    `  architecture  ${d.arch}, ${d.layers} layers x ${d.heads} heads = ${d.totalHeads} heads (head size ${d.headSize})`,
    `  sizes         hidden ${d.hiddenSize}, feed-forward ${d.intermediateSize}, embedding ${d.embeddingSize}`,
    `  positions     ${d.maxPositions} (windows of ${d.maxSequenceLength} sub-words)`,
    `  parameters    ${d.parameters.toLocaleString('en')}`,
    `  tokenizer     ${d.tokenizer.kind}, ${d.tokenizer.vocabSize} tokens (model vocab ${d.vocabSize}); ${specials}`,
    `  files         ${d.tokenizer.files.join(', ')}`,
  ].join('\n');
}
