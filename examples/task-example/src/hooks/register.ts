import type { StemRegisterHook } from '@stem/core';
import { CapitalisationTagger, type CapitalisationTaggerConfig } from '../capitalisation-tagger.js';
import { capitalisationPredictionFormats } from '../prediction-format.js';

/**
 * The plugin's entry point, declared in package.json as the `stem:register` oclif hook.
 * `stem` (the registration facade) brings zod and tf; the head's shape-checked `loadWeights`
 * is core's `nn` (also `stem.nn`), imported from `@stem/core`, which the CLI resolves to its
 * own core for a plugin installed with `stem plugins:add` from a tarball or the registry.
 */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<CapitalisationTaggerConfig>({
      id: 'example.task.capitalisation.v1',
      description:
        'Example third-party task: tags each word as capitalised or not (a template for your own heads).',
      configSchema: (z) =>
        z.object({
          initScale: z
            .number()
            .positive()
            .default(0.02)
            .describe('Scale of the seeded uniform initial weights.'),
        }),
      predictionFormats: capitalisationPredictionFormats,
      create: (config, input, context) =>
        new CapitalisationTagger(context.tf, input, config, context.random),
    });
  },
});

export default register;
