import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfNamespace from '@tensorflow/tfjs';
import { selectBackend } from '../src/compute/select-backend.js';
import {
  disableNativeKernels,
  enableNativeKernels,
  nativeDisabledByEnvironment,
} from '../src/compute/native-kernels.js';
import type { BackendInfo } from '../src/compute/backend-name.js';
import { AdamW, FUSED_ADAMW_KERNEL } from '../src/training/adamw.js';
import { FUSED_GELU_GRADIENT_KERNEL, FUSED_GELU_KERNEL, gelu } from '../src/nn/gelu.js';
import {
  compareMatMulGradient,
  MAT_MUL_GRADIENT_CASES,
  seededValues,
  TRANSPOSE_FLAGS,
} from './mat-mul-gradient-check.js';

type Tf = typeof tfNamespace;
let tf: Tf;
let info: BackendInfo;
let addonBuilt = false;

beforeAll(async () => {
  ({ tf, info } = (await selectBackend('wasm')) as unknown as { tf: Tf; info: BackendInfo });
  const specifier = '@stem/compute-native';
  const native = (await import(specifier)) as { nativeAddonAvailable(): { available: boolean } };
  addonBuilt = native.nativeAddonAvailable().available;
  if (!addonBuilt && process.env.STEM_REQUIRE_NATIVE === '1')
    throw new Error('STEM_REQUIRE_NATIVE=1 but @stem/compute-native has no addon');
});

function values(shape: number[], seed: number): tfNamespace.Tensor {
  return seededValues(tf, shape, seed);
}

/** Runs `work` with every kernel the engine runs added to `kernels` (names only). */
function recordingKernels<T>(kernels: Set<string>, work: () => T): T {
  const engine = tf.engine();
  const runKernel = engine.runKernel.bind(engine);
  engine.runKernel = ((name, inputs, attrs) => {
    kernels.add(name);
    return runKernel(name, inputs, attrs);
  }) as typeof runKernel;
  try {
    return work();
  } finally {
    engine.runKernel = runKernel;
  }
}

