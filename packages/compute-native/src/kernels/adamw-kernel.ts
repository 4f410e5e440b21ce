import type { NativeAddon } from '../load-addon.js';
import { elementCount, type TensorMemory } from '../tensor-memory.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { floatInputsOfOneShape } from './float-inputs.js';

/**
 * A kernel tfjs does not have: one AdamW update of a variable in one pass over its memory,
 * where core's composite AdamW runs about fifteen element-wise kernels per variable (a fifth
 * of a training step in `tools/bench/encoder-step/profile-step.mjs`). Core's `AdamW` calls it
 * by this name when the backend has it (`tf.engine().runKernel`), else runs its composite.
 */
export const ADAMW_KERNEL_NAME = 'StemAdamW';

/** The kernel's attributes: the composite's scalars, as numbers. */
export interface AdamWKernelAttributes {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t. */
  correction1: number;
  correction2: number;
  /** This update's learning rate (group rate times the schedule's multiplier). */
  rate: number;
  weightDecay: number;
}

/**
 * The scalars as the composite rounds them: each is computed in double in JavaScript, as core's
 * AdamW computes it, then made a float32 scalar tensor by tfjs (`Math.fround` here).
 */
export function adamWCoefficients(attributes: AdamWKernelAttributes): Float32Array {
  const { beta1, beta2, epsilon, correction1, correction2, rate, weightDecay } = attributes;
  return Float32Array.from([
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    correction1,
    correction2,
    epsilon,
    rate,
    1 - rate * weightDecay,
    weightDecay > 0 ? 1 : 0,
  ]);
}

const INPUTS = ['parameter', 'gradient', 'firstMoment', 'secondMoment'] as const;

/**
 * Inputs {parameter, gradient, firstMoment, secondMoment} (float32, one shape); outputs
 * [parameter, firstMoment, secondMoment] after the update. It has no original to defer to:
 * a call it cannot serve throws before it allocates anything, and core's AdamW then runs its
 * composite instead.
 */
export function adamWKernel(addon: NativeAddon, memory: TensorMemory): KernelFunc | undefined {
  const adamW = addon.adamW?.bind(addon);
  if (!adamW) return undefined;
  return (args) => {
    const inputs = floatInputsOfOneShape(
      ADAMW_KERNEL_NAME,
      INPUTS.map((name) => args.inputs[name]),
      INPUTS.join(', '),
    );
    const parameter = inputs[0]!;
    const bound = memory.bind(args.backend, inputs);
    if (!bound)
      throw new Error(`${ADAMW_KERNEL_NAME}: the addon cannot reach these tensors' memory`);
    const coefficients = adamWCoefficients(args.attrs as unknown as AdamWKernelAttributes);
    const outputs = [0, 1, 2].map(() => bound.makeOutput([...parameter.shape], 'float32'));
    const size = elementCount(parameter.shape);
    if (size === 0) return outputs;
    // Operands after the outputs: making one may grow (replace) the wasm heap.
    const [p, g, m, v] = inputs.map((t) => bound.operand(t));
    const [nextP, nextM, nextV] = outputs.map((t) => bound.operand(t));
    adamW(
      p!.array,
      p!.offset,
      g!.array,
      g!.offset,
      m!.array,
      m!.offset,
      v!.array,
      v!.offset,
      nextP!.array,
      nextP!.offset,
      nextM!.array,
      nextM!.offset,
      nextV!.array,
      nextV!.offset,
      size,
      coefficients,
    );
    return outputs;
  };
}
