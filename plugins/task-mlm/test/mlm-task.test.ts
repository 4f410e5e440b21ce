import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  encodeOptionsFor,
  evaluationRandom,
  type Encoder,
  type Sentence,
  type TokenizedBatch,
} from '@stem/core';
import { checkRegistration, checkTaskHead, syntheticTaggedSentences } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import { MaskedLanguageModelHead } from '../src/masked-lm-head.js';
import { MaskedLmMetric } from '../src/masked-lm-metric.js';
import type { MaskedLmTargets } from '../src/masked-lm-targets.js';
import { maskRow, type MaskingOptions } from '../src/masking.js';
import type { MlmConfig } from '../src/mlm-config.js';
import { NeighbourEncoder } from './support/neighbour-encoder.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const defaults: MlmConfig = {
  maskRate: 0.15,
  maskTokenShare: 0.8,
  randomTokenShare: 0.1,
  layerNormEps: 1e-12,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Sentences without any annotation: raw text. */
function rawText(count: number, seed: number): Sentence[] {
  return syntheticTaggedSentences(count, seed).map((s) => ({ ...s, annotations: {} }));
}

describe('@stem/task-mlm', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => c.id)).toEqual(['stem.task.mlm.v1']);
  });

  it('trains, saves, loads and predicts the same on raw text (no annotation required)', async () => {
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.mlm.v1',
      config: { maskRate: 0.3 },
      sentences: rawText(12, 3),
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });
});

describe('masking', () => {
  const options: MaskingOptions = {
    rate: 0.15,
    maskShare: 0.8,
    randomShare: 0.1,
    maskId: 3,
    neverMasked: new Set([0, 1, 2, 3]),
    vocabularySize: 100,
    neverReplacement: new Set([0, 1, 2, 3]),
  };
  const rows = (count: number, random: SeededRandom): number[][] =>
    Array.from({ length: count }, () => [
      0,
      ...Array.from({ length: 18 }, () => 4 + random.int(96)),
      3,
      2,
      1,
    ]);

  it('selects 15% of ordinary tokens, 80% -> [MASK], 10% -> random, 10% kept; never a special', () => {
    const input = rows(2000, new SeededRandom(1));
    const random = new SeededRandom(7);
    let eligible = 0;
    const outcome = { selected: 0, masked: 0, replaced: 0, kept: 0 };
    for (const row of input) {
      const masked = maskRow(row, options, random);
      eligible += row.filter((id) => id >= 4).length;
      outcome.selected += masked.positions.length;
      masked.positions.forEach((t, i) => {
        expect(row[t]).toBeGreaterThanOrEqual(4);
        expect(masked.labels[i]).toBe(row[t]);
        const now = masked.ids[t] as number;
        if (now === 3) outcome.masked += 1;
        else if (now === row[t]) outcome.kept += 1;
        else {
          outcome.replaced += 1;
          expect(now).toBeGreaterThanOrEqual(4);
        }
      });
      // Unselected positions, specials among them, are untouched.
      row.forEach((id, t) => {
        if (!masked.positions.includes(t)) expect(masked.ids[t]).toBe(id);
      });
    }
    expect(outcome.selected / eligible).toBeCloseTo(0.15, 2);
    expect(outcome.masked / outcome.selected).toBeGreaterThan(0.78);
    expect(outcome.masked / outcome.selected).toBeLessThan(0.82);
    // A random draw equals the original 1 time in 96: it then counts as kept.
    expect(outcome.replaced / outcome.selected).toBeGreaterThan(0.085);
    expect(outcome.replaced / outcome.selected).toBeLessThan(0.115);
    expect(outcome.kept / outcome.selected).toBeGreaterThan(0.085);
    expect(outcome.kept / outcome.selected).toBeLessThan(0.115);
  });

  it('draws the same masks from the same stream (a resumed step) and others from another', () => {
    const input = rows(50, new SeededRandom(2));
    const draw = (random: SeededRandom) => input.map((row) => maskRow(row, options, random));
    const run = new SeededRandom(42);
    expect(draw(run.fork('step/17/batch'))).toEqual(draw(run.fork('step/17/batch')));
    expect(draw(run.fork('step/17/batch'))).not.toEqual(draw(run.fork('step/18/batch')));
  });
});

