import type { LossBalancerState } from './loss-balancer.js';

/** Everything besides tensors that a resumed run needs to continue exactly. */
export interface TrainingState {
  format: 1;
  /** Epoch being trained (0-based) and the next step within its plan. */
  epoch: number;
  stepInEpoch: number;
  /** Mini-batches trained so far, over all epochs. */
  globalStep: number;
  optimizerUpdates: number;
  balancer: LossBalancerState;
  best: { score: number; epoch: number } | null;
  epochsWithoutGain: number;
  stopped: boolean;
}

export function initialTrainingState(): TrainingState {
  return {
    format: 1,
    epoch: 0,
    stepInEpoch: 0,
    globalStep: 0,
    optimizerUpdates: 0,
    balancer: {},
    best: null,
    epochsWithoutGain: 0,
    stopped: false,
  };
}
