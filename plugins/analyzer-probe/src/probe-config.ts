import type { Zod } from '@stem/core';

export const ATTENTION_PROBE_ID = 'stem.analyzer.probe.attention.v1';
export const CENTROID_PROBE_ID = 'stem.analyzer.probe.centroid.v1';

/** Tasks read through attention (arcs and arguments) and through head contexts (labels). */
export const ATTENTION_TASKS = ['dep', 'srl'] as const;
export const CENTROID_TASKS = ['pos', 'ner', 'con'] as const;
export type AttentionTask = (typeof ATTENTION_TASKS)[number];
export type CentroidTask = (typeof CENTROID_TASKS)[number];
export type ProbeTask = AttentionTask | CentroidTask;

function commonFields(z: Zod) {
  return {
    split: z
      .enum(['train', 'dev', 'test'])
      .default('test')
      .describe('Split whose sentences are scored (the paper: test).'),
    source: z
      .string()
      .optional()
      .describe(
        "After training: the run's task whose data is probed (sentences keyed <task>/<split>); default: the only task that has the split.",
      ),
    maxSentences: z.int().positive().default(16).describe('Sentences per encoder batch.'),
    maxSubwords: z
      .int()
      .positive()
      .default(2048)
      .describe(
        'Padded sub-words per encoder batch (sentences x longest); bounds the attention held at once.',
      ),
  };
}

export function attentionProbeSchema(z: Zod) {
  return z.object({
    task: z
      .enum(ATTENTION_TASKS)
      .describe('dep: dependency arcs by relation; srl: arguments by role.'),
    ...commonFields(z),
  });
}

export function centroidProbeSchema(z: Zod) {
  return z.object({
    task: z
      .enum(CENTROID_TASKS)
      .describe(
        'pos: word tags; ner: entity spans; con: lowest phrases (all children pre-terminals).',
      ),
    ...commonFields(z),
    fit: z
      .enum(['train', 'dev', 'test'])
      .optional()
      .describe(
        'Split the centroids are fitted on; default: the scored split itself, as in the paper.',
      ),
  });
}

export type AttentionProbeConfig = ReturnType<ReturnType<typeof attentionProbeSchema>['parse']>;
export type CentroidProbeConfig = ReturnType<ReturnType<typeof centroidProbeSchema>['parse']>;
