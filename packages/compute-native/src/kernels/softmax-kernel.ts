import type { NativeKernelFactory } from './kernel-factory.js';

/** `Softmax` along the last axis (the only axis tfjs's softmax op allows). */
export const softmaxKernel: NativeKernelFactory = (addon, original, memory) => (args) => {
  const logits = args.inputs.logits;
  const dim = (args.attrs as { dim?: number } | undefined)?.dim ?? -1;
  if (!logits || logits.dtype !== 'float32') return original(args);
  const rank = logits.shape.length;
  if (rank === 0 || (dim !== -1 && dim !== rank - 1)) return original(args);
  const bound = memory.bind(args.backend, [logits]);
  if (!bound) return original(args);
  const cols = logits.shape[rank - 1] as number;
  const size = logits.shape.reduce((p, d) => p * d, 1);
  const out = bound.makeOutput([...logits.shape], 'float32');
  if (size === 0) return out;
  const x = bound.operand(logits);
  const y = bound.operand(out);
  addon.softmax(x.array, x.offset, y.array, y.offset, size / cols, cols);
  return out;
};
