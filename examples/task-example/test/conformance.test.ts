import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type EncoderOutput, type Sentence } from '@stem/core';
import { checkRegistration, checkTaskHead, syntheticTaggedSentences } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import { CapitalisationTagger } from '../src/capitalisation-tagger.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

describe('example task plugin', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => `${c.kind}:${c.id}`)).toEqual([
      'task:example.task.capitalisation.v1',
    ]);
  });

  it('passes the task-head conformance checks: trains, saves, loads and predicts the same', async () => {
    // Synthetic sentences mix capitalised and lower-case words, so both labels occur.
    const sentences = syntheticTaggedSentences(12, 4).map((sentence, i) => ({
      ...sentence,
      words: sentence.words.map((word, w) =>
        (i + w) % 3 === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word,
      ),
    }));
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'example.task.capitalisation.v1',
      sentences,
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
    expect(report.predictions).toHaveLength(sentences.length);
  });

  it('learns capitalisation from word vectors that carry it', async () => {
    await tf.setBackend('cpu');
    const sentences: Sentence[] = [
      { id: 'a', words: ['The', 'cat', 'saw', 'Anna'], annotations: {} },
      { id: 'b', words: ['Paris', 'is', 'big'], annotations: {} },
    ];
    // A stand-in encoder whose first feature is the capitalisation bit, plus noise.
    const random = new SeededRandom(3);
    const encoded = (): EncoderOutput => {
      const width = 4;
      const vectors = sentences.flatMap((s) =>
        Array.from({ length: width }, (_, i) => {
          const word = s.words[i];
          return [word && word[0] !== word[0]?.toLowerCase() ? 1 : -1, random.uniform(-0.1, 0.1)];
        }),
      );
      const mask = sentences.flatMap((s) =>
        Array.from({ length: width }, (_, i) => (i < s.words.length ? 1 : 0)),
      );
      return {
        wordVectors: tf.tensor3d(vectors.flat(), [2, width, 2]),
        wordMask: tf.tensor2d(mask, [2, width]),
        rootVector: tf.zeros([2, 2]),
        eosVector: tf.zeros([2, 2]),
      };
    };
    const head = new CapitalisationTagger(
      tf,
      { hiddenSize: 2, trainingSentences: sentences },
      { initScale: 0.02 },
      new SeededRandom(1),
    );
    const optimizer = tf.train.adam(0.1);
    const batch = encoded();
    const before = head.loss(batch, sentences).dataSync()[0] as number;
    for (let step = 0; step < 50; step++)
      optimizer.minimize(() => head.loss(batch, sentences), false, head.trainableVariables());
    const after = head.loss(batch, sentences).dataSync()[0] as number;
    expect(after).toBeLessThan(before / 4);

    const metric = head.createMetric();
    metric.update(sentences, head.decode(batch, sentences));
    expect(metric.result()).toEqual({ primary: 'accuracy', scores: { accuracy: 1 } });

    // Saved weights load into a fresh head and give the same predictions.
    const copy = new CapitalisationTagger(
      tf,
      { hiddenSize: 2, trainingSentences: sentences },
      { initScale: 0.02 },
      new SeededRandom(9),
    );
    copy.loadWeights(head.weights());
    expect(copy.decode(batch, sentences)).toEqual(head.decode(batch, sentences));
    expect(() => copy.loadWeights({ weight: tf.zeros([3, 2]), bias: tf.zeros([2]) })).toThrow(
      /"weight" has shape \[3,2\], expected \[2,2\]/,
    );
  });
});
