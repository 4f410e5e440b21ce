#!/usr/bin/env node
// stem-mini's random twin as a model directory: the same config.json and tokenizer, with
// random weights (normal, std 0.02, as `encoder.weights: random` draws them) from --seed.
// Baselines for the probes of MODEL_CARD.md, e.g.
//   node packages/model-stem-mini/scripts/write-random-twin.mjs --out /tmp/stem-mini-random
//   stem probe /tmp/stem-mini-random --task dep --data ud-ewt --split test
// Needs @stem/core and @stem/encoder-transformer built (imports their dist by path).
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { selectBackend, safetensors } from '../../core/dist/index.js';
import {
  seededSource,
  TransformerEncoder,
} from '../../../plugins/encoder-transformer/dist/index.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    seed: { type: 'string', default: '42' },
    device: { type: 'string', default: 'auto' },
  },
});
if (!values.out) throw new Error('write-random-twin: --out <directory> is required');
const { tf } = await selectBackend(values.device);
const stemMini = fileURLToPath(new URL('../model', import.meta.url));
const encoder = await TransformerEncoder.load(tf, stemMini, seededSource(Number(values.seed)), {
  safetensors,
  randomWeights: true,
});
await encoder.save(values.out);
console.log(
  `wrote stem-mini's random twin (seed ${values.seed}, ${encoder.parameterCount().toLocaleString('en')} parameters) to ${values.out}`,
);
encoder.dispose();
