import * as tf from '@tensorflow/tfjs';

/**
 * Kernels and gradients the wasm backend lacks or runs slowly (measured in STACK.md):
 *
 * - `UnsortedSegmentSum` has no wasm kernel, and the gradient of `tf.gather` (every
 *   embedding lookup) needs it: a small JS kernel over the wasm heap fills the gap.
 * - The built-in `BatchMatMul` gradient issues products with transpose flags, which wasm
 *   runs in a slow generic loop (1-2 GFLOP/s instead of 17-20). The replacement transposes
 *   explicitly (a fast wasm kernel) and calls the plain product; rank-2 products stay on
 *   XNNPACK's fast path. This alone makes a training step several times faster.
 * - The wasm `BatchMatMul` kernel folds each operand's batch dims into one before pairing
 *   batches, so it is right only when each operand's batch is 1 or the whole output batch.
 *   The gradient's products broadcast other operands explicitly (`kernelSafeOperands`); a
 *   forward tf.matMul of such shapes is still wrong on plain wasm, so callers avoid it.
 *
 * Gradients are global to the tfjs engine, so this runs only when wasm is the backend
 * (one backend per process). Idempotent.
 */
let kernelsRegistered = false;
let gradientRegistered: 'transposing' | 'flags' | undefined;

export function registerWasmExtras(): void {
  registerWasmKernelExtras();
  registerMatMulGradient('transposing');
}

/** The UnsortedSegmentSum kernel alone (before @stem/compute-native, which takes it over). */
export function registerWasmKernelExtras(): void {
  if (kernelsRegistered) return;
  kernelsRegistered = true;
  registerUnsortedSegmentSum();
}

/**
 * `transposing`: for plain wasm (explicit transposes, flag-free products, see above).
 * `flags`: for @stem/compute-native (on wasm and on device `native`, tfjs-backend-cpu),
 * whose products take transpose flags at full speed, so
 * the explicit transposes would only copy; it still sums broadcast batch dims away, which
 * tfjs's built-in gradient does not. The first registration wins (gradients are global).
 */
export function registerMatMulGradient(kind: 'transposing' | 'flags'): void {
  if (gradientRegistered) return;
  gradientRegistered = kind;
  if (kind === 'transposing') registerMatMulGradients();
  else registerFlagMatMulGradient();
}

interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function registerUnsortedSegmentSum(): void {
  const existing = tf.getKernel('UnsortedSegmentSum', 'wasm');
  if (existing) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      const wasm = backend as unknown as WasmBackendLike;
      const values = wasm.readSync(x.dataId);
      const ids = wasm.readSync(segmentIds.dataId);
      const idCount = ids.length;
      const rowSize = idCount === 0 ? 0 : values.length / idCount;
      // segmentIds covers the leading dims of x; the rest is one row per id.
      const rowShape = x.shape.slice(segmentIds.shape.length);
      const out = wasm.makeOutput([numSegments, ...rowShape], x.dtype);
      const target = wasm.typedArrayFromHeap(out);
      target.fill(0);
      for (let i = 0; i < idCount; i++) {
        const segment = ids[i] as number;
        if (segment < 0 || segment >= numSegments) continue;
        const from = i * rowSize;
        const to = segment * rowSize;
        for (let j = 0; j < rowSize; j++)
          target[to + j] = (target[to + j] as number) + (values[from + j] as number);
      }
      return out;
    },
  });
}

/** Swaps the last two axes with an explicit (fast) transpose. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const rank = x.rank;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return tf.transpose(x, perm);
}

function swappedShape(shape: number[]): number[] {
  const out = [...shape];
  const rank = out.length;
  [out[rank - 2], out[rank - 1]] = [out[rank - 1] as number, out[rank - 2] as number];
  return out;
}

/** Plain product (no transpose flags); sums broadcast batch dims back to `shape`. */
function plainProduct(a: tf.Tensor, b: tf.Tensor, shape: number[]): tf.Tensor {
  let product: tf.Tensor;
  if (a.rank === 2 && b.rank === 2) {
    product = tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  } else if (b.rank === 2 && a.rank > 2) {
    // [..., m, k] x [k, n]: fold the batch into rows, one fast rank-2 product.
    const rows = a.shape.slice(0, -1);
    const folded = tf.reshape(a, [-1, a.shape[a.rank - 1] as number]) as tf.Tensor2D;
    product = tf.reshape(tf.matMul(folded, b as tf.Tensor2D), [...rows, b.shape[1] as number]);
  } else if (shape.length === 2 && a.rank === 3 && b.rank === 3 && a.shape[0] === b.shape[0]) {
    // [B, k, m] x [B, m, n] summed over B (the gradient of a shared rank-2 operand): one
    // rank-2 product over the folded batch.
    const [batch, k, m] = a.shape as [number, number, number];
    const n = b.shape[2] as number;
    const aFolded = tf.reshape(tf.transpose(a, [1, 0, 2]), [k, batch * m]) as tf.Tensor2D;
    const bFolded = tf.reshape(b, [batch * m, n]) as tf.Tensor2D;
    return tf.matMul(aFolded, bFolded);
  } else {
    const [left, right] = kernelSafeOperands(a, b);
    product = tf.matMul(left, right);
  }
  // Broadcast batch dims: sum them away.
  return reduceTo(product, shape);
}

