import {
  safetensors,
  selectBackend,
  type DeviceChoice,
  type Tensor2D,
  type TensorFlow,
} from '@stem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededSource, TransformerEncoder } from '../../src/index.js';
import { fixtureDir, maxAbsDiff, type Nested, reference } from './fixtures.js';

const TOLERANCE = 1e-4;

/**
 * Parity with the PyTorch references on one backend. Each backend gets its own test file
 * (and so its own process): a process keeps the backend it chose first.
 */
export function parityWithPyTorch(device: DeviceChoice): void {
  describe.each(['tiny-bert', 'tiny-roberta', 'tiny-electra'])(
    `parity with PyTorch on ${device}: %s`,
    (name) => {
      let tf: TensorFlow;
      let encoder: TransformerEncoder;
      const ref = reference(name);
      const input = { ids: ref.inputIds, mask: ref.attentionMask };

      beforeAll(async () => {
        tf = (await selectBackend(device)).tf;
        encoder = await TransformerEncoder.load(tf, fixtureDir(name), seededSource(1), {
          safetensors,
        });
      });
      afterAll(() => encoder.dispose());

      it('matches the last hidden states and every attention probability', () => {
        const out = encoder.encodeSubwords(input, { returnAttention: true });
        const hidden = out.hidden.arraySync();
        const attention = (out.attention ?? []).map((a) => a.arraySync());
        const diffs = {
          hidden: maxAbsDiff(hidden, ref.lastHidden),
          attention: maxAbsDiff(attention as Nested, ref.attentions as Nested),
        };
        console.log(`${name} max |diff|`, diffs);
        expect(diffs.hidden).toBeLessThan(TOLERANCE);
        expect(diffs.attention).toBeLessThan(TOLERANCE);
        tf.dispose([out.hidden, ...(out.attention ?? [])]);
      });

      it('matches the per-head context vectors (attention x V before W_O)', () => {
        const out = encoder.encodeSubwords(input, { returnHeadContexts: true });
        const contexts = (out.headContexts ?? []).map((c) => c.arraySync());
        const diff = maxAbsDiff(contexts as Nested, ref.headContexts as Nested);
        console.log(`${name} head contexts max |diff|`, diff);
        expect(diff).toBeLessThan(TOLERANCE);
        tf.dispose([out.hidden, ...(out.headContexts ?? [])]);
      });

      it('matches the outputs with heads gated', () => {
        const gates = tf.tensor2d(ref.gates) as Tensor2D;
        const out = encoder.encodeSubwords(input, { headGates: gates });
        const diff = maxAbsDiff(out.hidden.arraySync(), ref.gatedLastHidden);
        console.log(`${name} gated max |diff|`, diff);
        expect(diff).toBeLessThan(TOLERANCE);
        tf.dispose([gates, out.hidden]);
      });
    },
  );
}
