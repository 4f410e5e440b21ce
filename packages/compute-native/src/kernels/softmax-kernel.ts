import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';

/** `Softmax` along the last axis (the only axis tfjs's softmax op allows). */
export function softmaxKernel(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const logits = args.inputs.logits;
    const backend = args.backend;
    const dim = (args.attrs as { dim?: number } | undefined)?.dim ?? -1;
    if (!logits || logits.dtype !== 'float32' || !isWasmBackend(backend)) return original(args);
    const rank = logits.shape.length;
    if (rank === 0 || (dim !== -1 && dim !== rank - 1)) return original(args);
    const cols = logits.shape[rank - 1] as number;
    const size = logits.shape.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([...logits.shape], 'float32');
    if (size === 0) return out;
    addon.softmax(
      heapView(backend),
      elementOffset(backend, logits),
      elementOffset(backend, out),
      size / cols,
      cols,
    );
    return out;
  };
}
