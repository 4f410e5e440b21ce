import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';
import { broadcastPlan } from './broadcast-plan.js';

/**
 * Float32 binary element-wise ops with numpy broadcasting. wasm's versions index every
 * element through a broadcast map; the addon runs contiguous or broadcast rows as flat,
 * vectorised loops (threads for large outputs). Other dtypes go to the original kernel.
 */
function binaryKernel(op: number, addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    const backend = args.backend;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || !isWasmBackend(backend))
      return original(args);
    const walk = broadcastPlan(a.shape, b.shape);
    if (!walk || walk.plan[0]! > 8) return original(args);
    const out = backend.makeOutput(walk.outShape, 'float32');
    if (walk.size === 0) return out;
    addon.binary(
      heapView(backend),
      op,
      elementOffset(backend, a),
      elementOffset(backend, b),
      elementOffset(backend, out),
      walk.plan,
    );
    return out;
  };
}

// Op codes of the addon's `binary` (src/native/stem_native.cc).
export const addKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(0, addon, original);
export const subKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(1, addon, original);
export const multiplyKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(2, addon, original);
export const realDivKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(3, addon, original);
export const squaredDifferenceKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(4, addon, original);
export const maximumKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(5, addon, original);
export const minimumKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  binaryKernel(6, addon, original);