describe('MaskedLanguageModelHead', () => {
  const words = Array.from({ length: 10 }, (_, i) => `w${i}`);

  it('masks dev sentences by their ids: the same masks whatever the batching', async () => {
    const encoder = new NeighbourEncoder(tf, words, new SeededRandom(1));
    const head = new MaskedLanguageModelHead(
      tf,
      { ...defaults, maskRate: 0.4 },
      { hiddenSize: 16, trainingSentences: [], encoder },
      new SeededRandom(2),
    );
    const sentences = cyclicSentences(6, 12, new SeededRandom(3));
    const tokens = await encoder.tokenize(sentences.map((s) => s.words));
    const masksOf = (indices: number[]) => {
      const batch: TokenizedBatch = {
        subwordIds: indices.map((i) => tokens.subwordIds[i] as number[]),
        wordSpans: indices.map((i) => tokens.wordSpans[i] as Array<[number, number]>),
        wordCounts: indices.map((i) => tokens.wordCounts[i] as number),
      };
      const prepared = head.prepareBatch(
        batch,
        indices.map((i) => sentences[i] as Sentence),
        { random: evaluationRandom('dev'), training: false },
      );
      return new Map(indices.map((i, b) => [i, prepared.tokens.subwordIds[b]]));
    };
    const together = masksOf([0, 1, 2, 3, 4, 5]);
    const apart = new Map([...masksOf([4, 2]), ...masksOf([5, 0, 3]), ...masksOf([1])]);
    for (let i = 0; i < 6; i++) expect(apart.get(i)).toEqual(together.get(i));
    expect([...together.values()].flat().filter((id) => id === 3).length).toBeGreaterThan(0);
    head.dispose();
    encoder.dispose();
  });

  it('imports the Hugging Face cls.predictions weights it exports (PyTorch layout, dense weight transposed)', () => {
    const encoder = new NeighbourEncoder(tf, words, new SeededRandom(1));
    const build = (seed: number) =>
      new MaskedLanguageModelHead(
        tf,
        defaults,
        { hiddenSize: 16, trainingSentences: [], encoder },
        new SeededRandom(seed),
      );
    const source = build(7);
    const target = build(8);
    const exported = source.exportWeights();
    const dense = exported['cls.predictions.transform.dense.weight']!;
    expect(dense.arraySync()).toEqual(
      tf.transpose(source.weights()['cls.predictions.transform.dense.weight']!).arraySync(),
    );
    target.importWeights(exported);
    for (const [name, tensor] of Object.entries(source.weights()))
      expect(target.weights()[name]!.arraySync(), name).toEqual(tensor.arraySync());
    expect(() => target.importWeights({})).toThrow(
      /"cls.predictions.transform.dense.weight" is missing/,
    );
    tf.dispose(Object.values(exported));
    source.dispose();
    target.dispose();
    encoder.dispose();
  });

  it('computes the loss and the tied gradient of a hand-made case as a reference implementation does', () => {
    const random = new SeededRandom(11);
    const values = (n: number, scale = 1) =>
      Array.from({ length: n }, () => random.uniform(-scale, scale));
    const vocabulary = 6;
    const hidden = 4;
    const embeddingValues = values(vocabulary * hidden);
    const embeddings = tf.variable(tf.tensor2d(embeddingValues, [vocabulary, hidden]));
    const encoder = {
      inputEmbeddings: () => embeddings,
      vocabulary: () => ({ size: vocabulary, specials: { cls: 0, sep: 1, pad: 2, mask: 3 } }),
    } as unknown as Encoder;
    const head = new MaskedLanguageModelHead(
      tf,
      defaults,
      { hiddenSize: hidden, trainingSentences: [], encoder },
      new SeededRandom(12),
    );
    const weights = {
      dense: values(hidden * hidden),
      denseBias: values(hidden, 0.5),
      gamma: values(hidden, 0.5).map((v) => 1 + v),
      beta: values(hidden, 0.5),
      outputBias: values(vocabulary, 0.5),
    };
    const given = {
      'cls.predictions.transform.dense.weight': tf.tensor2d(weights.dense, [hidden, hidden]),
      'cls.predictions.transform.dense.bias': tf.tensor1d(weights.denseBias),
      'cls.predictions.transform.LayerNorm.weight': tf.tensor1d(weights.gamma),
      'cls.predictions.transform.LayerNorm.bias': tf.tensor1d(weights.beta),
      'cls.predictions.bias': tf.tensor1d(weights.outputBias),
    };
    head.loadWeights(given);
    tf.dispose(Object.values(given));
    const stateValues = values(2 * 3 * hidden);
    const subwordStates = tf.tensor3d(stateValues, [2, 3, hidden]);
    const targets: MaskedLmTargets = { rows: [0, 1, 1], positions: [1, 0, 2], labels: [4, 5, 0] };
    const encoded = {
      wordVectors: tf.zeros([2, 1, hidden]),
      wordMask: tf.ones([2, 1]),
      rootVector: tf.zeros([2, hidden]),
      eosVector: tf.zeros([2, hidden]),
      subwordStates,
    } as never;
    const context = { random: new SeededRandom(1), targets };

    // Reference: BERT's transform and tied projection, written out in plain numbers.
    let expectedLoss = 0;
    const expectedGradient = new Array<number>(vocabulary * hidden).fill(0);
    targets.labels.forEach((label, i) => {
      const offset = ((targets.rows[i] as number) * 3 + (targets.positions[i] as number)) * hidden;
      const state = stateValues.slice(offset, offset + hidden);
      const dense = Array.from(
        { length: hidden },
        (_, o) =>
          (weights.denseBias[o] as number) +
          state.reduce((sum, x, k) => sum + x * (weights.dense[k * hidden + o] as number), 0),
      );
      const activated = dense.map((x) => 0.5 * x * (1 + erf(x / Math.SQRT2)));
      const mean = activated.reduce((a, b) => a + b, 0) / hidden;
      const variance = activated.reduce((a, b) => a + (b - mean) ** 2, 0) / hidden;
      const h = activated.map(
        (x, o) =>
          ((x - mean) / Math.sqrt(variance + 1e-12)) * (weights.gamma[o] as number) +
          (weights.beta[o] as number),
      );
      const logits = Array.from(
        { length: vocabulary },
        (_, v) =>
          (weights.outputBias[v] as number) +
          h.reduce((sum, x, o) => sum + x * (embeddingValues[v * hidden + o] as number), 0),
      );
      const top = Math.max(...logits);
      const normaliser = Math.log(logits.reduce((sum, l) => sum + Math.exp(l - top), 0)) + top;
      expectedLoss -= ((logits[label] as number) - normaliser) / targets.labels.length;
      // d loss / d E[v] through the tied projection only: (p_v - [v = label]) h / n.
      logits.forEach((l, v) => {
        const p = Math.exp(l - normaliser) - (v === label ? 1 : 0);
        h.forEach((x, o) => {
          expectedGradient[v * hidden + o] =
            (expectedGradient[v * hidden + o] as number) + (p * x) / targets.labels.length;
        });
      });
    });

    const loss = tf.tidy(() => head.loss(encoded, [], context).dataSync()[0] as number);
    expect(loss).toBeCloseTo(expectedLoss, 5);
    // The states are constants here: the embedding's gradient comes through the tied output alone.
    const { value, grads } = tf.variableGrads(() => head.loss(encoded, [], context), [embeddings]);
    const gradient = grads[embeddings.name] as tf.Tensor;
    const actual = Array.from(gradient.dataSync());
    actual.forEach((g, i) => expect(g).toBeCloseTo(expectedGradient[i] as number, 5));
    expect(Math.max(...actual.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(head.trainableVariables()).not.toContain(embeddings);
    tf.dispose([value, gradient, subwordStates]);
    tf.dispose(Object.values(encoded as Record<string, tf.Tensor>));
    head.dispose();
    embeddings.dispose();
  });

  it('learns a tiny synthetic language: dev loss falls far below the unigram entropy', async () => {
    const train = cyclicSentences(48, 8, new SeededRandom(5));
    const dev = cyclicSentences(32, 8, new SeededRandom(6));
    const counts = new Map<string, number>();
    for (const word of train.flatMap((s) => s.words)) counts.set(word, (counts.get(word) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const unigramEntropy = -[...counts.values()].reduce(
      (sum, c) => sum + (c / total) * Math.log(c / total),
      0,
    );
    const encoder = new NeighbourEncoder(tf, words, new SeededRandom(7));
    const head = new MaskedLanguageModelHead(
      tf,
      { ...defaults, maskRate: 0.25 },
      { hiddenSize: 16, trainingSentences: train, encoder },
      new SeededRandom(8),
    );
    const devTokens = await encoder.tokenize(dev.map((s) => s.words));
    const devScores = () => {
      const prepared = head.prepareBatch(devTokens, dev, {
        random: evaluationRandom('dev'),
        training: false,
      });
      const encoded = encoder.encode(prepared.tokens, encodeOptionsFor(head, { training: false }));
      const metric = new MaskedLmMetric();
      metric.update(dev, head.decode(encoded, dev, { targets: prepared.targets }));
      tf.dispose(Object.values(encoded));
      return metric.result().scores;
    };
    const before = devScores();
    const tokens = await encoder.tokenize(train.map((s) => s.words));
    const optimizer = tf.train.adam(0.03);
    const run = new SeededRandom(9);
    for (let step = 0; step < 80; step++) {
      const stepRandom = run.fork(`step/${step}`);
      const prepared = head.prepareBatch(tokens, train, {
        random: stepRandom.fork('batch'),
        training: true,
      });
      optimizer
        .minimize(
          () =>
            head.loss(
              encoder.encode(prepared.tokens, encodeOptionsFor(head, { training: true })),
              train,
              { random: stepRandom.fork('head'), targets: prepared.targets },
            ),
          true,
          [...encoder.trainableVariables(), ...head.trainableVariables()],
        )
        ?.dispose();
    }
    const after = devScores();
    expect(unigramEntropy).toBeGreaterThan(2.2);
    expect(before.loss).toBeGreaterThan(unigramEntropy);
    expect(after.loss).toBeLessThan(unigramEntropy / 4);
    expect(after.accuracy).toBeGreaterThan(0.9);
    expect(after.perplexity).toBeCloseTo(Math.exp(after.loss as number), 6);
    optimizer.dispose();
    head.dispose();
    encoder.dispose();
  }, 180_000);
});

describe('MaskedLmMetric', () => {
  it('reports accuracy, mean loss in nats and perplexity over masked tokens (hand-computed)', () => {
    const metric = new MaskedLmMetric();
    const sentence = (id: string): Sentence => ({ id, words: ['a'], annotations: {} });
    metric.update(
      [sentence('a'), sentence('b')],
      [
        { positions: [1, 3], gold: [5, 6], predicted: [5, 7], logLikelihoods: [-0.5, -2] },
        { positions: [2], gold: [9], predicted: [9], logLikelihoods: [-0.5] },
      ],
    );
    const { primary, scores } = metric.result();
    expect(primary).toBe('logLikelihood');
    expect(scores.logLikelihood).toBeCloseTo(-1, 12);
    expect(scores.accuracy).toBeCloseTo(2 / 3, 12);
    expect(scores.loss).toBeCloseTo(1, 12);
    expect(scores.perplexity).toBeCloseTo(Math.E, 12);
    expect(scores.masked).toBe(3);
    metric.reset();
    expect(metric.result().scores.masked).toBe(0);
  });
});

/** Sentences of a cyclic language: w_i is always followed by w_(i+1 mod 10). */
function cyclicSentences(count: number, length: number, random: SeededRandom): Sentence[] {
  return Array.from({ length: count }, (_, n) => {
    const start = random.int(10);
    return {
      id: `cyclic-${n}`,
      words: Array.from({ length }, (_, i) => `w${(start + i) % 10}`),
      annotations: {},
    };
  });
}

/** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const sign = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-x * x));
}
