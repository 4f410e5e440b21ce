import type { TensorInfoLike } from '../tfjs-surface.js';

/**
 * The inputs of an added kernel that takes float32 tensors of one shape, or an error naming the
 * kernel and its inputs (thrown before the kernel allocates anything).
 */
export function floatInputsOfOneShape(
  kernel: string,
  inputs: (TensorInfoLike | undefined)[],
  names: string,
): TensorInfoLike[] {
  const [first] = inputs;
  if (
    !first ||
    inputs.some(
      (t) =>
        !t ||
        t.dtype !== 'float32' ||
        t.shape.length !== first.shape.length ||
        t.shape.some((d, i) => d !== first.shape[i]),
    )
  )
    throw new Error(`${kernel}: ${names} must be float32 tensors of one shape`);
  return inputs as TensorInfoLike[];
}
