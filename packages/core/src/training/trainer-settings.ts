import { z } from 'zod';

/**
 * The `trainer` section of an experiment config. Defaults follow He & Choi 2021's training
 * set-up (docs/paper-method.md, Training);
 * `maxSteps` and `checkpointEvery` exist for smoke tests and long runs.
 */
export const trainerSettingsSchema = z
  .object({
    epochs: z
      .int()
      .min(1)
      .default(30)
      .describe('Training epochs (an epoch is every batch of every task once).'),
    patience: z
      .int()
      .min(1)
      .default(15)
      .describe('Stop after this many epochs without a dev gain.'),
    maxSentencesPerBatch: z.int().min(1).default(64).describe('Sentence cap of one mini-batch.'),
    maxSubwordsPerBatch: z
      .int()
      .min(1)
      .default(6400)
      .describe('Padded sub-word budget of one mini-batch.'),
    accumulate: z
      .int()
      .min(1)
      .default(1)
      .describe(
        'Mini-batches whose gradients are averaged into one update; a shorter group closes each epoch.',
      ),
    encoderLearningRate: z
      .number()
      .positive()
      .default(5e-5)
      .describe('AdamW learning rate of the encoder.'),
    headLearningRate: z
      .number()
      .positive()
      .default(1e-3)
      .describe('AdamW learning rate of the task heads.'),
    weightDecay: z.number().min(0).default(0).describe('Decoupled weight decay of AdamW.'),
    warmup: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Fraction of updates with a linear warm-up.'),
    clipNorm: z.number().positive().default(1).describe('Clip gradients to this global L2 norm.'),
    samplingAlpha: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('MTL: sample task t with p proportional to N_t^alpha.'),
    balanceWindow: z
      .int()
      .min(1)
      .default(5)
      .describe('MTL: moving-average window of the loss balancer.'),
    balanceLosses: z
      .boolean()
      .default(true)
      .describe('MTL: scale each task loss by sum_k MA_k / MA_t.'),
    checkpointEvery: z
      .int()
      .min(1)
      .default(200)
      .describe('Write the resumable checkpoint every N updates (and every epoch end).'),
    maxSteps: z
      .int()
      .min(1)
      .optional()
      .describe('Stop after this many mini-batches in total (smoke tests).'),
    evaluateTest: z
      .boolean()
      .default(true)
      .describe('Score the best checkpoint on the test split at the end.'),
  })
  .strict();

export type TrainerSettings = z.output<typeof trainerSettingsSchema>;
