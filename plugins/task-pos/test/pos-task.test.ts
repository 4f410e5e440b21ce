import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { SeededRandom, type Sentence } from '@stem/core';
import {
  checkRegistration,
  checkTaskHead,
  ToyEncoder,
  syntheticTaggedSentences,
} from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import { SoftmaxTagger } from '../src/softmax-tagger.js';
import { TaggingAccuracy } from '../src/tagging-accuracy.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
let ewtDev: Sentence[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const file = udFile('en_ewt', 'dev');
  ewtDev = parseConllu(await readFile(file, 'utf8'), file).sentences.map((s) =>
    conlluToSentence(s),
  );
});

describe('@stem/task-pos', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => c.id)).toEqual(['stem.task.pos.softmax.v1']);
  });

  it('trains, saves, loads and predicts the same on real UD EWT sentences (PTB tags)', async () => {
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.pos.softmax.v1',
      sentences: ewtDev.slice(0, 12),
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });

  it('tags UPOS when configured, and applies dropout only with a training context', async () => {
    await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.pos.softmax.v1',
      config: { tagSet: 'upos', dropout: 0.2 },
      sentences: ewtDev.slice(12, 24),
    });
  });

  it('builds its tag set from the training split, in order of first appearance', () => {
    const sentences = ewtDev.slice(0, 50);
    const head = new SoftmaxTagger(
      tf,
      { tagSet: 'xpos', dropout: 0 },
      { hiddenSize: 8, trainingSentences: sentences },
      new SeededRandom(1),
    );
    const firstSeen = [...new Set(sentences.flatMap((s) => s.annotations.pos ?? []))];
    expect(head.labels().tags).toEqual(firstSeen);
    expect(head.labels().tags).toContain('NNP');
    head.dispose();
  });

  it('learns to tag: accuracy on held-out synthetic sentences goes from chance to near perfect', async () => {
    const train = syntheticTaggedSentences(64, 1);
    const heldOut = syntheticTaggedSentences(32, 2);
    const encoder = new ToyEncoder(tf, new SeededRandom(4));
    const head = new SoftmaxTagger(
      tf,
      { tagSet: 'xpos', dropout: 0 },
      { hiddenSize: 16, trainingSentences: train },
      new SeededRandom(5),
    );
    const accuracy = async () => {
      const metric = head.createMetric();
      const tokens = await encoder.tokenize(heldOut.map((s) => s.words));
      const encoded = encoder.encode(tokens, { training: false });
      metric.update(heldOut, head.decode(encoded, heldOut));
      tf.dispose(Object.values(encoded));
      return metric.result().scores.accuracy as number;
    };
    const before = await accuracy();
    const tokens = await encoder.tokenize(train.map((s) => s.words));
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 60; step++) {
      optimizer.minimize(
        () => head.loss(encoder.encode(tokens, { training: true }), train),
        false,
        [...encoder.trainableVariables(), ...head.trainableVariables()],
      );
    }
    expect(before).toBeLessThan(0.5);
    expect(await accuracy()).toBeGreaterThan(0.95);
    head.dispose();
    encoder.dispose();
  });
});

describe('TaggingAccuracy', () => {
  it('counts every token, punctuation included (hand-computed)', () => {
    const metric = new TaggingAccuracy((s) => s.annotations.pos);
    const gold: Sentence[] = [
      { id: 'a', words: ['Hi', ',', 'you', '.'], annotations: { pos: ['UH', ',', 'PRP', '.'] } },
      { id: 'b', words: ['Go', '!'], annotations: { pos: ['VB', '.'] } },
    ];
    metric.update(gold, [
      ['UH', ',', 'NN', ':'],
      ['VB', '.'],
    ]);
    expect(metric.result()).toEqual({
      primary: 'accuracy',
      scores: { accuracy: 4 / 6, tokens: 6 },
    });
    expect(() => metric.update(gold.slice(0, 1), [['UH']])).toThrow(
      /sentence a: 1 predicted tags for 4 words/,
    );
  });
});
