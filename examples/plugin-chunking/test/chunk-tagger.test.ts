import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type EncoderOutput, type Sentence } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChunkTagger, tagSetOf } from '../src/chunk-tagger.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sentence = (id: string, words: string[], chunks: Sentence['annotations']['chunks']) => ({
  id,
  words,
  annotations: { chunks },
});

const TRAIN: Sentence[] = [
  sentence(
    'a',
    ['He', 'left', 'early'],
    [
      { start: 0, end: 1, label: 'NP' },
      { start: 1, end: 2, label: 'VP' },
      { start: 2, end: 3, label: 'ADVP' },
    ],
  ),
  sentence(
    'b',
    ['in', 'May'],
    [
      { start: 0, end: 1, label: 'PP' },
      { start: 1, end: 2, label: 'NP' },
    ],
  ),
];

function encoded(batch: number, width: number): EncoderOutput {
  return {
    wordVectors: tf.ones([batch, width, 4]),
    wordMask: tf.ones([batch, width]),
    rootVector: tf.zeros([batch, 4]),
    eosVector: tf.zeros([batch, 4]),
  } as EncoderOutput;
}

describe('chunk tagger', () => {
  it('builds its tag set from the training chunks: O, then B-/I- per type in order of appearance', () => {
    expect(tagSetOf(TRAIN)).toEqual([
      'O',
      'B-NP',
      'I-NP',
      'B-VP',
      'I-VP',
      'B-ADVP',
      'I-ADVP',
      'B-PP',
      'I-PP',
    ]);
  });

  it('refuses training sentences without chunks, naming the dataset that has them', () => {
    expect(
      () =>
        new ChunkTagger(
          tf,
          { dropout: 0, decoding: 'viterbi' },
          { hiddenSize: 4, trainingSentences: [{ id: 'x', words: ['a'], annotations: {} }] },
          new SeededRandom(1),
        ),
    ).toThrow(
      /no training sentence carries the chunks layer; .* stem-community\.dataset\.conll2000\.v1/,
    );
  });

  it('names the sentence whose gold chunks overlap', () => {
    const head = new ChunkTagger(
      tf,
      { dropout: 0, decoding: 'viterbi' },
      { hiddenSize: 4, trainingSentences: TRAIN },
      new SeededRandom(1),
    );
    const bad = sentence(
      'bad',
      ['a', 'b', 'c'],
      [
        { start: 0, end: 2, label: 'NP' },
        { start: 1, end: 3, label: 'VP' },
      ],
    );
    const batch = encoded(1, 3);
    expect(() => head.loss(batch, [bad])).toThrow(
      'sentence bad: chunks overlap at word 2 (I-NP and VP)',
    );
    // Decoding always yields valid chunks, whatever the decoding mode.
    const [chunks] = head.decode(batch, [bad]);
    expect(chunks!.every((c) => c.start < c.end && c.end <= 3)).toBe(true);
    tf.dispose(Object.values(batch));
    head.dispose();
  });
});
