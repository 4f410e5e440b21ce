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
  /**
   * The best dev checkpoint so far. `settled` (absent = true, as in runs without settling
   * components) says whether every settling component had settled there: a settled
   * checkpoint beats an unsettled one whatever the scores.
   */
  best: { score: number; epoch: number; settled?: boolean } | null;
  epochsWithoutGain: number;
  stopped: boolean;
  /** Why training stopped before its last epoch (absent: it ran them all). */
  stopReason?: 'patience';
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
