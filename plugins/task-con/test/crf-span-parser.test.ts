import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type Sentence, type TreeNode } from '@stem/core';
import {
  Conll2012Corpus,
  debinarize,
  parsePtb,
  treeToString,
  treeWords,
  writePtb,
} from '@stem/data';
import { checkRegistration, checkTaskHead, ToyEncoder } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrfSpanParser, fenceposts, leavesOf } from '../src/crf-span-parser.js';
import registerHook from '../src/hooks/register.js';
import { spanMarginals } from '../src/tree-crf.js';
import { treeCrfLogPartition } from '../src/tree-crf-op.js';
import { readEwtTrees } from './support.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const small = { spanMlpSize: 24, labelMlpSize: 12, mlpDropout: 0 };

let dev: Sentence[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  dev = (await readEwtTrees(80)).devSentences;
});

async function encodeWith(encoder: ToyEncoder, sentences: readonly Sentence[]) {
  return encoder.encode(await encoder.tokenize(sentences.map((s) => s.words)), {
    training: false,
  });
}

describe('@stem/task-con', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => c.id)).toEqual(['stem.task.con.crf.v1']);
  });

  it('trains, saves, loads and predicts the same on real EWT gold trees', async () => {
    const sentences = dev.filter((s) => s.words.length <= 25).slice(0, 8);
    expect(sentences).toHaveLength(8);
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.con.crf.v1',
      config: { ...small, mlpDropout: 0.2 },
      sentences,
      steps: 12,
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
    // Decoded trees cover the words and parse back with the project's PTB reader.
    const trees = report.predictions as TreeNode[];
    trees.forEach((t, k) => expect(treeWords(t)).toEqual(sentences[k]!.words));
    const text = writePtb(trees.map(escapeBrackets));
    expect(parsePtb(text).map((p) => treeToString(p.tree))).toEqual(
      trees.map((t) => treeToString(escapeBrackets(t))),
    );
  });
});

