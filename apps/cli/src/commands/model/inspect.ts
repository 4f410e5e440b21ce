import { Args } from '@oclif/core';
import { safetensors } from '@stem/core';
import {
  checkModelWeights,
  describeModel,
  type ModelDescription,
  type WeightsCheck,
} from '@stem/encoder-transformer';
import { StemCommand } from '../../base-command.js';

export default class ModelInspect extends StemCommand<typeof ModelInspect> {
  static override summary =
    'Show a model directory: architecture, layers x heads, parameter count and tokenizer, and check its weights.';
  static override description =
    'Reads model.safetensors in full and checks it: the header against the file (lengths, offsets, dtypes, sizes), every tensor config.json needs with its shape, and no NaN or infinite values. Damaged weights are reported (`weights.intact: false` with the problems, and a warning) rather than failing the description.';
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

  async run(): Promise<ModelDescription & { weights: WeightsCheck }> {
    const { args } = await this.parse(ModelInspect);
    const description = { ...(await describeModel(args.directory)) };
    const weights = await checkModelWeights(args.directory, safetensors);
    if (!weights.intact)
      this.reportWarning(
        `the weights of ${args.directory} are damaged: ${weights.problems.join('; ')}`,
      );
    const result = { ...description, weights };
    if (!this.jsonEnabled()) this.log(formatDescription(result));
    return result;
  }
}

function formatWeights(w: WeightsCheck): string {
  return w.intact
    ? `intact (${w.tensors} tensors, ${w.bytes.toLocaleString('en')} bytes read and checked)`
    : `DAMAGED: ${w.problems.join('; ')}`;
}

function formatDescription(d: ModelDescription & { weights: WeightsCheck }): string {
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
    `  weights       ${formatWeights(d.weights)}`,
  ].join('\n');
}
