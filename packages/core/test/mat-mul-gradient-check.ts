// Checks the engine's BatchMatMul gradient against one computed without BatchMatMul, for the
// shapes that take different paths through core's gradients (shared by the native and the
// plain-wasm test files: each runs in its own process with its own gradient registered).
import type * as tfNamespace from '@tensorflow/tfjs';

type Tf = typeof tfNamespace;

export const MAT_MUL_GRADIENT_CASES: ReadonlyArray<readonly [number[], number[]]> = [
  [
    [5, 7],
    [7, 3],
  ],
  [
    [2, 5, 7],
    [7, 3],
  ], // a shared weight: the folded product
  [
    [5, 7],
    [4, 7, 3],
  ], // a broadcast over b's batch: dA summed
  [
    [2, 1, 5, 7],
    [1, 3, 7, 3],
  ], // batch dims broadcast on both sides: dA and dB summed over different dims
  [
    [6, 5, 7],
    [6, 7, 3],
  ],
];

export const TRANSPOSE_FLAGS: ReadonlyArray<readonly [boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Deterministic values in [-0.5, 0.5) (a small LCG: tests need no seeded stream). */
export function seededValues(tf: Tf, shape: number[], seed: number): tfNamespace.Tensor {
  const count = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(count);
  let state = seed * 7919 + 1;
  for (let i = 0; i < count; i++) {
    state = (state * 48271) % 2147483647;
    out[i] = state / 2147483647 - 0.5;
  }
  return tf.tensor(out, shape);
}

/** op(A) op(B) as broadcast multiply + sum: its gradient never touches BatchMatMul. */
function productWithoutMatMul(
  tf: Tf,
  a: tfNamespace.Tensor,
  b: tfNamespace.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): tfNamespace.Tensor {
  const swap = (x: tfNamespace.Tensor) => {
    const perm = [...Array(x.rank).keys()];
    perm[x.rank - 2] = x.rank - 1;
    perm[x.rank - 1] = x.rank - 2;
    return tf.transpose(x, perm);
  };
  const opA = transposeA ? swap(a) : a; // [..., m, k]
  const opB = transposeB ? swap(b) : b; // [..., k, n]
  return tf.sum(tf.mul(tf.expandDims(opA, -1), tf.expandDims(opB, -3)), -2);
}

/** max |x - y| relative to max |y|. */
function maxRelative(x: tfNamespace.Tensor, y: tfNamespace.Tensor): number {
  const a = x.dataSync();
  const b = y.dataSync();
  let diff = 0;
  let scale = 1e-30;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

export interface MatMulGradientComparison {
  /** Shapes of dA and dB from tf.matMul's gradient, and of A and B. */
  shapes: { da: number[]; db: number[]; a: number[]; b: number[] };
  /** Relative errors of dA and dB against the reference. */
  errorA: number;
  errorB: number;
}

/**
 * The gradients of sum(W * op(A) op(B)) for A and B (given untransposed as `aBase` and
 * `bBase`), through tf.matMul and through the reference product.
 */
export function compareMatMulGradient(
  tf: Tf,
  aBase: number[],
  bBase: number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulGradientComparison {
  const swapLast = (s: number[]) => [
    ...s.slice(0, -2),
    s[s.length - 1] as number,
    s[s.length - 2] as number,
  ];
  const a = seededValues(tf, transposeA ? swapLast(aBase) : aBase, 1);
  const b = seededValues(tf, transposeB ? swapLast(bBase) : bBase, 2);
  const outShape = tf.tidy(() => productWithoutMatMul(tf, a, b, transposeA, transposeB).shape);
  const weights = seededValues(tf, outShape, 3);
  const loss =
    (
      product: (x: tfNamespace.Tensor, y: tfNamespace.Tensor) => tfNamespace.Tensor,
    ): ((x: tfNamespace.Tensor, y: tfNamespace.Tensor) => tfNamespace.Tensor) =>
    (x, y) =>
      tf.sum(tf.mul(product(x, y), weights));
  const [da, db] = tf.grads(loss((x, y) => tf.matMul(x, y, transposeA, transposeB)))([a, b]);
  const [ra, rb] = tf.grads(loss((x, y) => productWithoutMatMul(tf, x, y, transposeA, transposeB)))(
    [a, b],
  );
  const comparison: MatMulGradientComparison = {
    shapes: { da: da!.shape, db: db!.shape, a: a.shape, b: b.shape },
    errorA: maxRelative(da!, ra!),
    errorB: maxRelative(db!, rb!),
  };
  tf.dispose([a, b, weights, da!, db!, ra!, rb!]);
  return comparison;
}
