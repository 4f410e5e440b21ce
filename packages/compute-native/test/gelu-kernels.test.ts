import { beforeAll, describe, expect, it } from 'vitest';
import { GELU_GRADIENT_KERNEL_NAME, GELU_KERNEL_NAME } from '../src/index.js';
import {
  BACKENDS,
  bitDifferences,
  native,
  nativeNotBuilt,
  plain,
  randomTensor,
  tf,
  useBackend,
} from './kernel-engine.js';

/** The erf-form GELU as the encoder wrote it before the fused kernels (tfjs ops). */
const composite = (x: tf.Tensor) =>
  tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));

const run = (name: string, inputs: Record<string, tf.Tensor>) =>
  tf.engine().runKernel(name, inputs, {}) as tf.Tensor;

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  `${GELU_KERNEL_NAME} and ${GELU_GRADIENT_KERNEL_NAME} (%s)`,
  (backend) => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    // 300,000 elements: more than one thread's share (kParallelElements = 2^18).
    for (const shape of [[0], [1], [5, 7], [3, 100_000]]) {
      it(`equal the composite on the native kernels bit for bit, forward and backward: [${shape}]`, () => {
        const status = native();
        expect(status.kernels).toEqual(
          expect.arrayContaining([GELU_KERNEL_NAME, GELU_GRADIENT_KERNEL_NAME]),
        );
        // Inputs over GELU's whole range: far negative (exp underflows), around 0, far positive.
        const x = randomTensor(shape, 1).mul(6);
        const dy = randomTensor(shape, 2);
        const forward = composite(x);
        const backward = tf.grad((t: tf.Tensor) => composite(t))(x, dy);
        const fusedForward = run(GELU_KERNEL_NAME, { x });
        const fusedBackward = run(GELU_GRADIENT_KERNEL_NAME, { x, dy });
        expect(fusedForward.shape).toEqual(shape);
        expect(fusedBackward.shape).toEqual(shape);
        expect(bitDifferences(fusedForward, forward), 'forward').toEqual([]);
        expect(bitDifferences(fusedBackward, backward), 'backward').toEqual([]);
        // And within float tolerance of the plain kernels' composite (their erf differs).
        plain();
        const plainForward = composite(x);
        const plainBackward = tf.grad((t: tf.Tensor) => composite(t))(x, dy);
        const close = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).abs().max().dataSync()[0] ?? 0;
        if (x.size > 0) {
          expect(close(fusedForward, plainForward)).toBeLessThan(1e-5);
          expect(close(fusedBackward, plainBackward)).toBeLessThan(1e-5);
        }
        tf.dispose([
          x,
          dy,
          forward,
          backward,
          fusedForward,
          fusedBackward,
          plainForward,
          plainBackward,
        ]);
      });
    }

    it('GELU is what it should be at hand-computed points', () => {
      native();
      const x = tf.tensor1d([0, 1, -1, 3]);
      // x/2 (1 + erf(x / sqrt 2)): 0, 0.841345, -0.158655, 2.995950.
      const y = Array.from(run(GELU_KERNEL_NAME, { x }).dataSync());
      [0, 0.8413447, -0.1586553, 2.9959502].forEach((expected, i) =>
        expect(y[i]).toBeCloseTo(expected, 6),
      );
      // Derivative: Phi(x) + x phi(x): 0.5 at 0, 1.0833155 at 1, -0.0833155 at -1.
      const dx = Array.from(run(GELU_GRADIENT_KERNEL_NAME, { x, dy: tf.onesLike(x) }).dataSync());
      [0.5, 1.0833155, -0.0833155].forEach((expected, i) => expect(dx[i]).toBeCloseTo(expected, 6));
    });

    it('refuse int32 or mismatched inputs by name', () => {
      native();
      const x = tf.tensor1d([1, 2, 3], 'int32');
      expect(() => run(GELU_KERNEL_NAME, { x })).toThrow(/StemGelu: x must be float32/);
      expect(() => run(GELU_GRADIENT_KERNEL_NAME, { x: tf.zeros([3]), dy: tf.zeros([4]) })).toThrow(
        /StemGeluGrad: x and dy must be float32 tensors of one shape/,
      );
    });
  },
);
