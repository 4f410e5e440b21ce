import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { SeededRandom, type EncoderOutput, type Sentence } from '@stem/core';
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

  it('tags UPOS when configured, with dropout', async () => {
    await checkTaskHead({
      hook: registerHook,
      taskId: 'stem.task.pos.softmax.v1',
      config: { tagSet: 'upos', dropout: 0.2 },
      sentences: ewtDev.slice(12, 24),
    });
  });

  it('applies dropout only with a training context, drawn from its stream', () => {
    const sentences = ewtDev.slice(0, 4);
    const words = Math.max(...sentences.map((s) => s.words.length));
    const random = new SeededRandom(3);
    const encoded = {
      wordVectors: tf.tensor3d(
        Float32Array.from({ length: 4 * words * 16 }, () => random.uniform(-1, 1)),
        [4, words, 16],
      ),
      wordMask: tf.tensor2d(
        sentences.flatMap((s) =>
          Array.from({ length: words }, (_, i) => (i < s.words.length ? 1 : 0)),
        ),
        [4, words],
      ),
      rootVector: tf.zeros([4, 16]),
      eosVector: tf.zeros([4, 16]),
    } as unknown as EncoderOutput;
    // Step streams as the trainer makes them (forks of the run's stream).
    const lossOf = (dropout: number, step?: number) => {
      const head = new SoftmaxTagger(
        tf,
        { tagSet: 'xpos', dropout },
        { hiddenSize: 16, trainingSentences: sentences },
        new SeededRandom(1),
      );
      const context =
        step === undefined ? undefined : { random: new SeededRandom(42).fork(`step/${step}`) };
      const value = head.loss(encoded, sentences, context);
      const loss = value.dataSync()[0] as number;
      value.dispose();
      head.dispose();
      return loss;
    };
    const clean = lossOf(0.5);
    // Without a context (evaluation) no dropout: the same loss as a head without dropout.
    expect(clean).toBe(lossOf(0));
    expect(lossOf(0, 8)).toBe(clean);
    // With one, dropout changes the loss, reproducibly from the context's stream.
    expect(lossOf(0.5, 8)).not.toBe(clean);
    expect(lossOf(0.5, 8)).toBe(lossOf(0.5, 8));
    expect(lossOf(0.5, 9)).not.toBe(lossOf(0.5, 8));
    tf.dispose(Object.values(encoded) as never);
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
