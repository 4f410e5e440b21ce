import { beforeAll, describe, expect, it } from 'vitest';
import { ADAMW_KERNEL_NAME, adamWCoefficients, type AdamWKernelAttributes } from '../src/index.js';
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

/** The composite core's AdamW runs (packages/core/src/training/adamw.ts), op for op. */
function composite(
  parameter: tf.Tensor,
  gradient: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  a: AdamWKernelAttributes,
): tf.Tensor[] {
  return tf.tidy(() => {
    const nextM = m.mul(a.beta1).add(gradient.mul(1 - a.beta1));
    const nextV = v.mul(a.beta2).add(gradient.square().mul(1 - a.beta2));
    const step = nextM
      .div(a.correction1)
      .div(nextV.div(a.correction2).sqrt().add(a.epsilon))
      .mul(a.rate);
    const decayed = a.weightDecay > 0 ? parameter.mul(1 - a.rate * a.weightDecay) : parameter;
    return [decayed.sub(step), nextM, nextV];
  });
}

function fused(
  parameter: tf.Tensor,
  gradient: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  a: AdamWKernelAttributes,
): tf.Tensor[] {
  return tf
    .engine()
    .runKernel(
      ADAMW_KERNEL_NAME,
      { parameter, gradient, firstMoment: m, secondMoment: v },
      a as never,
    ) as tf.Tensor[];
}

const STEP_3: AdamWKernelAttributes = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  correction1: 1 - 0.9 ** 3,
  correction2: 1 - 0.999 ** 3,
  rate: 3e-4 * 0.7,
  weightDecay: 0.01,
};

describe('adamWCoefficients', () => {
  it('rounds each scalar the composite uses to float32, computed in double first', () => {
    const c = adamWCoefficients(STEP_3);
    expect(Array.from(c)).toEqual(
      [
        0.9,
        1 - 0.9,
        0.999,
        1 - 0.999,
        1 - 0.9 ** 3,
        1 - 0.999 ** 3,
        1e-8,
        3e-4 * 0.7,
        1 - 3e-4 * 0.7 * 0.01,
        1,
      ].map(Math.fround),
    );
    expect(adamWCoefficients({ ...STEP_3, weightDecay: 0 })[9]).toBe(0);
  });
});

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  `${ADAMW_KERNEL_NAME}, the fused AdamW update (%s)`,
  (backend) => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    // 300,000 elements: more than one thread's share (kParallelElements = 2^18).
    for (const shape of [[0], [1], [7, 3], [2, 150_000]]) {
      for (const weightDecay of [0, 0.01]) {
        it(`equals the composite bit for bit: shape [${shape}], weight decay ${weightDecay}`, () => {
          const parameter = randomTensor(shape, 1);
          const gradient = randomTensor(shape, 2).mul(3);
          const m = randomTensor(shape, 3).mul(0.1);
          const v = randomTensor(shape, 4).square().mul(0.01);
          const attributes = { ...STEP_3, weightDecay };
          // Against the plain kernels' composite, and the native kernels' (the trainer's today).
          plain();
          const reference = composite(parameter, gradient, m, v, attributes);
          expect(tf.getKernel(ADAMW_KERNEL_NAME, backend)).toBeUndefined();
          const status = native();
          expect(status.kernels).toContain(ADAMW_KERNEL_NAME);
          const nativeComposite = composite(parameter, gradient, m, v, attributes);
          const outputs = fused(parameter, gradient, m, v, attributes);
          expect(outputs.map((t) => t.shape)).toEqual([shape, shape, shape]);
          outputs.forEach((output, i) => {
            expect(bitDifferences(output, reference[i]!), `output ${i} vs plain`).toEqual([]);
            expect(bitDifferences(output, nativeComposite[i]!), `output ${i} vs native`).toEqual(
              [],
            );
          });
          // The inputs are not written: the outputs are new tensors.
          expect(bitDifferences(parameter, randomTensor(shape, 1))).toEqual([]);
          tf.dispose([parameter, gradient, m, v, ...reference, ...nativeComposite, ...outputs]);
        });
      }
    }

    it('refuses tensors of other dtypes or shapes, naming the inputs, before allocating', () => {
      native();
      const p = randomTensor([4], 1);
      const before = tf.memory().numBytes;
      expect(() => fused(p, randomTensor([5], 2), p, p, STEP_3)).toThrow(
        /parameter, gradient, firstMoment, secondMoment must be float32 tensors of one shape/,
      );
      expect(() => fused(p, p, p, tf.tensor([1, 2, 3, 4], [4], 'int32'), STEP_3)).toThrow(
        /must be float32/,
      );
      // Only the two test tensors made above are new.
      expect(tf.memory().numBytes - before).toBe(5 * 4 + 4 * 4);
    });

    it('is gone after the native kernels are turned off', () => {
      native();
      expect(tf.getKernel(ADAMW_KERNEL_NAME, backend)).toBeDefined();
      plain();
      expect(tf.getKernel(ADAMW_KERNEL_NAME, backend)).toBeUndefined();
    });
  },
);
