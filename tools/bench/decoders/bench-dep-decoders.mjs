#!/usr/bin/env node
// Sentences per second of the DEP decoders of @stem/task-dep (Eisner, Chu-Liu/Edmonds, argmax
// with the Eisner fallback) on random log-probability scores, at n = 20, 50, 100 words.
// Random scores are the hard case: their argmax is almost never a tree, so the fallback runs.
// Prints one JSON line per (decoder, n).
//
//   pnpm --filter @stem/core --filter @stem/task-dep build
//   node tools/bench/decoders/bench-dep-decoders.mjs [--sentences 200] [--lengths 20,50,100]
//
// Imports the built packages by path: tools/bench is not a pnpm workspace member.
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
const { SeededRandom } = await importBuilt('packages/core/dist/index.js');
const { arcScores, chuLiuEdmondsHeads, decodeTree, eisnerHeads } = await importBuilt(
  'plugins/task-dep/dist/index.js',
);

const { values } = parseArgs({
  options: {
    sentences: { type: 'string', default: '200' },
    lengths: { type: 'string', default: '20,50,100' },
    seed: { type: 'string', default: '0' },
  },
});
const count = Number(values.sentences);
const lengths = values.lengths.split(',').map(Number);
const random = new SeededRandom(Number(values.seed));

/** Row-normalised random scores, as the parser's log-softmax over heads gives them. */
function randomScores(n) {
  const size = n + 1;
  const scores = new Float64Array(size * size);
  for (let d = 1; d <= n; d++) {
    let max = -Infinity;
    for (let h = 0; h <= n; h++) {
      const v = random.uniform(-5, 5);
      scores[d * size + h] = v;
      max = Math.max(max, v);
    }
    let sum = 0;
    for (let h = 0; h <= n; h++) sum += Math.exp(scores[d * size + h] - max);
    const logZ = max + Math.log(sum);
    for (let h = 0; h <= n; h++) scores[d * size + h] -= logZ;
  }
  return arcScores(n, scores);
}

const decoders = {
  eisner: eisnerHeads,
  'chu-liu-edmonds': chuLiuEdmondsHeads,
  'argmax+eisner': (scores) => decodeTree(scores, { decoder: 'argmax', treeFallback: 'eisner' }),
};

for (const n of lengths) {
  const batch = Array.from({ length: count }, () => randomScores(n));
  for (const [name, decode] of Object.entries(decoders)) {
    for (let i = 0; i < Math.min(10, count); i++) decode(batch[i]); // warm-up
    const started = process.hrtime.bigint();
    for (const scores of batch) decode(scores);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      JSON.stringify({
        decoder: name,
        words: n,
        sentences: count,
        sentencesPerSecond: Math.round(count / seconds),
      }),
    );
  }
}
