import type { NativeKernelFactory } from './kernel-factory.js';

interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * `Cast` to float32. From float32 the output shares the input's data (as `Identity` does;
 * wasm copies through JS typed arrays); from int32 or bool (masks, dropout) the addon
 * converts in one loop. Other casts go to the original kernel.
 */
export const castKernel: NativeKernelFactory = (addon, original, memory) => (args) => {
  const x = args.inputs.x;
  const dtype = (args.attrs as { dtype?: string } | undefined)?.dtype;
  if (!x || dtype !== 'float32') return original(args);
  if (x.dtype === 'float32') {
    const counting = args.backend as Partial<RefCounting> | undefined;
    if (typeof counting?.incRef !== 'function') return original(args);
    counting.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: 'float32' };
  }
  if (x.dtype !== 'int32' && x.dtype !== 'bool') return original(args);
  const bound = memory.bind(args.backend, [x]);
  if (!bound) return original(args);
  const size = x.shape.reduce((p, d) => p * d, 1);
  const out = bound.makeOutput([...x.shape], 'float32');
  if (size === 0) return out;
  const input = bound.byteOperand(x);
  const output = bound.operand(out);
  addon.toFloat(
    x.dtype === 'int32' ? 0 : 1,
    input.array,
    input.offset,
    output.array,
    output.offset,
    size,
  );
  return out;
};
