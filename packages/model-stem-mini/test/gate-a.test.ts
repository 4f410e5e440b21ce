import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluationRandom,
  safetensors,
  selectBackend,
  SeededRandom,
  type NamedTensorMap,
  type TensorFlow,
} from '@stem/core';
import { packDocuments, parsePlainText } from '@stem/data';
import { seededSource, TransformerEncoder } from '@stem/encoder-transformer';
import { MaskedLanguageModelHead, MaskedLmMetric } from '@stem/task-mlm';
import { beforeAll, describe, expect, it } from 'vitest';
import { stemMiniDirectory } from '../index.js';

const card = readFileSync(fileURLToPath(new URL('../MODEL_CARD.md', import.meta.url)), 'utf8');
const sampleFile = fileURLToPath(
  new URL('./fixtures/pretraining-en-dev-sample.txt', import.meta.url),
);

/** A number the model card states, found by the words before it. */
function cardNumber(pattern: RegExp): number {
  const match = pattern.exec(card);
  if (!match) throw new Error(`MODEL_CARD.md states no ${pattern}`);
  return Number(match[1]);
}

describe('stem-mini quality gate (a): off the unigram plateau, as the model card says', () => {
  let tf: TensorFlow;
  beforeAll(async () => {
    tf = (await selectBackend((process.env['STEM_TEST_DEVICE'] ?? 'wasm') as 'wasm')).tf;
  });

  it("recomputes the masked-token accuracy and loss of the shipped weights on the card's fixed dev sample", async () => {
    const encoder = await TransformerEncoder.load(tf, stemMiniDirectory, seededSource(0), {
      trainable: false,
      safetensors,
    });
    const head = new MaskedLanguageModelHead(
      tf,
      { maskRate: 0.15, maskTokenShare: 0.8, randomTokenShare: 0.1, layerNormEps: 1e-12 },
      { hiddenSize: encoder.shape.hiddenSize, trainingSentences: [], encoder },
      new SeededRandom(0),
    );
    try {
      // The shipped MLM head (cls.predictions.*), stored beside the encoder in PyTorch layout.
      const stored = (await safetensors.read(join(stemMiniDirectory, 'model.safetensors'))).tensors;
      const headWeights: NamedTensorMap = {};
      for (const [name, raw] of stored)
        if (name.startsWith('cls.predictions.')) headWeights[name] = tf.tensor(raw.data, raw.shape);
      head.importWeights(headWeights);
      tf.dispose(Object.values(headWeights));

      const sentences = packDocuments(
        parsePlainText(readFileSync(sampleFile, 'utf8'), sampleFile),
        80,
        'dev',
      );
      const metric = new MaskedLmMetric();
      const random = evaluationRandom('dev');
      for (let start = 0; start < sentences.length; start += 16) {
        const batch = sentences.slice(start, start + 16);
        const tokens = await encoder.tokenize(batch.map((s) => s.words));
        const prepared = head.prepareBatch(tokens, batch, { random, training: false });
        const encoded = encoder.encode(prepared.tokens, {
          training: false,
          ...head.encodeOptions,
        });
        metric.update(batch, head.decode(encoded, batch, { targets: prepared.targets }));
        tf.dispose(Object.values(encoded));
      }
      const scores = metric.result().scores;
      const accuracy = scores['accuracy'] as number;
      const loss = scores['loss'] as number;
      const masked = scores['masked'] as number;
      expect(masked).toBeGreaterThan(800);
      const cardAccuracy = cardNumber(
        /masked-token accuracy on the test sample \(stem\): ([\d.]+)%/,
      );
      const cardLoss = cardNumber(/MLM loss on the test sample \(stem\): ([\d.]+) nats/);
      const entropy = cardNumber(/unigram entropy is ([\d.]+) nats/);
      expect(100 * accuracy).toBeCloseTo(cardAccuracy, 1);
      expect(loss).toBeCloseTo(cardLoss, 2);
      // Gate (a): clearly below the plateau, where a model knows only word frequencies.
      expect(loss).toBeLessThan(entropy - 2);
      console.error(
        `gate (a) sample: accuracy ${(100 * accuracy).toFixed(2)}%, loss ${loss.toFixed(3)} nats, ${masked} masked`,
      );
    } finally {
      head.dispose();
      encoder.dispose();
    }
  });
});