/**
 * `a` and `b` as the wasm kernel multiplies them correctly. It folds each operand's batch
 * dims into one before pairing batches, which agrees with numpy broadcasting only when an
 * operand's batch is 1 or the whole output batch: [2,1,..] x [1,3,..] and [2,1,..] x [2,3,..]
 * come out wrong. Any other operand is broadcast to the output batch explicitly.
 */
function kernelSafeOperands(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const outSize = sizeOf(outBatch);
  const safe = (x: tf.Tensor, batch: number[]): tf.Tensor => {
    const size = sizeOf(batch);
    if (size === 1 || size === outSize) return x;
    return tf.broadcastTo(x, [...outBatch, ...x.shape.slice(-2)]);
  };
  return [safe(a, aBatch), safe(b, bBatch)];
}

function sizeOf(shape: number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

function registerMatMulGradients(): void {
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const { transposeA, transposeB } = attrs as unknown as {
        transposeA: boolean;
        transposeB: boolean;
      };
      const g = dy as tf.Tensor;
      // C = op(A) op(B). dop(A) = dC op(B)^T, dop(B) = op(A)^T dC.
      const opA = () => (transposeA ? swapLast(a) : a);
      const opB = () => (transposeB ? swapLast(b) : b);
      return {
        a: () => {
          const dOpA = plainProduct(
            g,
            swapLast(opB()),
            transposeA ? swappedShape(a.shape) : a.shape,
          );
          return transposeA ? swapLast(dOpA) : dOpA;
        },
        b: () => {
          const dOpB = plainProduct(
            swapLast(opA()),
            g,
            transposeB ? swappedShape(b.shape) : b.shape,
          );
          return transposeB ? swapLast(dOpB) : dOpB;
        },
      };
    },
  });
}

/** Sums `x` down to `shape` (the broadcast batch dims of a product's operand). */
function reduceTo(x: tf.Tensor, shape: number[]): tf.Tensor {
  if (x.rank === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  let reduced = x;
  const extra = x.rank - shape.length;
  if (extra > 0) reduced = tf.sum(reduced, [...Array(extra).keys()]);
  const axes: number[] = [];
  for (let i = 0; i < shape.length - 2; i++)
    if (shape[i] === 1 && reduced.shape[i] !== 1) axes.push(i);
  if (axes.length > 0) reduced = tf.sum(reduced, axes, true);
  return tf.reshape(reduced, shape);
}

/** Rows of all batches stacked: [..., r, c] -> [(...) * r, c]. */
function foldRows(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [-1, x.shape[x.rank - 1] as number]) as tf.Tensor2D;
}

function registerFlagMatMulGradient(): void {
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const { transposeA: tA, transposeB: tB } = attrs as unknown as {
        transposeA: boolean;
        transposeB: boolean;
      };
      const g = dy as tf.Tensor;
      return {
        a: () => {
          // C = op(A) op(B): dA = dC op(B)^T, or its transpose when A is stored transposed.
          const dA = tA ? tf.matMul(b, g, tB, true) : tf.matMul(g, b, false, !tB);
          return reduceTo(dA, a.shape);
        },
        b: () => {
          if (b.rank === 2 && a.rank > 2 && !tA) {
            // A shared weight: one product over all rows instead of a batch summed afterwards.
            return tB
              ? tf.matMul(foldRows(g), foldRows(a), true, false)
              : tf.matMul(foldRows(a), foldRows(g), true, false);
          }
          const dB = tB ? tf.matMul(g, a, true, tA) : tf.matMul(a, g, !tA, false);
          return reduceTo(dB, b.shape);
        },
      };
    },
  });
}
