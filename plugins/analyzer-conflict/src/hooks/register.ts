import { TOKENS, type RunDirectory, type StemRegisterHook } from '@stem/core';
import {
  GRADIENT_CONFLICT_ID,
  gradientConflictConfigSchema,
  type GradientConflictConfig,
} from '../conflict-config.js';
import { GradientConflictMeter } from '../gradient-conflict-meter.js';

/** The `stem:register` hook: the meter is a training component; tf and randomness come from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTrainingComponent<GradientConflictConfig>({
      id: GRADIENT_CONFLICT_ID,
      // A meter: with it on, a run draws the same streams and ends with the same weights.
      observesOnly: true,
      description:
        "Per-head gradient agreement between tasks during MTL: every K updates, each task's gradient on a fixed probe batch, sliced per attention head (cosine per task pair, norms, conflict with the summed gradient, norm shares) into analyses/conflict/. Trains nothing.",
      configSchema: gradientConflictConfigSchema,
      create: (config, input, context) => {
        const run = context.container.isRegistered(TOKENS.runDirectory)
          ? context.container.resolve<RunDirectory>(TOKENS.runDirectory)
          : undefined;
        return new GradientConflictMeter(
          context.tf,
          config,
          input,
          context.random,
          run?.analysis('conflict'),
        );
      },
    });
  },
});

export default register;