describe('wasm with @stem/compute-native', () => {
  // STEM_NATIVE=0 (CI's second pass) runs this file on plain wasm: the gradients below are then
  // core's plain-wasm ones.
  it('reports the native kernels in BackendInfo (active exactly when the addon is built and not turned off)', () => {
    expect(info.device).toBe('wasm');
    const expectActive = addonBuilt && !nativeDisabledByEnvironment();
    expect(info.nativeKernels?.active).toBe(expectActive);
    // compute-native's added kernels come and go with the rest (the tests below switch the
    // kernels off and on again, so they check what is registered at their time instead).
    for (const name of [FUSED_ADAMW_KERNEL, FUSED_GELU_KERNEL, FUSED_GELU_GRADIENT_KERNEL])
      expect(tf.getKernel(name, 'wasm') !== undefined, name).toBe(expectActive);
    if (!expectActive && addonBuilt) expect(info.nativeKernels?.reason).toBe('STEM_NATIVE=0');
    if (expectActive) {
      expect(info.nativeKernels?.kernels).toEqual(
        expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'UnsortedSegmentSum']),
      );
      expect(info.nativeKernels?.blas).toMatch(/OpenBLAS/);
    }
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

  it('a short training run gives the same loss curve with and without the native kernels', async () => {
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
          [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3],
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
    await disableNativeKernels('test');
    const plain = train();
    const again = await enableNativeKernels();
    expect(again.active).toBe(addonBuilt);
    expect(withNative[withNative.length - 1]).toBeLessThan(withNative[0] as number);
    for (let i = 0; i < plain.length; i++)
      expect(Math.abs((withNative[i] as number) - (plain[i] as number))).toBeLessThan(
        1e-4 * Math.max(1, plain[i] as number),
      );
  });

  it("AdamW takes compute-native's fused kernel where it is registered, with the composite's variables to the bit", async () => {
    const specifier = '@stem/compute-native';
    const native = (await import(specifier)) as { ADAMW_KERNEL_NAME: string };
    expect(FUSED_ADAMW_KERNEL).toBe(native.ADAMW_KERNEL_NAME);
    const fusedConfig = tf.getKernel(FUSED_ADAMW_KERNEL, 'wasm');
    if (!addonBuilt) expect(fusedConfig).toBeUndefined();
    const train = () => {
      const encoder = [tf.variable(values([64, 48], 11)), tf.variable(values([48], 12))];
      const head = [tf.variable(values([48, 5], 13))];
      const optimizer = new AdamW(
        tf as never,
        [
          { name: 'encoder', variables: encoder, learningRate: 3e-4, weightDecay: 0.01 },
          { name: 'head', variables: head, learningRate: 3e-3 },
        ],
        { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
      );
      const kernels = new Set<string>();
      for (let step = 0; step < 4; step++) {
        const gradients = new Map(
          [...encoder, ...head].map((v, i) => [v.name, values(v.shape, 100 * step + i)] as const),
        );
        // The head has no gradient at step 2 (a task not in the batch): left alone.
        if (step === 2) gradients.delete(head[0]!.name);
        const before = tf.engine().state.numTensors;
        recordingKernels(kernels, () => optimizer.apply(gradients as never, 0.5 + step / 4));
        tf.dispose([...gradients.values()]);
        // No tensor left behind by an update.
        expect(tf.engine().state.numTensors).toBe(before - gradients.size);
      }
      const result = [...encoder, ...head].map((v) => Array.from(v.dataSync()));
      optimizer.dispose();
      tf.dispose([...encoder, ...head]);
      return { result, kernels };
    };
    const withKernel = train();
    expect(withKernel.kernels.has(FUSED_ADAMW_KERNEL)).toBe(fusedConfig !== undefined);
    if (fusedConfig) {
      tf.unregisterKernel(FUSED_ADAMW_KERNEL, 'wasm');
      try {
        const composite = train();
        expect(composite.kernels.has(FUSED_ADAMW_KERNEL)).toBe(false);
        expect(withKernel.result).toEqual(composite.result);
      } finally {
        tf.registerKernel(fusedConfig as never);
      }
    }
  });

  it("nn.gelu takes compute-native's fused kernels where they are registered, with the composite's bits forward and backward", async () => {
    const specifier = '@stem/compute-native';
    const native = (await import(specifier)) as {
      GELU_KERNEL_NAME: string;
      GELU_GRADIENT_KERNEL_NAME: string;
    };
    expect([FUSED_GELU_KERNEL, FUSED_GELU_GRADIENT_KERNEL]).toEqual([
      native.GELU_KERNEL_NAME,
      native.GELU_GRADIENT_KERNEL_NAME,
    ]);
    const configs = [FUSED_GELU_KERNEL, FUSED_GELU_GRADIENT_KERNEL].map((name) =>
      tf.getKernel(name, 'wasm'),
    );
    const registered = configs.every((c) => c !== undefined);
    if (!addonBuilt) expect(registered).toBe(false);
    const x = values([6, 40], 21).mul(4);
    const dy = values([6, 40], 22);
    const run = () => {
      const kernels = new Set<string>();
      return recordingKernels(kernels, () => {
        const y = gelu(tf as never, x as never) as unknown as tfNamespace.Tensor;
        const dx = tf.grad((t: tfNamespace.Tensor) => gelu(tf as never, t as never) as never)(
          x,
          dy,
        );
        return { y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()), kernels };
      });
    };
    const withKernels = run();
    expect(withKernels.kernels.has(FUSED_GELU_KERNEL)).toBe(registered);
    expect(withKernels.kernels.has(FUSED_GELU_GRADIENT_KERNEL)).toBe(registered);
    expect(withKernels.kernels.has('Erf')).toBe(!registered);
    if (registered) {
      for (const name of [FUSED_GELU_KERNEL, FUSED_GELU_GRADIENT_KERNEL])
        tf.unregisterKernel(name, 'wasm');
      try {
        const composite = run();
        expect(composite.kernels.has('Erf')).toBe(true);
        expect(withKernels.y).toEqual(composite.y);
        expect(withKernels.dx).toEqual(composite.dx);
      } finally {
        for (const config of configs) tf.registerKernel(config as never);
      }
    }
  });
});
