/**
 * Benchmark (not a test): the SRL head alone, loss + gradient and decoding, on random word
 * vectors, with the default head config (spans <= 30 words, FFNNs 150 x 150).
 *   pnpm --filter @stem/core --filter @stem/task-srl build
 *   node tools/bench/srl-head/bench-srl-head.mjs [--device wasm] [--batch 16] [--hidden 128] [--words 20,40]
 */
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
const { selectBackend, SeededRandom } = await importBuilt('packages/core/dist/index.js');
const { SpanRankingLabeler } = await importBuilt('plugins/task-srl/dist/index.js');

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'wasm' },
    batch: { type: 'string', default: '16' },
    hidden: { type: 'string', default: '128' },
    words: { type: 'string', default: '20,40' },
    repeats: { type: 'string', default: '5' },
  },
});
const { tf, info } = await selectBackend(values.device);
const batch = Number(values.batch);
const hidden = Number(values.hidden);
const repeats = Number(values.repeats);
const config = {
  maxSpanWidth: 30,
  widthEmbeddingSize: 20,
  argumentHiddenSizes: [150, 150],
  predicateHiddenSizes: [150, 150],
  pairHiddenSizes: [150, 150],
  argumentRatio: 0.8,
  predicateRatio: 0.4,
  dropout: 0.2,
};
const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

for (const n of values.words.split(',').map(Number)) {
  // Two frames per sentence, so the loss has gold pairs.
  const sentences = Array.from({ length: batch }, (_, k) => ({
    id: `s${k}`,
    words: Array.from({ length: n }, (_, i) => `w${i}`),
    annotations: {
      srl: [
        {
          predicate: 3,
          arguments: [
            { start: 0, end: 3, role: 'ARG0' },
            { start: 4, end: 9, role: 'ARG1' },
          ],
        },
        {
          predicate: 12,
          arguments: [
            { start: 10, end: 12, role: 'ARG0' },
            { start: 13, end: 18, role: 'ARGM-TMP' },
          ],
        },
      ],
    },
  }));
  const head = new SpanRankingLabeler(
    tf,
    config,
    { hiddenSize: hidden, trainingSentences: sentences },
    new SeededRandom(1),
  );
  const wordVectors = tf.variable(tf.randomUniform([batch, n, hidden], -1, 1, 'float32', 3));
  const encoded = {
    wordVectors,
    wordMask: tf.ones([batch, n]),
    rootVector: tf.zeros([batch, hidden]),
    eosVector: tf.zeros([batch, hidden]),
  };
  const random = new SeededRandom(2);
  const variables = [wordVectors, ...head.trainableVariables()];
  const lossTimes = [];
  const decodeTimes = [];
  for (let r = 0; r <= repeats; r++) {
    let start = performance.now();
    const { value, grads } = tf.variableGrads(
      () => head.loss(encoded, sentences, { random }),
      variables,
    );
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
    if (r > 0) lossTimes.push(performance.now() - start); // the first call warms up
    start = performance.now();
    head.decode(encoded, sentences);
    if (r > 0) decodeTimes.push(performance.now() - start);
  }
  console.log(
    JSON.stringify({
      backend: info.backend,
      batch,
      words: n,
      hidden,
      lossAndGradientMs: Math.round(median(lossTimes)),
      decodeMs: Math.round(median(decodeTimes)),
      tensors: tf.memory().numTensors,
    }),
  );
  head.dispose();
  tf.dispose(Object.values(encoded));
}
