import { readFile } from 'node:fs/promises';
import { ConfigError, DEVICE_CHOICES, StemError, applyOverrides, describeIssues } from '@stem/core';
import { LineCounter, isNode, parseDocument } from 'yaml';
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

export const studyConfigSchema = z
  .object({
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
  })
  .strict();

export type StudyConfig = z.output<typeof studyConfigSchema>;
export type SettingValue = StudyConfig['settings']['stl'];
export type PruningSettingValue = StudyConfig['pruning']['stl-dp'];

/** The study config read from a file, `--set` overrides applied, validated. */
export interface LoadedStudyConfig {
  file: string;
  config: StudyConfig;
}

/**
 * Reads a YAML or JSON study config; problems name the file, line and field like the
 * experiment config loader's.
 */
export async function loadStudyConfig(
  file: string,
  overrides: readonly string[] = [],
): Promise<LoadedStudyConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StemError(
      `cannot read study config ${file}: ${(error as Error).message}`,
      'check the path given to -c/--config',
      'CONFIG_INVALID',
    );
  }
  return { file, config: parseStudyConfig(text, file, overrides) };
}

export function parseStudyConfig(
  text: string,
  file: string,
  overrides: readonly string[] = [],
): StudyConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0)
    throw new ConfigError(
      file,
      document.errors.map((error) => ({
        path: '',
        message: `syntax error: ${error.message.split('\n')[0]}`,
        line: error.linePos?.[0]?.line,
      })),
    );
  const raw = document.toJS() as unknown;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(file, [{ path: '', message: 'expected a mapping at the top level' }]);
  const lineOf = (path: PropertyKey[]): number | undefined => {
    // An absent field points at the nearest parent that is in the file.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const resolved = applyOverrides(raw as Record<string, unknown>, overrides);
  const result = studyConfigSchema.safeParse(resolved);
  if (!result.success)
    throw new ConfigError(
      file,
      describeIssues(result.error.issues, lineOf),
      'fix the fields above; README "stem study" describes a study config',
    );
  return result.data;
}

/** The seeds of a study: `seeds: 3` means 1, 2, 3. */
export function seedsOf(seeds: StudyConfig['seeds']): number[] {
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, k) => k + 1) : seeds;
}
