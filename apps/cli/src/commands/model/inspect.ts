import { existsSync } from 'node:fs';
import { Args } from '@oclif/core';
import { safetensors } from '@stem/core';
import {
  checkModelWeights,
  describeModel,
  type ModelDescription,
  type WeightsCheck,
} from '@stem/encoder-transformer';
import { StemCommand } from '../../base-command.js';
import { FailureWithData } from '../../failure-with-data.js';

export default class ModelInspect extends StemCommand<typeof ModelInspect> {
  static override summary =
    'Show a model directory: architecture, layers x heads, parameter count and tokenizer, and check its weights.';
  static override description =
    'Reads model.safetensors in full and checks it: the header against the file (lengths, offsets, dtypes, sizes), every tensor config.json needs with its shape, and no NaN or infinite values. Damaged weights fail the command (exit 1, WEIGHTS_INVALID; MODEL_INVALID when model.safetensors is missing) after the description is printed; with --json the error envelope holds the description under `data` (`weights.intact: false` with the problems).';
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
    const result = { ...description, weights };
    if (!this.jsonEnabled()) this.log(formatDescription(result));
    // A damaged model must fail scripts and CI that inspect it, not only read as DAMAGED.
    if (!weights.intact) throw damagedWeights(result);
    return result;
  }
}

/** WEIGHTS_INVALID naming the file (MODEL_INVALID when it is missing), carrying the description. */
function damagedWeights(described: ModelDescription & { weights: WeightsCheck }): FailureWithData {
  const { file, problems } = described.weights;
  if (!existsSync(file))
    return new FailureWithData(
      `${file} does not exist`,
      'a model directory holds config.json, model.safetensors and tokenizer files: copy or export model.safetensors into it',
      'MODEL_INVALID',
      described,
    );
  // The codec's messages already start with the path: name it once.
  const details = problems.map((p) => (p.startsWith(`${file}: `) ? p.slice(file.length + 2) : p));
  return new FailureWithData(
    `${file}: ${details.join('; ')}`,
    'model.safetensors is damaged, incomplete or not the weights of this config.json: download, copy or export the model again',
    'WEIGHTS_INVALID',
    described,
  );
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
