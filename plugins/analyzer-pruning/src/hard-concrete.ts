import type { Scalar, SeededRandom, Tensor2D, TensorFlow } from '@stem/core';

/**
 * Hard-concrete gates (Louizos et al. 2018) as used for head pruning by Voita et al. 2019 and
 * He & Choi 2021 (docs/paper-method.md, Pruning): a concrete sample stretched to (-0.1, 1.1) and clamped
 * to [0, 1], so a gate can be exactly 0 or 1 while its expectation stays differentiable.
 */
export const HARD_CONCRETE = {
  /** Temperature beta of the concrete distribution. */
  temperature: 0.33,
  /** Stretch interval (gamma, zeta): s * (zeta - gamma) + gamma = 1.2 s - 0.1. */
  gamma: -0.1,
  zeta: 1.1,
  /** log_a starts uniform in (-0.679, 0.679). */
  initRange: 0.679,
  /** Noise u is drawn from (eps, 1 - eps) so log u and log(1 - u) stay finite. */
  noiseEpsilon: 1e-6,
  /** A head is kept ("claimed") iff its evaluation gate exceeds this. */
  keepThreshold: 1e-3,
} as const;

/** beta * log(-gamma / zeta) subtracted inside the penalty's sigmoid: +0.7913 for the defaults. */
export const PENALTY_SHIFT =
  -HARD_CONCRETE.temperature * Math.log(-HARD_CONCRETE.gamma / HARD_CONCRETE.zeta);

const STRETCH = HARD_CONCRETE.zeta - HARD_CONCRETE.gamma;

/** One noise draw u ~ U(eps, 1 - eps) per gate, from the step's stream. */
export function drawGateNoise(random: SeededRandom, count: number): number[] {
  const eps = HARD_CONCRETE.noiseEpsilon;
  return Array.from({ length: count }, () => random.uniform(eps, 1 - eps));
}

/** Training gate g = clamp(1.2 sigmoid((log u - log(1 - u) + log_a) / beta) - 0.1, 0, 1). */
export function trainingGates(tf: TensorFlow, logAlpha: Tensor2D, noise: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const logistic = tf.sub(tf.log(noise), tf.log(tf.sub(1, noise)));
    const s = tf.sigmoid(tf.div(tf.add(logistic, logAlpha), HARD_CONCRETE.temperature));
    return tf.clipByValue(tf.add(tf.mul(s, STRETCH), HARD_CONCRETE.gamma), 0, 1) as Tensor2D;
  });
}

/** Evaluation gate g = clamp(1.2 sigmoid(log_a) - 0.1, 0, 1): no noise. */
export function evaluationGates(tf: TensorFlow, logAlpha: Tensor2D): Tensor2D {
  return tf.tidy(
    () =>
      tf.clipByValue(
        tf.add(tf.mul(tf.sigmoid(logAlpha), STRETCH), HARD_CONCRETE.gamma),
        0,
        1,
      ) as Tensor2D,
  );
}

/**
 * Expected number of open gates per layer, averaged over layers:
 * mean_l sum_h sigmoid(log_a[l,h] + 0.7913) (multiplied by lambda in the loss).
 */
export function expectedOpenHeadsPerLayer(tf: TensorFlow, logAlpha: Tensor2D): Scalar {
  return tf.tidy(() => tf.mean(tf.sum(tf.sigmoid(tf.add(logAlpha, PENALTY_SHIFT)), 1)) as Scalar);
}

/** The evaluation gate of one log_a, in plain numbers (reports, analysis). */
export function evaluationGateOf(logAlpha: number): number {
  const stretched = (1 / (1 + Math.exp(-logAlpha))) * STRETCH + HARD_CONCRETE.gamma;
  return Math.min(1, Math.max(0, stretched));
}

export function isKept(gate: number): boolean {
  return gate > HARD_CONCRETE.keepThreshold;
}

/**
 * Evaluation gates strictly between 0 and 1: the heads whose gate has not yet been driven to
 * a clamp (closed at log_a <= -ln 11, open at log_a >= ln 11). A run whose count is 0 has
 * decided on every head; "kept" then means open, not merely above 1e-3.
 */
export function undecidedGateCount(gates: readonly (readonly number[])[]): number {
  let count = 0;
  for (const row of gates) for (const gate of row) if (gate > 0 && gate < 1) count += 1;
  return count;
}
