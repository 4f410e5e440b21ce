#!/usr/bin/env node
// One training step of @stem/encoder-transformer (forward + backward + Adam) on random token
// ids with a token classifier, the same work as ../../../../shared/bench/pytorch_reference.py.
// Prints one JSON line per run: backend, median ms per step and tokens/s.
//
//   pnpm --filter @stem/core --filter @stem/encoder-transformer build
//   node tools/bench/encoder-step/bench-encoder-step.mjs --layers 4 --heads 8 --hidden 256 --ffn 1024 --batch 16 --seq 32
//
// Imports the built packages by path: tools/bench is not a pnpm workspace member.
import { parseArgs } from 'node:util';
import { selectBackend, SeededRandom } from '../../../packages/core/dist/index.js';
import {
  architectureFor,
  forwardTransformer,
  ParameterStore,
  parameterCount,
} from '../../../plugins/encoder-transformer/dist/index.js';

const defaults = {
  vocab: 8000,
  hidden: 128,
  layers: 2,
  heads: 4,
  ffn: 512,
  labels: 20,
  batch: 16,
  seq: 32,
  steps: 20,
  seed: 0,
};
const { values } = parseArgs({
  options: {
    ...Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' }])),
    device: { type: 'string', default: 'auto' },
  },
});
const a = Object.fromEntries(
  Object.entries(defaults).map(([k, v]) => [k, values[k] === undefined ? v : Number(values[k])]),
);

const { tf, info } = await selectBackend(values.device);
const random = new SeededRandom(a.seed);
const architecture = {
  ...architectureFor(
    {
      arch: 'bert',
      layers: a.layers,
      heads: a.heads,
      hidden: a.hidden,
      intermediate: a.ffn,
      maxPositions: Math.max(512, a.seq),
    },
    a.vocab,
  ),
  // The reference has no token-type table; ours is one [2, hidden] row add, kept.
};
const params = ParameterStore.random(tf, architecture, () => random.next());
const classifierWeight = tf.variable(
  tf.randomNormal([a.hidden, a.labels], 0, 0.02, 'float32', random.nextSeed()),
);
const classifierBias = tf.variable(tf.zeros([a.labels]));
const ids = Array.from({ length: a.batch }, () =>
  Array.from({ length: a.seq }, () => random.int(a.vocab)),
);
const mask = ids.map((row) => row.map(() => 1));
const gold = tf.oneHot(
  tf.tensor1d(
    ids.flat().map(() => random.int(a.labels)),
    'int32',
  ),
  a.labels,
);
const optimizer = tf.train.adam(1e-3);

const times = [];
const losses = [];
for (let step = 0; step < a.steps + 3; step++) {
  const start = performance.now();
  const loss = optimizer.minimize(() => {
    const { hidden } = forwardTransformer(
      tf,
      architecture,
      params,
      { ids, mask },
      { dropoutSeed: () => random.nextSeed() },
    );
    const logits = tf.add(
      tf.matMul(tf.reshape(hidden, [-1, a.hidden]), classifierWeight),
      classifierBias,
    );
    return tf.losses.softmaxCrossEntropy(gold, logits);
  }, true);
  const value = (await loss.data())[0];
  loss.dispose();
  const elapsed = performance.now() - start;
  if (step >= 3) times.push(elapsed);
  losses.push(Math.round(value * 1e4) / 1e4);
}
times.sort((x, y) => x - y);
const ms = times[Math.floor(times.length / 2)];
console.log(
  JSON.stringify({
    impl: `stem-tfjs-${info.tfjsVersion}`,
    backend: `${info.device} (${info.backend})`,
    cfg: `B${a.batch} T${a.seq} H${a.hidden} L${a.layers} heads${a.heads} F${a.ffn}`,
    params: parameterCount(architecture) + a.hidden * a.labels + a.labels,
    stepMs: Math.round(ms * 10) / 10,
    tokensPerSec: Math.round((a.batch * a.seq) / (ms / 1000)),
    loss: [losses[0], losses[losses.length - 1]],
    tensors: tf.memory().numTensors,
  }),
);
