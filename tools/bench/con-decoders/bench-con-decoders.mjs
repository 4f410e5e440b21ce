#!/usr/bin/env node
// Speed of the CON decoders of @stem/task-con, which run at every training step and
// evaluation: the inside algorithm (log Z), inside-outside (span marginals, the gradient and
// MBR input) and CKY, in sentences/s at n = 20, 50, 100 on random charts; then one loss +
// gradient step of the whole head (fenceposts, MLPs, biaffines, TreeCRF, label CE) on random
// word vectors, to compare with tools/bench/encoder-step at the same batch.
// Prints one JSON line per measurement.
//
//   pnpm --filter @stem/core --filter @stem/data --filter @stem/task-con build
//   node tools/bench/con-decoders/bench-con-decoders.mjs [--device wasm] [--hidden 128] [--batch 16] [--words 40] [--labels 100]
//
// Imports the built packages by path: tools/bench is not a pnpm workspace member.
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
const { selectBackend, SeededRandom } = await importBuilt('packages/core/dist/index.js');
const { CrfSpanParser, cky, insideAlgorithm, spanMarginals } = await importBuilt(
  'plugins/task-con/dist/index.js',
);

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'auto' },
    hidden: { type: 'string', default: '128' },
    batch: { type: 'string', default: '16' },
    words: { type: 'string', default: '40' },
    steps: { type: 'string', default: '10' },
    labels: { type: 'string', default: '100' },
  },
});
const hidden = Number(values.hidden);
const batch = Number(values.batch);
const words = Number(values.words);
const steps = Number(values.steps);
const labelCount = Number(values.labels);
const random = new SeededRandom(0);

function timed(fn, minimumMs = 1000) {
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minimumMs) {
    fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

for (const n of [20, 50, 100]) {
  const chart = Float32Array.from({ length: (n + 1) * (n + 1) }, () => random.uniform(-2, 2));
  const insideMs = timed(() => insideAlgorithm({ n, values: chart }));
  const marginalsMs = timed(() => spanMarginals({ n, values: chart }));
  const ckyMs = timed(() => cky({ n, values: chart }));
  console.log(
    JSON.stringify({
      bench: 'treecrf',
      n,
      insideSentencesPerSecond: Math.round(1000 / insideMs),
      marginalsSentencesPerSecond: Math.round(1000 / marginalsMs),
      ckySentencesPerSecond: Math.round(1000 / ckyMs),
    }),
  );
}

const { tf, info } = await selectBackend(values.device);
const backend = info.device;
// Right-branching gold trees over `words` words whose phrases cycle through `labels` labels
// (EWT's binarised trees have about a hundred span labels).
const leafTree = (i) => ({ label: 'NN', children: [], word: `w${i}` });
const chain = (from, b) =>
  from === words - 1
    ? leafTree(from)
    : {
        label: `L${(b * words + from) % labelCount}`,
        children: [leafTree(from), chain(from + 1, b)],
      };
const sentences = Array.from({ length: batch }, (_, b) => ({
  id: `s${b}`,
  words: Array.from({ length: words }, (_, i) => `w${i}`),
  annotations: { con: { label: 'TOP', children: [chain(0, b)] } },
}));
const head = new CrfSpanParser(
  tf,
  { spanMlpSize: 500, labelMlpSize: 100, mlpDropout: 0.33 },
  { hiddenSize: hidden, trainingSentences: sentences },
  random,
);
const wordVectors = tf.variable(tf.randomNormal([batch, words, hidden]));
const encoded = {
  wordVectors,
  wordMask: tf.ones([batch, words]),
  rootVector: tf.randomNormal([batch, hidden]),
  eosVector: tf.randomNormal([batch, hidden]),
};
const optimizer = tf.train.adam(1e-3);
const step = () => {
  const cost = optimizer.minimize(
    () => head.loss(encoded, sentences, { random: random.fork('step') }),
    true,
    [wordVectors, ...head.trainableVariables()],
  );
  cost.dataSync();
  cost.dispose();
};
step();
const times = Array.from({ length: steps }, () => {
  const start = performance.now();
  step();
  return performance.now() - start;
}).sort((a, b) => a - b);
const decodeStart = performance.now();
head.decode(encoded, sentences);
const decodeMs = performance.now() - decodeStart;
console.log(
  JSON.stringify({
    bench: 'con-head-step',
    backend,
    batch,
    words,
    hidden,
    labels: head.labels().labels.length,
    medianMsPerStep: Math.round(times[Math.floor(steps / 2)] * 10) / 10,
    decodeMsPerBatch: Math.round(decodeMs * 10) / 10,
  }),
);
