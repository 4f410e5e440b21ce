import {
  DEVICE_CHOICES,
  loadConfigFile,
  parseConfigText,
  strictSchema,
  validateConfig,
  type LineOf,
} from '@stem/core';
import { z } from 'zod';

/** Task names become run-directory names: lower-case identifiers. */
const TASK_NAME = /^[a-z][a-z0-9_]*$/;

/** Trainer fields merged into every run's experiment config; core's trainer schema checks them. */
const trainerFields = z
  .record(z.string(), z.unknown())
  .describe('Trainer settings (see `stem config schema`, section trainer).');

/** Trainer settings of one task's single-task runs in a setting (the paper prunes NER and SRL longer). */
const byTaskSchema = z
  .record(
    z.string().regex(TASK_NAME, 'task names are lower-case identifiers'),
    z.object({ trainer: trainerFields }).strict(),
  )
  .optional()
  .describe('Per task: { trainer: {...} } for that task’s single-task runs of this setting.');

/** `true` = on with the shared trainer settings, `false` = off, or an object with its own. */
const settingSchema = z
  .union([
    z.boolean(),
    z
      .object({
        trainer: trainerFields.optional().describe('Trainer settings of this setting only.'),
        byTask: byTaskSchema,
      })
      .strict(),
  ])
  .describe('true, false, or { trainer: {...} } with trainer settings of this setting only');

const gatesSchema = z
  .object({
    lambda: z
      .union([z.number().min(0), z.record(z.string(), z.number().min(0))])
      .optional()
      .describe(
        'L0 penalty weight: one number, or one per task (default: the paper’s, 0.001 for MTL-DP).',
      ),
    learningRate: z.number().positive().optional().describe('Learning rate of the gates’ Adam.'),
  })
  .strict();

const pruningSettingSchema = z.union([
  z.boolean(),
  z
    .object({
      trainer: trainerFields.optional().describe('Trainer settings of the pruning runs.'),
      byTask: byTaskSchema,
      gates: gatesSchema.optional(),
    })
    .strict(),
]);

const taskSchema = z.looseObject({
  type: z.string({ error: 'a task needs its registered "type", e.g. stem.task.pos.softmax.v1' }),
  dataset: z.looseObject({
    type: z.string({ error: 'a dataset needs its registered "type", e.g. stem.dataset.ud-ewt.v1' }),
  }),
});

const splitSchema = z.enum(['train', 'dev', 'test']);

