import type { StemRegisterHook } from '@stem/core';
import { ToyTagger } from '../src/index.js';

/** Registers ToyTagger (or a broken variant) as a task, as a plugin would. */
export function hookFor(Head: typeof ToyTagger): StemRegisterHook {
  return () => ({
    register(stem) {
      stem.registerTask({
        id: 'check.task.toy.v1',
        description: 'Toy tagger under conformance check.',
        configSchema: (z) => z.object({}),
        create: (_config, input, context) =>
          new Head(
            context.tf,
            input.hiddenSize,
            input.labels?.tags ?? ToyTagger.tagsOf(input.trainingSentences),
            context.random,
          ),
      });
    },
  });
}
