import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as tfNamespace from '@tensorflow/tfjs';
import { selectBackend } from '../src/compute/select-backend.js';
import { disableNativeKernels, enableNativeKernels } from '../src/compute/native-kernels.js';
import type { BackendInfo } from '../src/compute/backend-name.js';
import {
  compareMatMulGradient,
  MAT_MUL_GRADIENT_CASES,
  seededValues,
  TRANSPOSE_FLAGS,
} from './mat-mul-gradient-check.js';

// Its own file (own process): the backend is chosen once per process. This file tests the
// native device itself, so it runs whenever the addon is built, whatever STEM_NATIVE says (CI's
// second pass sets STEM_NATIVE=0 for the rest of the suite; native-device-refused.test.ts covers
// that refusal). Without the addon only the refusal is tested: nothing is skipped.
type Tf = typeof tfNamespace;
delete process.env.STEM_NATIVE;
const computeNative = '@stem/compute-native';
const { nativeAddonAvailable } = (await import(computeNative)) as {
  nativeAddonAvailable(): { available: boolean };
};
const addonBuilt = nativeAddonAvailable().available;

beforeAll(() => {
  if (!addonBuilt && process.env.STEM_REQUIRE_NATIVE === '1')
    throw new Error('STEM_REQUIRE_NATIVE=1 but @stem/compute-native has no addon');
});

if (!addonBuilt) {
  // A plain `if`, not `runIf`: a skipped test would count as a skip without a reason.
  it('--device native without the addon is refused, saying why', async () => {
    await expect(selectBackend('native')).rejects.toThrow(/native kernels unavailable/);
  });
} else
  describe('--device native (tfjs-backend-cpu with the OpenBLAS kernels)', () => {
    let tf: Tf;
    let info: BackendInfo;

    it('selects the cpu backend with the native kernels', async () => {
      ({ tf, info } = (await selectBackend('native')) as unknown as { tf: Tf; info: BackendInfo });
      expect(info.device).toBe('native');
      expect(info.backend).toBe('cpu');
      expect(info.package).toBe('@tensorflow/tfjs-backend-cpu');
      expect(info.nativeKernels?.active).toBe(true);
      expect(info.nativeKernels?.kernels).toEqual(
        expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'Softmax', 'UnsortedSegmentSum']),
      );
      // No "install tfjs-node to speed things up" greeting on the first tensor: wrong advice here.
      const warn = vi.spyOn(console, 'warn');
      tf.tensor1d([1, 2]).dispose();
      expect(warn.mock.calls.flat().join(' ')).not.toMatch(/tfjs-node/);
      warn.mockRestore();
      // Asking again by name returns the same selection; another device is refused.
      expect((await selectBackend('native')).info).toBe(info);
      await expect(selectBackend('js')).rejects.toThrow(/already initialised as "native"/);
    });

    for (const [aBase, bBase] of MAT_MUL_GRADIENT_CASES) {
      for (const [tA, tB] of TRANSPOSE_FLAGS) {
        it(`the BatchMatMul gradient equals one that avoids it: [${aBase}] x [${bBase}] tA=${tA} tB=${tB}`, () => {
          const { shapes, errorA, errorB } = compareMatMulGradient(tf, aBase, bBase, tA, tB);
          expect(shapes.da).toEqual(shapes.a);
          expect(shapes.db).toEqual(shapes.b);
          expect(errorA).toBeLessThan(1e-5);
          expect(errorB).toBeLessThan(1e-5);
        });
      }
    }

    it('a short training run gives the same losses as plain tfjs-backend-cpu (device js)', async () => {
      const values = (shape: number[], seed: number) => seededValues(tf, shape, seed);
      const train = () => {
        const w1 = tf.variable(values([12, 16], 4));
        const w2 = tf.variable(values([16, 5], 5));
        const bias = tf.variable(values([16], 6));
        const table = tf.variable(values([40, 12], 7));
        const ids = tf.tensor2d(
          Array.from({ length: 4 }, (_, r) =>
            Array.from({ length: 6 }, (_, c) => (r * 7 + c * 3) % 40),
          ),
          [4, 6],
          'int32',
        );
        const gold = tf.oneHot(
          tf.tensor1d(
            Array.from({ length: 24 }, (_, i) => i % 5),
            'int32',
          ),
          5,
        );
        const optimizer = tf.train.adam(0.01);
        const losses: number[] = [];
        for (let step = 0; step < 15; step++) {
          const loss = optimizer.minimize(() => {
            const x = tf.gather(table, ids); // [4, 6, 12]
            const hidden = tf.relu(tf.add(tf.matMul(x, w1), bias));
            const scores = tf.softmax(tf.matMul(hidden, hidden, false, true)); // [4, 6, 6]
            const mixed = tf.matMul(scores, hidden); // [4, 6, 16]
            const logits = tf.reshape(tf.matMul(mixed, w2), [24, 5]);
            return tf.losses.softmaxCrossEntropy(gold, logits);
          }, true) as tfNamespace.Scalar;
          losses.push(loss.dataSync()[0] as number);
          loss.dispose();
        }
        tf.dispose([w1, w2, bias, table, ids, gold]);
        optimizer.dispose();
        return losses;
      };
      const withNative = train();
      await disableNativeKernels('test', 'cpu');
      const plain = train();
      expect((await enableNativeKernels('cpu')).active).toBe(true);
      expect(withNative[withNative.length - 1]).toBeLessThan(withNative[0] as number);
      for (let i = 0; i < plain.length; i++)
        expect(Math.abs((withNative[i] as number) - (plain[i] as number))).toBeLessThan(
          1e-5 * Math.max(1, plain[i] as number),
        );
    });
  });
