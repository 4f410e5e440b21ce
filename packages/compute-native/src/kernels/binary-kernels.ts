import type { NativeAddon } from '../load-addon.js';
import { MAX_NATIVE_ELEMENTS, type TensorMemory } from '../tensor-memory.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { broadcastPlan } from './broadcast-plan.js';
import type { NativeKernelFactory } from './kernel-factory.js';

/**
 * Float32 binary element-wise ops with numpy broadcasting. The backends' versions index every
 * element through a broadcast map; the addon runs contiguous or broadcast rows as flat,
 * vectorised loops (threads for large outputs). Other dtypes go to the original kernel.
 */
function binaryKernel(
  op: number,
  addon: NativeAddon,
  original: KernelFunc,
  memory: TensorMemory,
): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const walk = broadcastPlan(a.shape, b.shape);
    if (!walk || walk.plan[0]! > 8 || walk.size > MAX_NATIVE_ELEMENTS) return original(args);
    const bound = memory.bind(args.backend, [a, b]);
    if (!bound) return original(args);
    const out = bound.makeOutput(walk.outShape, 'float32');
    if (walk.size === 0) return out;
    const x = bound.operand(a);
    const y = bound.operand(b);
    const z = bound.operand(out);
    addon.binary(op, x.array, x.offset, y.array, y.offset, z.array, z.offset, walk.plan);
    return out;
  };
}

const binary =
  (op: number): NativeKernelFactory =>
  (addon, original, memory) =>
    binaryKernel(op, addon, original, memory);

// Op codes of the addon's `binary` (src/native/stem_native.cc).
export const addKernel = binary(0);
export const subKernel = binary(1);
export const multiplyKernel = binary(2);
export const realDivKernel = binary(3);
export const squaredDifferenceKernel = binary(4);
export const maximumKernel = binary(5);
export const minimumKernel = binary(6);
