import type { NamedTensorMap, Variable } from '../contracts/tensorflow.js';

/**
 * Assigns a checkpoint's tensors to a component's variables by name, after checking that
 * every variable is there with its shape. Errors name the component (`owner`), the weight,
 * the found and the expected shape, plus `hint` (what usually causes a mismatch).
 * Tensors the component does not own are ignored.
 */
export function loadWeights(
  owner: string,
  variables: Readonly<Record<string, Variable>> | NamedTensorMap,
  weights: NamedTensorMap,
  hint?: string,
): void {
  const entries = Object.entries(variables) as Array<[string, Variable]>;
  // Check everything before assigning anything: a failed load leaves the component unchanged.
  for (const [name, variable] of entries) {
    const tensor = weights[name];
    if (!tensor) throw new Error(`${owner}: weight "${name}" is missing from the checkpoint`);
    if (tensor.shape.join(',') !== variable.shape.join(','))
      throw new Error(
        `${owner}: weight "${name}" has shape [${tensor.shape.join(',')}], expected [${variable.shape.join(',')}] in the checkpoint${hint ? ` (${hint})` : ''}`,
      );
  }
  for (const [name, variable] of entries) variable.assign(weights[name] as Variable);
}
