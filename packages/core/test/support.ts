import type { RegistrationFacade } from '../src/plugin/stem-plugin.js';

/** Registers a small but complete set of components, as a plugin would. */
export function registerToyComponents(stem: RegistrationFacade): void {
  stem.registerEncoder({
    id: 'toy.encoder.constant.v1',
    description: 'test encoder',
    configSchema: (z) => z.object({ hidden: z.int().positive().default(8) }),
    create: (config) => ({ hidden: config.hidden }) as never,
  });
  stem.registerDataset({
    id: 'toy.dataset.inline.v1',
    description: 'test dataset',
    configSchema: (z) => z.object({ path: z.string().describe('Where the data is.') }),
    create: () => ({ layers: ['pos'], read: async () => [] }),
  });
  stem.registerTask({
    id: 'toy.task.tagger.v1',
    description: 'test task',
    configSchema: (z) =>
      z.object({ lr: z.number().positive().default(0.001), layers: z.int().min(1).default(1) }),
    create: (config) => ({ config }) as never,
  });
}