/** Strict at every depth, as experiment configs: an unknown key names the closest known one. */
export const studyConfigSchema = strictSchema(
  z.object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only'),
    description: z.string().optional(),
    directory: z
      .string()
      .min(1)
      .optional()
      .describe('The study directory (default studies/<name>); --out overrides it.'),
    device: z.enum(DEVICE_CHOICES).default('auto'),
    seeds: z
      .union([
        z.int().min(1).max(100),
        z
          .array(
            z
              .int()
              .min(0)
              .max(2 ** 31 - 1),
          )
          .min(1),
      ])
      .default(1)
      .describe('N (seeds 1..N) or the list of seeds; every setting runs once per seed.'),
    encoder: z
      .looseObject({ type: z.string() })
      .describe('The shared encoder, as in an experiment config (path or architecture).'),
    tasks: z
      .record(z.string().regex(TASK_NAME, 'task names are lower-case identifiers'), taskSchema)
      .refine((tasks) => Object.keys(tasks).length > 0, 'at least one task is required'),
    trainer: trainerFields.default({}),
    settings: z
      .object({
        stl: settingSchema.default(true).describe('One run per task (STL).'),
        pairs: settingSchema.default(false).describe('One run per pair of tasks.'),
        mtl5: settingSchema.default(true).describe('One run over every task (MTL-5 for five).'),
      })
      .strict()
      .prefault({}),
    pruning: z
      .object({
        'stl-dp': pruningSettingSchema.default(true).describe('One pruning run per task (STL-DP).'),
        'mtl-dp': pruningSettingSchema
          .default(true)
          .describe('One pruning run over every task with one shared gate set (MTL-DP).'),
      })
      .strict()
      .prefault({}),
    probes: z
      .object({
        static: z.boolean().default(true).describe('Probe the encoder before fine-tuning.'),
        stl: z.boolean().default(true),
        pairs: z.boolean().default(false),
        mtl5: z.boolean().default(true),
        split: splitSchema.default('test'),
        fit: splitSchema.optional().describe('Centroid probes: fit on this split.'),
        limit: z.int().positive().optional().describe('First N sentences of the split.'),
        batchSentences: z.int().positive().default(16),
      })
      .strict()
      .prefault({}),
    // Gradient conflict (issue 28): the meter only observes (core leaves it out of the run's
    // random streams), so turning it on changes no run's weights, scores or report numbers; a
    // study without it generates the same run configs as before.
    conflict: z
      .union([
        z.boolean(),
        z
          .object({
            every: z
              .int()
              .min(1)
              .optional()
              .describe('Optimiser updates between measurements (default: the meter’s, 20).'),
            probeSentences: z
              .int()
              .min(1)
              .optional()
              .describe('Sentences of each task’s fixed probe batch (default: the meter’s, 32).'),
          })
          .strict(),
      ])
      .optional()
      .describe(
        'Measure per-head gradient conflict between the tasks of the MTL runs (MTL-5 and the pairs; never STL or pruning runs): true for the meter’s defaults, false (or absent) for off, or { every, probeSentences }. The meter only observes: every run ends with the same weights and scores as without it.',
      ),
    learningFloors: z
      .record(
        z.string().regex(TASK_NAME, 'task names are lower-case identifiers'),
        z.number().min(0).max(1),
      )
      .optional()
      .describe(
        'Per task, the STL score (a fraction) below which the report calls the task under-trained and does not test claim 1 on it (defaults: pos 0.8, ner 0.2, dep 0.5, con 0.5, srl 0.3).',
      ),
    data: z
      .object({
        ewt5: z
          .object({
            sources: z
              .array(z.string().min(1))
              .min(1)
              .describe(
                'Where `stem data build ewt-5` may read the PropBank release when ewt-5 is not built yet (folders, .tar.gz files or URLs, tried in order).',
              ),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    paths: z
      .record(z.string(), z.string())
      .optional()
      .describe('Named paths for ${paths.x} interpolation.'),
  }),
);

export type StudyConfig = z.output<typeof studyConfigSchema>;
export type SettingValue = StudyConfig['settings']['stl'];
export type PruningSettingValue = StudyConfig['pruning']['stl-dp'];
export type ConflictSetting = NonNullable<StudyConfig['conflict']>;

const STUDY_HINT = 'fix the fields above; README "stem study" describes a study config';

/** The study config read from a file, `--set` overrides applied, validated. */
export interface LoadedStudyConfig {
  file: string;
  config: StudyConfig;
  /** The line of a study config field, for errors found later (in a generated run config). */
  lineOf: LineOf;
}

/**
 * Reads a YAML or JSON study config with core's config loader: the same errors as an
 * experiment config's (file, line, field), `${...}` references and `--set` overrides.
 */
export async function loadStudyConfig(
  file: string,
  overrides: readonly string[] = [],
): Promise<LoadedStudyConfig> {
  const { document, config } = await loadConfigFile(file, {
    schema: studyConfigSchema,
    overrides,
    hint: STUDY_HINT,
  });
  return { file, config, lineOf: document.lineOf };
}

export function parseStudyConfig(
  text: string,
  file: string,
  overrides: readonly string[] = [],
): StudyConfig {
  return validateConfig(parseConfigText(text, file, { overrides }), studyConfigSchema, STUDY_HINT);
}

/** The seeds of a study: `seeds: 3` means 1, 2, 3. */
export function seedsOf(seeds: StudyConfig['seeds']): number[] {
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, k) => k + 1) : seeds;
}
