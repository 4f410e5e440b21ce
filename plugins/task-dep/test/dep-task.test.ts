import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { conlluToSentence, parseConllu, treeProblems, udFile } from '@stem/data';
import { SeededRandom, type DependencyTree, type Sentence } from '@stem/core';
import { checkRegistration, checkTaskHead, ToyEncoder } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import { BiaffineParser } from '../src/biaffine-parser.js';
import type { DepConfig } from '../src/dep-config.js';
import { isProjectiveTree } from '../src/decoding/arc-scores.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
let ewtDev: Sentence[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const file = udFile('en_ewt', 'dev');
  ewtDev = parseConllu(await readFile(file, 'utf8'), file).sentences.map((s) =>
    conlluToSentence(s),
  );
});

const config = (fields: Partial<DepConfig> = {}): DepConfig => ({
  arcMlp: 32,
  labelMlp: 16,
  negativeSlope: 0.1,
  dropout: 0,
  decoder: 'argmax',
  treeFallback: 'eisner',
  ...fields,
});

/**
 * Toy sentences whose every arc follows from word identity alone (the ToyEncoder sees no
 * context): "DET1 ADJ? NOUN1 VERB DET2 NOUN2 (PREP DET3 NOUN3)? ." with a vocabulary per slot.
 */
function syntheticTrees(count: number, seed: number): Sentence[] {
  const random = new SeededRandom(seed);
  const pick = (words: string[]) => words[random.int(words.length)] as string;
  return Array.from({ length: count }, (_, index) => {
    const words: string[] = [];
    const heads: number[] = [];
    const relations: string[] = [];
    const add = (word: string, head: number, relation: string) => {
      words.push(word);
      heads.push(head);
      relations.push(relation);
      return words.length;
    };
    const adjective = random.next() < 0.5;
    const verb = adjective ? 4 : 3;
    const subject = verb - 1;
    add(pick(['the', 'a']), subject, 'det');
    if (adjective) add(pick(['small', 'red', 'old']), subject, 'amod');
    add(pick(['dog', 'cat', 'teacher']), verb, 'nsubj');
    add(pick(['saw', 'liked', 'found']), 0, 'root');
    add(pick(['every', 'this']), verb + 2, 'det');
    const object = add(pick(['report', 'river', 'song']), verb, 'obj');
    if (random.next() < 0.4) {
      add(pick(['near', 'under']), object + 3, 'case');
      add(pick(['some', 'that']), object + 3, 'det');
      add(pick(['house', 'bridge']), verb, 'obl');
    }
    add(pick(['.', '!']), verb, 'punct');
    return { id: `t-${index}`, words, annotations: { dep: { heads, relations } } };
  });
}

