import type { NativeAddon } from '../load-addon.js';
import { elementCount, type TensorMemory } from '../tensor-memory.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { floatInputsOfOneShape } from './float-inputs.js';

/**
 * Kernels tfjs does not have: GELU in its erf form, forward and backward, one pass each where
 * the composite runs five kernels forward and about ten backward. Core's `nn.gelu` builds the
 * op from them (with the backward one as its gradient) where the backend has both, else the
 * composite; the results are the composite's on the native kernels to the bit.
 */
export const GELU_KERNEL_NAME = 'StemGelu';
export const GELU_GRADIENT_KERNEL_NAME = 'StemGeluGrad';

/** Input {x}; output GELU(x). Throws (before allocating) where it cannot serve the call. */
export function geluKernel(addon: NativeAddon, memory: TensorMemory): KernelFunc | undefined {
  const gelu = addon.gelu?.bind(addon);
  if (!gelu) return undefined;
  return (args) => {
    const [x] = floatInputsOfOneShape(GELU_KERNEL_NAME, [args.inputs.x], 'x');
    const bound = memory.bind(args.backend, [x!]);
    if (!bound) throw new Error(`${GELU_KERNEL_NAME}: the addon cannot reach x's memory`);
    const out = bound.makeOutput([...x!.shape], 'float32');
    const size = elementCount(x!.shape);
    if (size === 0) return out;
    const input = bound.operand(x!);
    const output = bound.operand(out);
    gelu(input.array, input.offset, output.array, output.offset, size);
    return out;
  };
}

/** Inputs {x, dy}; output dy times GELU's derivative at x. */
export function geluGradientKernel(
  addon: NativeAddon,
  memory: TensorMemory,
): KernelFunc | undefined {
  const geluGradient = addon.geluGradient?.bind(addon);
  if (!geluGradient) return undefined;
  return (args) => {
    const [x, dy] = floatInputsOfOneShape(
      GELU_GRADIENT_KERNEL_NAME,
      [args.inputs.x, args.inputs.dy],
      'x and dy',
    );
    const bound = memory.bind(args.backend, [x!, dy!]);
    if (!bound)
      throw new Error(`${GELU_GRADIENT_KERNEL_NAME}: the addon cannot reach these tensors' memory`);
    const out = bound.makeOutput([...x!.shape], 'float32');
    const size = elementCount(x!.shape);
    if (size === 0) return out;
    const xs = bound.operand(x!);
    const dys = bound.operand(dy!);
    const dxs = bound.operand(out);
    geluGradient(xs.array, xs.offset, dys.array, dys.offset, dxs.array, dxs.offset, size);
    return out;
  };
}