describe('CrfSpanParser', () => {
  it('builds fenceposts [forward(s_k) ; backward(s_k+1)] with [CLS] and [SEP] as boundaries', () => {
    const hidden = 4;
    const words = 3;
    // Sentence 0 has 3 words, sentence 1 has 2 (its third slot is padding).
    const wordVectors = tf.tensor3d(
      Array.from({ length: 2 * words * hidden }, (_, i) => i + 1),
      [2, words, hidden],
    );
    const rootVector = tf.tensor2d([-1, -2, -3, -4, -5, -6, -7, -8], [2, hidden]);
    const eosVector = tf.tensor2d([100, 200, 300, 400, 500, 600, 700, 800], [2, hidden]);
    const wordMask = tf.tensor2d([1, 1, 1, 1, 1, 0], [2, words]);
    const x = fenceposts(tf, { wordVectors, wordMask, rootVector, eosVector }, [3, 2]);
    const out = x.arraySync();
    expect(x.shape).toEqual([2, words + 1, hidden]);
    const w = (b: number, i: number) => wordVectors.arraySync()[b]![i]!;
    // Fencepost 0: forward half of [CLS], backward half of word 0.
    expect(out[0]![0]).toEqual([-1, -2, ...w(0, 0).slice(2)]);
    // Fencepost 1: forward half of word 0, backward half of word 1.
    expect(out[0]![1]).toEqual([...w(0, 0).slice(0, 2), ...w(0, 1).slice(2)]);
    // Last fencepost: forward half of the last word, backward half of [SEP].
    expect(out[0]![3]).toEqual([...w(0, 2).slice(0, 2), 300, 400]);
    // The shorter sentence's [SEP] sits right after its own last word.
    expect(out[1]![2]).toEqual([...w(1, 1).slice(0, 2), 700, 800]);
    tf.dispose([wordVectors, rootVector, eosVector, wordMask, x]);
  });

  it('the log Z op has the span marginals as gradient, matching finite differences', () => {
    const counts = [4, 2];
    const size = 5;
    const random = new SeededRandom(9);
    const values = Float32Array.from({ length: 2 * size * size }, () => random.uniform(-2, 2));
    const scores = tf.tensor3d(values, [2, size, size]);
    const weights = tf.tensor1d([0.7, -1.3]);
    const f = (s: tf.Tensor) =>
      treeCrfLogPartition(tf, s as tf.Tensor3D, counts)
        .mul(weights)
        .sum();
    const gradient = (tf.grad(f)(scores) as tf.Tensor3D).arraySync();
    for (let b = 0; b < 2; b++) {
      const n = counts[b]!;
      const { marginals } = spanMarginals({ n, values, stride: size, offset: b * size * size });
      for (let i = 0; i < size; i++)
        for (let j = 0; j < size; j++) {
          const expected = i < j && j <= n ? marginals[i * (n + 1) + j]! : 0;
          expect(gradient[b]![i]![j]).toBeCloseTo(expected * (b === 0 ? 0.7 : -1.3), 5);
        }
    }
    // Finite differences of the op itself on one span.
    const h = 1e-2;
    const at = (delta: number) => {
      const moved = Float32Array.from(values);
      moved[1 * size + 3]! += delta;
      return tf.tidy(() => f(tf.tensor3d(moved, [2, size, size])).dataSync()[0] as number);
    };
    expect((at(h) - at(-h)) / (2 * h)).toBeCloseTo(gradient[0]![1]![3]!, 3);
    tf.dispose([scores, weights]);
  });

  it('decodes well-formed trees over every word, for any weights (property)', async () => {
    const sentences = dev.slice(0, 40);
    const encoder = new ToyEncoder(tf, new SeededRandom(1), { hiddenSize: 16 });
    for (let seed = 0; seed < 3; seed++) {
      const head = new CrfSpanParser(
        tf,
        small,
        { hiddenSize: 16, trainingSentences: dev },
        new SeededRandom(seed),
      );
      // Non-zero biaffine weights, so spans and labels differ from the all-tied start.
      const random = new SeededRandom(100 + seed);
      for (const v of head.trainableVariables())
        v.assign(tf.randomUniform(v.shape, -1, 1, 'float32', random.nextSeed()));
      const encoded = await encodeWith(encoder, sentences);
      const before = tf.memory().numTensors;
      const trees = head.decode(encoded, sentences);
      expect(tf.memory().numTensors).toBe(before);
      trees.forEach((t, k) => {
        expect(treeWords(t)).toEqual(sentences[k]!.words);
        expect(t.word).toBeUndefined();
        // De-binarised: no intermediate or collapsed labels remain, no phrase is empty.
        const walk = (n: TreeNode): void => {
          if (n.word !== undefined) return;
          expect(n.label).not.toMatch(/\||\+|<null>/);
          expect(n.children.length).toBeGreaterThan(0);
          n.children.forEach(walk);
        };
        walk(t);
        expect(treeToString(debinarize(t))).toBe(treeToString(t));
      });
      tf.dispose(Object.values(encoded));
      head.dispose();
    }
    encoder.dispose();
  });

  it('learns: labelled F1 on its training trees rises from near zero to high', async () => {
    const train = dev.filter((s) => s.words.length <= 12).slice(0, 12);
    const encoder = new ToyEncoder(tf, new SeededRandom(4), {
      hiddenSize: 32,
      vocabularySize: 211,
    });
    const head = new CrfSpanParser(
      tf,
      { spanMlpSize: 32, labelMlpSize: 32, mlpDropout: 0 },
      { hiddenSize: 32, trainingSentences: train },
      new SeededRandom(5),
    );
    const f1 = async () => {
      const metric = head.createMetric();
      const encoded = await encodeWith(encoder, train);
      metric.update(train, head.decode(encoded, train));
      tf.dispose(Object.values(encoded));
      return metric.result().scores.f1 as number;
    };
    const before = await f1();
    const tokens = await encoder.tokenize(train.map((s) => s.words));
    const optimizer = tf.train.adam(0.02);
    for (let step = 0; step < 15; step++) {
      optimizer.minimize(
        () => head.loss(encoder.encode(tokens, { training: true }), train),
        false,
        [...encoder.trainableVariables(), ...head.trainableVariables()],
      );
    }
    const after = await f1();
    expect(before).toBeLessThan(0.3);
    expect(after).toBeGreaterThan(0.9);
    head.dispose();
    encoder.dispose();
  });

  it('reads CoNLL-2012 files given by path: trains, decodes and scores their trees', async () => {
    const folder = fileURLToPath(
      new URL('../../../packages/data/test/fixtures/conll2012', import.meta.url),
    );
    const corpus = new Conll2012Corpus({ directory: folder });
    const train = await corpus.read('train');
    const test = await corpus.read('test');
    expect(train.length).toBeGreaterThan(0);
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.con.crf.v1',
      config: small,
      sentences: train,
      steps: 6,
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
    const encoder = new ToyEncoder(tf, new SeededRandom(2), { hiddenSize: 16 });
    const head = new CrfSpanParser(
      tf,
      small,
      { hiddenSize: 16, trainingSentences: train },
      new SeededRandom(3),
    );
    const encoded = await encodeWith(encoder, test);
    const trees = head.decode(encoded, test);
    const metric = head.createMetric();
    metric.update(test, trees);
    expect(metric.result().scores.sentences).toBe(test.length);
    tf.dispose(Object.values(encoded));
    head.dispose();
    encoder.dispose();
  });

  it('names the sentence whose tree does not cover its words', () => {
    const con = parsePtb('(TOP (S (NP (PRP I)) (VP (VBP run))))')[0]!.tree;
    const sentence: Sentence = { id: 'bad-1', words: ['I', 'run', 'fast'], annotations: { con } };
    expect(
      () =>
        new CrfSpanParser(
          tf,
          small,
          { hiddenSize: 8, trainingSentences: [sentence] },
          new SeededRandom(1),
        ),
    ).toThrow(/sentence bad-1 has 3 words but its tree .* has 2/);
  });

  it('writes pre-terminal tags from the sentence tree, else its POS layer, else XX', () => {
    const con = parsePtb('(TOP (S (NP (PRP I)) (VP (VBP run))))')[0]!.tree;
    const words = ['I', 'run'];
    const tags = (s: Sentence) => leavesOf(s).map((l) => l.label);
    expect(tags({ id: 'a', words, annotations: { con, pos: ['X', 'Y'] } })).toEqual(['PRP', 'VBP']);
    expect(tags({ id: 'b', words, annotations: { pos: ['X', 'Y'] } })).toEqual(['X', 'Y']);
    expect(tags({ id: 'c', words, annotations: {} })).toEqual(['XX', 'XX']);
  });
});

/** PTB-escaped words, as `stem predict` writes them. */
function escapeBrackets(tree: TreeNode): TreeNode {
  if (tree.word !== undefined)
    return {
      ...tree,
      word: tree.word.replace(/\(/g, '-LRB-').replace(/\)/g, '-RRB-'),
    };
  return { ...tree, children: tree.children.map(escapeBrackets) };
}
