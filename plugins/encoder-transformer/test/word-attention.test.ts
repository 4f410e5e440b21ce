import { safetensors, type TensorFlow } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolAttentionToWords, seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir, maxAbsDiff, reference } from './support/fixtures.js';

describe.each(['tiny-bert', 'tiny-roberta', 'tiny-electra'])('word-level attention: %s', (name) => {
  let tf: TensorFlow;
  beforeAll(async () => {
    tf = await testTf();
  });

  it('tokenises the reference sentence to the same ids and pools attention as the reference', async () => {
    const sentence = reference(name).sentence;
    if (!sentence)
      throw new Error(`${name}.reference.json has no sentence: regenerate the fixtures`);
    const encoder = await TransformerEncoder.load(tf, fixtureDir(name), seededSource(1), {
      safetensors,
    });
    const batch = await encoder.tokenize([sentence.words]);
    expect(batch.subwordIds[0]).toEqual(sentence.inputIds);
    const length = sentence.inputIds.length;
    const attention = tf.tidy(() =>
      (
        encoder.encodeSubwords(
          { ids: batch.subwordIds, mask: [new Array<number>(length).fill(1)] },
          { returnAttention: true },
        ).attention ?? []
      ).map((layer) => layer.arraySync()[0] as number[][][]),
    );
    const pooled = attention.map((layer) =>
      layer.map((head) => poolAttentionToWords(head.flat(), length, batch.wordSpans[0] ?? [])),
    );
    const diff = maxAbsDiff(pooled, sentence.wordAttention);
    console.log(`${name} word attention max |diff|`, diff);
    expect(diff).toBeLessThan(1e-4);
    encoder.dispose();
  });
});
