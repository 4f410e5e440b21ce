import { fileURLToPath } from 'node:url';
import { checkRegistration, checkTaskHead } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { CHUNK_TASK_ID, CONLL2000_DATASET_ID } from '../src/chunk-config.js';
import { Conll2000Dataset, DEFAULT_SPLIT_FILES } from '../src/conll2000-dataset.js';
import registerHook from '../src/hooks/register.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

describe('@stem-community/task-chunk conformance', () => {
  it('passes the registration checks: a dataset and a task, installable by plugins:add', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.plugin).toBe('@stem-community/task-chunk');
    expect(report.components.map((c) => `${c.kind}:${c.id}`)).toEqual([
      `task:${CHUNK_TASK_ID}`,
      `dataset:${CONLL2000_DATASET_ID}`,
    ]);
    const task = report.registry.require('task', CHUNK_TASK_ID);
    expect(task.schema.parse({ type: CHUNK_TASK_ID })).toEqual({
      type: CHUNK_TASK_ID,
      dropout: 0.1,
      decoding: 'viterbi',
    });
    expect(task.schema.safeParse({ type: CHUNK_TASK_ID, decoding: 'crf' }).success).toBe(false);
  });

  it('trains, saves, reloads and predicts on the sample: the task-head check', async () => {
    const sentences = (await new Conll2000Dataset({ ...DEFAULT_SPLIT_FILES }).read('dev')).slice(
      0,
      4,
    );
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: CHUNK_TASK_ID,
      config: { dropout: 0 },
      sentences,
      steps: 20,
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
    expect(report.predictions).toHaveLength(4);
  });
});
