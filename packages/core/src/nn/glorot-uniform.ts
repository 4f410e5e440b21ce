import type { TensorFlow, Variable } from '../contracts/tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { uniformVariable } from './uniform-variable.js';

/**
 * A [fanIn, fanOut] weight with Glorot & Bengio's (2010) uniform initialisation,
 * U(-sqrt(6 / (fanIn + fanOut)), +sqrt(...)), drawn from the run's seeded stream.
 */
export function glorotUniform(
  tf: TensorFlow,
  random: SeededRandom,
  fanIn: number,
  fanOut: number,
): Variable {
  return uniformVariable(tf, random, fanIn, fanOut, Math.sqrt(6 / (fanIn + fanOut)));
}
