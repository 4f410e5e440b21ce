/**
 * He & Choi (2021), pruning: the encoder is fine-tuned at 1e-5 while heads are pruned (5e-5 in
 * plain runs). Shared by the study's generated pruning configs and `stem prune`'s defaults.
 */
export const PRUNING_ENCODER_LEARNING_RATE = 1e-5;
