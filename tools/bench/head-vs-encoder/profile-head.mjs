#!/usr/bin/env node
// Where the CON or SRL head's loss + gradient time goes, kernel by kernel (wasm backend), on
// real ewt-5 sentences of --words words at the examples' head sizes. Wraps every registered
// wasm kernel with a timer; time outside kernels is JavaScript (the TreeCRF, index building)
// and tfjs's own bookkeeping.
//   node tools/bench/head-vs-encoder/profile-head.mjs --head con|srl [--batch 16] [--words 40]
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
const { selectBackend, SeededRandom } = await importBuilt('packages/core/dist/index.js');
const { Ewt5Corpus } = await importBuilt('packages/data/dist/index.js');
const { CrfSpanParser } = await importBuilt('plugins/task-con/dist/index.js');
const { SpanRankingLabeler } = await importBuilt('plugins/task-srl/dist/index.js');

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'wasm' },
    head: { type: 'string', default: 'con' },
    batch: { type: 'string', default: '16' },
    words: { type: 'string', default: '40' },
    steps: { type: 'string', default: '5' },
  },
});
const { tf } = await selectBackend(values.device);
const totals = new Map();
for (const config of tf.getKernelsForBackend('wasm')) {
  const original = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const start = performance.now();
      const out = original(args);
      const entry = totals.get(config.kernelName) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls += 1;
      totals.set(config.kernelName, entry);
      return out;
    },
  });
}
const hidden = 128;
const batch = Number(values.batch);
const words = Number(values.words);
const random = new SeededRandom(42);
const train = await new Ewt5Corpus().read('train');
const pool = train.filter(
  (s) => s.words.length === words && s.annotations.con && s.annotations.srl?.length,
);
const sentences = Array.from({ length: batch }, (_, b) => pool[b % pool.length]);
const head =
  values.head === 'con'
    ? new CrfSpanParser(
        tf,
        { spanMlpSize: 500, labelMlpSize: 100, mlpDropout: 0.33 },
        { hiddenSize: hidden, trainingSentences: train },
        random.fork('con'),
      )
    : new SpanRankingLabeler(
        tf,
        {
          maxSpanWidth: 30,
          widthEmbeddingSize: 20,
          argumentHiddenSizes: [150, 150],
          predicateHiddenSizes: [150, 150],
          pairHiddenSizes: [150, 150],
          argumentRatio: 0.8,
          predicateRatio: 0.4,
          dropout: 0.2,
        },
        { hiddenSize: hidden, trainingSentences: train },
        random.fork('srl'),
      );
const encoded = {
  wordVectors: tf.variable(tf.randomNormal([batch, words, hidden], 0, 1, 'float32', 1)),
  wordMask: tf.ones([batch, words]),
  rootVector: tf.variable(tf.randomNormal([batch, hidden], 0, 1, 'float32', 2)),
  eosVector: tf.variable(tf.randomNormal([batch, hidden], 0, 1, 'float32', 3)),
};
const variables = [
  encoded.wordVectors,
  encoded.rootVector,
  encoded.eosVector,
  ...head.trainableVariables(),
];
const step = async () => {
  const { value, grads } = tf.variableGrads(
    () => head.loss(encoded, sentences, { random: random.fork('step') }),
    variables,
  );
  await value.data();
  for (const g of Object.values(grads)) await g.data();
  tf.dispose([value, ...Object.values(grads)]);
};
await step();
totals.clear();
const steps = Number(values.steps);
const start = performance.now();
for (let i = 0; i < steps; i++) await step();
const wall = (performance.now() - start) / steps;
const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rows.reduce((s, [, e]) => s + e.ms, 0) / steps;
console.log(
  `${values.head} head, batch ${batch} x ${words} words: ${wall.toFixed(1)} ms/step, ${kernelMs.toFixed(1)} ms in kernels`,
);
for (const [name, e] of rows.slice(0, 15))
  console.log(
    `  ${name.padEnd(22)} ${(e.ms / steps).toFixed(1).padStart(8)} ms/step ${String(e.calls / steps).padStart(6)} calls/step`,
  );
