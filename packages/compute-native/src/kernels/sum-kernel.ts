import type { NativeAddon } from '../load-addon.js';
import type { TensorMemory } from '../tensor-memory.js';
import type { KernelFunc } from '../tfjs-surface.js';
import type { NativeKernelFactory } from './kernel-factory.js';

/**
 * `Sum` over a contiguous run of axes (bias gradients sum the leading axis, layer norm the
 * last), without the transpose the backends' kernels make first when the axes are not
 * innermost. Other axis sets and non-float32 inputs go to the original kernel.
 */
export const sumKernel: NativeKernelFactory = (addon, original, memory) =>
  reduceKernel(addon, original, memory, false);

/**
 * `Mean` the same way (layer norm's mean and variance over the last axis): the sum divided by
 * the reduced size. A zero-size reduction goes to the original kernel (0 / 0 there).
 */
export const meanKernel: NativeKernelFactory = (addon, original, memory) =>
  reduceKernel(addon, original, memory, true);

function reduceKernel(
  addon: NativeAddon,
  original: KernelFunc,
  memory: TensorMemory,
  mean: boolean,
): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const attrs = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
    if (!x || x.dtype !== 'float32') return original(args);
    const rank = x.shape.length;
    const requested = attrs.axis ?? [...Array(rank).keys()];
    const axes = [
      ...new Set(
        (Array.isArray(requested) ? requested : [requested]).map((a) => (a < 0 ? a + rank : a)),
      ),
    ].sort((p, q) => p - q);
    if (
      axes.length === 0 ||
      axes.some((a, i) => a < 0 || a >= rank || (i > 0 && a !== (axes[i - 1] as number) + 1))
    )
      return original(args);
    const first = axes[0] as number;
    const last = axes[axes.length - 1] as number;
    const product = (from: number, to: number) =>
      x.shape.slice(from, to).reduce((p, d) => p * d, 1);
    const outer = product(0, first);
    const reduce = product(first, last + 1);
    const inner = product(last + 1, rank);
    const outShape = attrs.keepDims
      ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d))
      : x.shape.filter((_, i) => i < first || i > last);
    if (mean && reduce === 0) return original(args);
    const bound = memory.bind(args.backend, [x]);
    if (!bound) return original(args);
    const out = bound.makeOutput(outShape, 'float32');
    if (outer * inner === 0) return out;
    const input = bound.operand(x);
    const output = bound.operand(out);
    addon.sumMiddle(
      input.array,
      input.offset,
      output.array,
      output.offset,
      outer,
      reduce,
      inner,
      mean ? 1 : 0,
    );
    return out;
  };
}