// Generous timeouts: the pure-JS backend on a shared 2-core machine.
describe('@stem/task-dep', { timeout: 240_000 }, () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => c.id)).toEqual(['stem.task.dep.biaffine.v1']);
  });

  it('trains, saves, loads and predicts the same on real UD EWT sentences', async () => {
    // Two of them hold multi-word tokens ("didn't" = did + n't, "Today's"): the reader keeps
    // the syntactic words, which the heads index.
    const sentences = ewtDev.slice(4, 10);
    expect(sentences[2]!.words).toEqual(expect.arrayContaining(['did', "n't"]));
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.dep.biaffine.v1',
      config: { arcMlp: 24, labelMlp: 12 },
      sentences,
      steps: 20,
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
    for (const [i, prediction] of (report.predictions as DependencyTree[]).entries()) {
      expect(prediction.heads).toHaveLength(sentences[i]!.words.length);
      // The default decoding (argmax, Eisner fallback) always yields a projective tree.
      expect(treeProblems(prediction.heads)).toEqual([]);
      expect(isProjectiveTree(prediction.heads)).toBe(true);
    }
  });

  it('passes with Chu-Liu/Edmonds decoding and dropout', async () => {
    await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.dep.biaffine.v1',
      config: { decoder: 'chu-liu-edmonds', arcMlp: 24, labelMlp: 12, dropout: 0.33 },
      sentences: ewtDev.slice(10, 14),
      steps: 10,
    });
  });

  it('builds its relation set from the training split, in order of first appearance', () => {
    const sentences = ewtDev.slice(0, 40);
    const head = new BiaffineParser(
      tf,
      config(),
      { hiddenSize: 8, trainingSentences: sentences },
      new SeededRandom(1),
    );
    const firstSeen = [...new Set(sentences.flatMap((s) => s.annotations.dep?.relations ?? []))];
    expect(head.labels().relations).toEqual(firstSeen);
    expect(head.labels().relations).toContain('nsubj');
    expect(
      () =>
        new BiaffineParser(
          tf,
          config(),
          { hiddenSize: 8, trainingSentences: [{ id: 'x', words: ['a'], annotations: {} }] },
          new SeededRandom(1),
        ),
    ).toThrow(/no dependency relations/);
    head.dispose();
  });

  it('learns to parse: attachment goes from untrained (below 0.5) to near perfect on held-out toy sentences', async () => {
    const train = syntheticTrees(32, 1);
    const heldOut = syntheticTrees(24, 2);
    // 257 hash buckets give each of the toy words its own embedding.
    const encoder = new ToyEncoder(tf, new SeededRandom(4), { vocabularySize: 257 });
    const head = new BiaffineParser(
      tf,
      config({ dropout: 0.2 }),
      { hiddenSize: 16, trainingSentences: train },
      new SeededRandom(5),
    );
    const score = async () => {
      const metric = head.createMetric();
      const tokens = await encoder.tokenize(heldOut.map((s) => s.words));
      const encoded = encoder.encode(tokens, { training: false });
      metric.update(heldOut, head.decode(encoded, heldOut));
      tf.dispose(Object.values(encoded));
      return metric.result().scores;
    };
    const before = await score();
    const tokens = await encoder.tokenize(train.map((s) => s.words));
    const optimizer = tf.train.adam(0.03);
    const random = new SeededRandom(6);
    const tensors = tf.memory().numTensors;
    for (let step = 0; step < 50; step++) {
      const stepRandom = random.fork(`step/${step}`);
      optimizer.minimize(
        () =>
          head.loss(encoder.encode(tokens, { training: true }), train, {
            random: stepRandom,
          }),
        false,
        [...encoder.trainableVariables(), ...head.trainableVariables()],
      );
      // Adam's moments appear on the first step; after that nothing may accumulate.
      if (step === 0) expect(tf.memory().numTensors).toBeGreaterThan(tensors);
    }
    const after = await score();
    expect(before.las).toBeLessThan(0.5);
    expect(after.uas).toBeGreaterThan(0.95);
    expect(after.las).toBeGreaterThan(0.95);
    head.dispose();
    encoder.dispose();
  });

  it('decodes test and predict batches with testDecoder / testTreeFallback, dev with decoder', async () => {
    const sentences = ewtDev.filter((s) => s.words.length >= 8 && s.words.length <= 14).slice(0, 8);
    const encoder = new ToyEncoder(tf, new SeededRandom(7));
    // Untrained MLPs with random biaffine weights: the argmax is rarely a tree.
    const head = new BiaffineParser(
      tf,
      config({ treeFallback: 'none', testTreeFallback: 'eisner' }),
      { hiddenSize: 16, trainingSentences: sentences },
      new SeededRandom(8),
    );
    const weights = head.weights();
    const noise = new SeededRandom(9);
    for (const name of ['arc_biaffine.weight', 'label_biaffine.weight']) {
      const variable = weights[name] as tf.Variable;
      variable.assign(
        tf.tensor(
          Float32Array.from({ length: variable.size }, () => noise.uniform(-3, 3)),
          variable.shape,
        ),
      );
    }
    const encoded = encoder.encode(await encoder.tokenize(sentences.map((s) => s.words)), {
      training: false,
    });
    const dev = head.decode(encoded, sentences, { purpose: 'dev' });
    const plain = head.decode(encoded, sentences);
    const test = head.decode(encoded, sentences, { purpose: 'test' });
    const predict = head.decode(encoded, sentences, { purpose: 'predict' });
    tf.dispose(Object.values(encoded));
    expect(plain).toEqual(dev);
    expect(predict).toEqual(test);
    expect(dev.some((tree) => treeProblems(tree.heads).length > 0)).toBe(true);
    for (const tree of test) {
      expect(treeProblems(tree.heads)).toEqual([]);
      expect(isProjectiveTree(tree.heads)).toBe(true);
    }
    head.dispose();
    encoder.dispose();
  });
});
