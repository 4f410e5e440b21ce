import { z } from 'zod';
import { DEVICE_CHOICES } from '../compute/backend-name.js';
import { trainerSettingsSchema } from '../training/trainer-settings.js';
import { installHint } from '../plugin/plugin-packages.js';
import type { ComponentKind } from '../registry/component-kind.js';
import type { ComponentRegistry } from '../registry/component-registry.js';
import { strictSchema } from './strict-schema.js';

/** Task names become directory names and metric keys. */
const TASK_NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * The experiment schema of this process: core's own fields plus, for each component slot,
 * a union discriminated by `type` over the registered components' schemas. It is rebuilt
 * from the registry, so an installed plugin's components validate like built-in ones.
 * Every section is strict: an unknown key anywhere is an error naming the closest known key.
 */
export function buildExperimentSchema(
  registry: ComponentRegistry,
  purpose: SchemaPurpose = 'validation',
) {
  const componentUnion = (kind: ComponentKind) =>
    unionOf(
      registry.list(kind).map((c) => c.schema),
      registry,
      kind,
      purpose,
    );
  const dataset = componentUnion('dataset');
  const limit = z
    .object({
      train: z.int().positive().optional(),
      dev: z.int().positive().optional(),
      test: z.int().positive().optional(),
    })
    .strict()
    .optional()
    .describe(
      'Use only the first N sentences of a split (quick runs and smoke tests); all by default.',
    );
  const taskEntries = registry.list('task').map((c) => c.schema.extend({ dataset, limit }));
  const task = unionOf(taskEntries, registry, 'task', purpose) as unknown as z.ZodType<TaskConfig>;
  return strictSchema(
    z.object({
      $schema: z.string().optional(),
      name: z
        .string()
        .min(1)
        .default('experiment')
        .describe('Name of the experiment, used in run directory names.'),
      seed: z
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42)
        .describe('Seed of every random choice in the run.'),
      device: z
        .enum(DEVICE_CHOICES)
        .default('auto')
        .describe('Compute backend: auto, gpu, cpu (native), wasm, js.'),
      paths: z
        .record(z.string(), z.string())
        .default({})
        .describe('Named paths for ${paths.x} interpolation.'),
      encoder: componentUnion('encoder'),
      tasks: z
        .record(z.string().regex(TASK_NAME, 'task names are lower-case identifiers'), task)
        .refine((tasks) => Object.keys(tasks).length > 0, 'at least one task is required'),
      analyzers: z.record(z.string().regex(TASK_NAME), componentUnion('analyzer')).default({}),
      trainingComponents: z
        .record(z.string().regex(TASK_NAME), componentUnion('training'))
        .default({})
        .describe(
          'Components trained beside encoder and heads (e.g. pruning head gates), by name.',
        ),
      trainer: trainerSettingsSchema
        .prefault({})
        .describe('Trainer settings (defaults follow the paper).'),
      output: z
        .object({
          directory: z.string().default('runs').describe('Where run directories are created.'),
        })
        .prefault({}),
    }),
  );
}

export type ExperimentSchema = ReturnType<typeof buildExperimentSchema>;
export type ExperimentConfig = z.output<ExperimentSchema>;

/** A component's config section: its registered `type` id plus its own fields. */
export interface ComponentConfig {
  type: string;
  [field: string]: unknown;
}

/** A task section: the head's fields plus the dataset it trains on. */
export interface TaskConfig extends ComponentConfig {
  dataset: ComponentConfig;
  limit?: Partial<Record<'train' | 'dev' | 'test', number>>;
}

/**
 * `validation` adds a pre-check on `type` for readable errors; `json-schema` keeps the plain
 * discriminated union, which JSON Schema can express (a pipe exports only its input side).
 */
export type SchemaPurpose = 'validation' | 'json-schema';

function unionOf(
  options: z.ZodObject[],
  registry: ComponentRegistry,
  kind: ComponentKind,
  purpose: SchemaPurpose,
): z.ZodType<ComponentConfig> {
  const ids = registry.list(kind).map((c) => c.registration.id);
  const registered = ids.length
    ? `registered ${kind}s: ${ids.join(', ')}`
    : `no ${kind} is registered`;
  if (options.length === 0 && purpose === 'json-schema') {
    return z.custom<ComponentConfig>(() => false, { message: registered });
  }
  // A light pre-check gives "unknown task 'x'; registered: ...; <how to add it>" instead of
  // zod's generic union error; the id tells which package to add.
  const typed = z.looseObject({
    type: z
      .string({ error: `missing "type": one of ${ids.join(', ')}` })
      .refine((type) => ids.includes(type), {
        error: (issue) =>
          [`unknown ${kind} "${String(issue.input)}"`, registered, installHint(String(issue.input))]
            .filter(Boolean)
            .join('; '),
      }),
  });
  if (options.length === 0) return typed as unknown as z.ZodType<ComponentConfig>;
  const union = z.discriminatedUnion(
    'type',
    options as [z.ZodObject, ...z.ZodObject[]],
  ) as unknown as z.ZodType<ComponentConfig>;
  if (purpose === 'json-schema') return union;
  // The union only sees inputs whose type is known, so its errors are about the fields.
  return typed.pipe(
    union as unknown as z.ZodType<ComponentConfig, { type: string }>,
  ) as unknown as z.ZodType<ComponentConfig>;
}
