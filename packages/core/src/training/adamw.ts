import type { NamedTensorMap, Tensor, TensorFlow, Variable } from '../contracts/tensorflow.js';

/** Variables sharing a base learning rate (He & Choi 2021: encoder 5e-5, task heads 1e-3). */
export interface ParameterGroup {
  name: string;
  variables: readonly Variable[];
  learningRate: number;
  /** Overrides the optimiser's weight decay for this group. */
  weightDecay?: number;
  /** Ignore the per-update rate multiplier (a group with its own constant rate). */
  constantRate?: boolean;
}

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
};

/**
 * The fused update kernel @stem/compute-native registers on the backends it serves
 * (`ADAMW_KERNEL_NAME` there; core's test checks the two names agree). Inputs {parameter,
 * gradient, firstMoment, secondMoment}, attributes {beta1, beta2, epsilon, correction1,
 * correction2, rate, weightDecay}, outputs [parameter, firstMoment, secondMoment]: the same
 * float32 operations as the composite below, in one pass instead of about fifteen kernels.
 */
export const FUSED_ADAMW_KERNEL = 'StemAdamW';

/**
 * AdamW (decoupled weight decay) with parameter groups and a rate multiplier per update,
 * written out because tfjs's Adam has one learning rate and no serialisable state. Its
 * moments are plain variables so checkpoints can save and restore them exactly.
 */
export class AdamW {
  private readonly firstMoments: Variable[][];
  private readonly secondMoments: Variable[][];
  private updates = 0;
  /** Off after the fused kernel refused a call (memory it cannot reach): the composite then. */
  private fusedRefused = false;

  constructor(
    private readonly tf: TensorFlow,
    readonly groups: readonly ParameterGroup[],
    private readonly options: AdamWOptions = ADAMW_DEFAULTS,
  ) {
    this.firstMoments = groups.map((group) =>
      group.variables.map((v) => tf.variable(tf.zerosLike(v), false)),
    );
    this.secondMoments = groups.map((group) =>
      group.variables.map((v) => tf.variable(tf.zerosLike(v), false)),
    );
  }

  get updateCount(): number {
    return this.updates;
  }

  /**
   * Applies one update. `gradients` maps variable names to gradients; variables without a
   * gradient (a task head not in this batch) are left alone, moments included.
   */
  apply(gradients: ReadonlyMap<string, Tensor>, rateMultiplier: number): void {
    const tf = this.tf;
    const { beta1, beta2, epsilon } = this.options;
    this.updates += 1;
    const correction1 = 1 - beta1 ** this.updates;
    const correction2 = 1 - beta2 ** this.updates;
    const fused =
      !this.fusedRefused && tf.getKernel(FUSED_ADAMW_KERNEL, tf.getBackend()) !== undefined;
    this.groups.forEach((group, g) => {
      const rate = group.learningRate * (group.constantRate ? 1 : rateMultiplier);
      const weightDecay = group.weightDecay ?? this.options.weightDecay;
      group.variables.forEach((variable, i) => {
        const gradient = gradients.get(variable.name);
        if (!gradient) return;
        const m = this.firstMoments[g]?.[i] as Variable;
        const v = this.secondMoments[g]?.[i] as Variable;
        if (
          fused &&
          this.applyFused(variable, gradient, m, v, { rate, weightDecay, correction1, correction2 })
        )
          return;
        tf.tidy(() => {
          const nextM = m.mul(beta1).add(gradient.mul(1 - beta1));
          const nextV = v.mul(beta2).add(gradient.square().mul(1 - beta2));
          m.assign(nextM);
          v.assign(nextV);
          const step = nextM
            .div(correction1)
            .div(nextV.div(correction2).sqrt().add(epsilon))
            .mul(rate);
          const decayed = weightDecay > 0 ? variable.mul(1 - rate * weightDecay) : variable;
          variable.assign(decayed.sub(step));
        });
      });
    });
  }

  /** One variable's update by the fused kernel; false where it refused (nothing changed then). */
  private applyFused(
    variable: Variable,
    gradient: Tensor,
    m: Variable,
    v: Variable,
    step: { rate: number; weightDecay: number; correction1: number; correction2: number },
  ): boolean {
    const tf = this.tf;
    const { beta1, beta2, epsilon } = this.options;
    let outputs: Tensor[];
    try {
      outputs = tf
        .engine()
        .runKernel(
          FUSED_ADAMW_KERNEL,
          { parameter: variable, gradient, firstMoment: m, secondMoment: v },
          { beta1, beta2, epsilon, ...step } as never,
        ) as Tensor[];
    } catch {
      // The kernel throws before it allocates anything: fall back, for the rest of the run.
      this.fusedRefused = true;
      return false;
    }
    const [nextParameter, nextM, nextV] = outputs as [Tensor, Tensor, Tensor];
    m.assign(nextM);
    v.assign(nextV);
    variable.assign(nextParameter);
    tf.dispose(outputs);
    return true;
  }

  /**
   * Moments by `<group>/<m|v>/<index>`, plus the update count, for checkpoints. Indices, not
   * tfjs variable names: those are process-local counters, positions in a group are not.
   */
  state(): { updates: number; tensors: NamedTensorMap } {
    const tensors: NamedTensorMap = {};
    this.groups.forEach((group, g) =>
      group.variables.forEach((_variable, i) => {
        tensors[`${group.name}/m/${i}`] = this.firstMoments[g]?.[i] as Variable;
        tensors[`${group.name}/v/${i}`] = this.secondMoments[g]?.[i] as Variable;
      }),
    );
    return { updates: this.updates, tensors };
  }

  load(state: { updates: number; tensors: NamedTensorMap }): void {
    this.updates = state.updates;
    this.groups.forEach((group, g) =>
      group.variables.forEach((_variable, i) => {
        for (const [kind, moments] of [
          ['m', this.firstMoments],
          ['v', this.secondMoments],
        ] as const) {
          const key = `${group.name}/${kind}/${i}`;
          const saved = state.tensors[key];
          if (!saved) throw new Error(`optimizer state lacks ${key}`);
          moments[g]?.[i]?.assign(saved);
        }
      }),
    );
  }

  dispose(): void {
    for (const moments of [...this.firstMoments, ...this.secondMoments])
      for (const m of moments) m.dispose();
  }
}
