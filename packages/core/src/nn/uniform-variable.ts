import type { TensorFlow, Variable } from '../contracts/tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';

/**
 * A [rows, columns] variable of values drawn uniformly from (-limit, limit) by the seeded
 * stream, row-major: one `random.uniform` call per entry, in order, so a head that draws
 * its weights here consumes its stream exactly as the inline loops it replaces did.
 */
export function uniformVariable(
  tf: TensorFlow,
  random: SeededRandom,
  rows: number,
  columns: number,
  limit: number,
): Variable {
  const values = Float32Array.from({ length: rows * columns }, () => random.uniform(-limit, limit));
  const initial = tf.tensor2d(values, [rows, columns]);
  const variable = tf.variable(initial);
  // The variable holds its own copy; the initial tensor would otherwise stay allocated.
  initial.dispose();
  return variable;
}
