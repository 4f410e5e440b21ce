#!/usr/bin/env node
// Does a task head's loss dominate the encoder step? One process, real ewt-5 sentences of
// exactly --words words, the example encoder (examples/con-ewt5-tiny.yaml: BERT 2 layers x 4
// heads, hidden 128, the EWT WordPiece tokenizer) and the CON and SRL heads at the examples'
// sizes. Each round times, back to back:
//   encoder   forward + backward of encode() (a fixed random projection of its outputs as loss)
//   con-head  CON loss (TreeCRF + label cross-entropy) forward + backward, on fixed encoder outputs
//   srl-head  SRL loss forward + backward, on fixed encoder outputs
//   con-step  the trainer's step without the optimiser: encode + CON loss, gradients of both
//   srl-step  the same with the SRL head
// and prints the medians, the head/encoder ratios, the backend, threads and load average.
// Interleaving the kinds within each round keeps the ratios fair on a shared machine.
//
//   pnpm --filter @stem/core --filter @stem/data --filter @stem/encoder-transformer \
//        --filter @stem/task-con --filter @stem/task-srl build
//   stem data build ewt-5 --source <PropBank release>   # once
//   node tools/bench/head-vs-encoder/bench-head-vs-encoder.mjs [--batch 1,16] [--words 40] [--rounds 7] [--device wasm]
//
// Imports the built packages by path: tools/bench is not a pnpm workspace member.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { importBuilt, inRepository } from '../repository.mjs';
const { selectBackend, SeededRandom, safetensors } = await importBuilt(
  'packages/core/dist/index.js',
);
const { Ewt5Corpus } = await importBuilt('packages/data/dist/index.js');
const { architectureFor, SubwordTokenizer, TransformerEncoder } = await importBuilt(
  'plugins/encoder-transformer/dist/index.js',
);
const { CrfSpanParser } = await importBuilt('plugins/task-con/dist/index.js');
const { SpanRankingLabeler } = await importBuilt('plugins/task-srl/dist/index.js');

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'auto' },
    batch: { type: 'string', default: '1,16' },
    words: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '7' },
    corpus: { type: 'string' },
    // Encoder shape (random init: speed does not depend on the weights). The default is the
    // example encoder; --layers 4 --heads 8 --hidden 256 is stem-mini's shape.
    layers: { type: 'string', default: '2' },
    heads: { type: 'string', default: '4' },
    hidden: { type: 'string', default: '128' },
    // Another build of @stem/task-con (e.g. an older commit compiled elsewhere), timed in the
    // same rounds as 'con-head-baseline'.
    'baseline-con': { type: 'string' },
  },
});
const words = Number(values.words);
const rounds = Number(values.rounds);
const { tf, info } = await selectBackend(values.device);
const random = new SeededRandom(42);

const tokenizerDirectory = inRepository('examples/tokenizers/ewt-wordpiece-8k');
const tokenizer = await SubwordTokenizer.fromDirectory(tokenizerDirectory);
const encoder = await TransformerEncoder.initialise(
  tf,
  architectureFor(
    {
      arch: 'bert',
      layers: Number(values.layers),
      heads: Number(values.heads),
      hidden: Number(values.hidden),
      maxPositions: 128,
    },
    tokenizer.vocabSize,
  ),
  tokenizerDirectory,
  random.fork('encoder'),
  { safetensors, wordDropout: 0.1 },
);
const hidden = encoder.shape.hiddenSize;

const train = await new Ewt5Corpus(values.corpus).read('train');
const pool = train.filter(
  (s) => s.words.length === words && s.annotations.con && s.annotations.srl?.length,
);
if (pool.length === 0)
  throw new Error(`no ewt-5 train sentence of ${words} words with CON and SRL`);

