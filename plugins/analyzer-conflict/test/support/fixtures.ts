import type {
  NamedTensorMap,
  Scalar,
  TaskHead,
  Tensor2D,
  TensorFlow,
  TrainingComponent,
  Variable,
} from '@stem/core';

/**
 * A test-only head whose loss is another head's, negated: its gradient points exactly
 * against its twin's, so the conflict meter must report cosine -1 on every head.
 */
export function negatedHead(inner: TaskHead): TaskHead {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'loss')
        return (...args: Parameters<TaskHead['loss']>) => {
          const loss = target.loss(...args);
          const negated = loss.neg() as Scalar;
          loss.dispose();
          return negated;
        };
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Trainable per-head gates handed to the encoder at training and evaluation (a stand-in for
 * the pruning gates, without noise), so the meter slices a gate gradient as well.
 */
export class PlainHeadGates implements TrainingComponent {
  readonly optimizer = { learningRate: 0.01 };
  readonly gates: Variable;

  constructor(
    private readonly tf: TensorFlow,
    layers: number,
    heads: number,
  ) {
    this.gates = tf.variable(tf.fill([layers, heads], 0.9), true);
  }

  trainableVariables(): Variable[] {
    return [this.gates];
  }

  trainingEncodeOptions() {
    return { headGates: this.gates.add(0) as Tensor2D };
  }

  evaluationEncodeOptions() {
    return { headGates: this.gates.add(0) as Tensor2D };
  }

  weights(): NamedTensorMap {
    return { gates: this.gates };
  }

  loadWeights(weights: NamedTensorMap): void {
    this.gates.assign(weights.gates as Variable);
  }

  dispose(): void {
    this.gates.dispose();
  }
}

/**
 * A head the trainer cannot update (no trainable variables): twin heads built from one seed
 * then stay identical, so only the shared encoder moves between measurements.
 */
export function frozenHead(inner: TaskHead): TaskHead {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'trainableVariables') return () => [];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