// Heads are built from all ewt-5 training sentences, so the label sets are the real ones.
const con = new CrfSpanParser(
  tf,
  { spanMlpSize: 500, labelMlpSize: 100, mlpDropout: 0.33 },
  { hiddenSize: hidden, trainingSentences: train },
  random.fork('con'),
);
const srl = new SpanRankingLabeler(
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

const baselineCon = values['baseline-con']
  ? new (
      await import(pathToFileURL(resolve(values['baseline-con'], 'index.js')).href)
    ).CrfSpanParser(
      tf,
      { spanMlpSize: 500, labelMlpSize: 100, mlpDropout: 0.33 },
      { hiddenSize: hidden, trainingSentences: train },
      random.fork('con'),
    )
  : undefined;

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const round1 = (x) => Math.round(x * 10) / 10;

/** Milliseconds of one forward + backward: the gradients are read back, then released. */
async function forwardBackward(lossFn, variables) {
  const start = performance.now();
  const { value, grads } = tf.variableGrads(lossFn, variables);
  await value.data();
  for (const grad of Object.values(grads)) await grad.data();
  const elapsed = performance.now() - start;
  tf.dispose([value, ...Object.values(grads)]);
  return elapsed;
}

for (const batch of values.batch.split(',').map(Number)) {
  const sentences = Array.from({ length: batch }, (_, b) => pool[b % pool.length]);
  const tokens = await encoder.tokenize(sentences.map((s) => s.words));
  const subwords = tokens.subwordIds.reduce((sum, ids) => sum + ids.length, 0);
  const options = () => ({ training: true, random: random.fork('step') });
  const encoderVariables = encoder.trainableVariables();
  // Fixed encoder outputs as variables: the heads' gradients reach them as in training.
  const fixed = encoder.encode(tokens, { training: false });
  const encoded = {
    wordVectors: tf.variable(fixed.wordVectors),
    wordMask: fixed.wordMask,
    rootVector: tf.variable(fixed.rootVector),
    eosVector: tf.variable(fixed.eosVector),
  };
  const inputs = [encoded.wordVectors, encoded.rootVector, encoded.eosVector];
  const projection = tf.randomNormal(fixed.wordVectors.shape, 0, 1, 'float32', 7);
  const kinds = {
    encoder: () =>
      forwardBackward(() => {
        const out = encoder.encode(tokens, options());
        return out.wordVectors
          .mul(projection)
          .sum()
          .add(out.rootVector.sum())
          .add(out.eosVector.sum());
      }, encoderVariables),
    'con-head': () =>
      forwardBackward(
        () => con.loss(encoded, sentences, options()),
        [...inputs, ...con.trainableVariables()],
      ),
    'srl-head': () =>
      forwardBackward(
        () => srl.loss(encoded, sentences, options()),
        [...inputs, ...srl.trainableVariables()],
      ),
    ...(baselineCon && {
      'con-head-baseline': () =>
        forwardBackward(
          () => baselineCon.loss(encoded, sentences, options()),
          [...inputs, ...baselineCon.trainableVariables()],
        ),
    }),
    'con-step': () =>
      forwardBackward(
        () => con.loss(encoder.encode(tokens, options()), sentences, options()),
        [...encoderVariables, ...con.trainableVariables()],
      ),
    'srl-step': () =>
      forwardBackward(
        () => srl.loss(encoder.encode(tokens, options()), sentences, options()),
        [...encoderVariables, ...srl.trainableVariables()],
      ),
  };
  const times = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  const tensorsBefore = tf.memory().numTensors;
  for (let r = 0; r <= rounds; r++) {
    for (const [kind, run] of Object.entries(kinds)) {
      const ms = await run();
      if (r > 0) times[kind].push(ms); // round 0 warms up
    }
  }
  const ms = Object.fromEntries(Object.entries(times).map(([k, t]) => [k, round1(median(t))]));
  const native = info.nativeKernels;
  console.log(
    JSON.stringify({
      bench: 'head-vs-encoder',
      backend: info.device,
      native: native?.active ? `on, ${native.threads} threads` : 'off',
      batch,
      words,
      subwords,
      conLabels: con.labels().labels?.length,
      msForwardBackward: ms,
      conHeadOverEncoder: round1(ms['con-head'] / ms.encoder),
      ...(baselineCon && {
        baselineConHeadOverEncoder: round1(ms['con-head-baseline'] / ms.encoder),
      }),
      srlHeadOverEncoder: round1(ms['srl-head'] / ms.encoder),
      encoderShareOfConStep: round1(ms.encoder / ms['con-step']),
      loadAverage: loadavg().map(round1),
      tensorLeak: tf.memory().numTensors - tensorsBefore,
    }),
  );
  tf.dispose([...Object.values(fixed), ...inputs, projection]);
}
