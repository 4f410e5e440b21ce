import { fileURLToPath } from 'node:url';
import { headCheckpointFixture, tinyAnnotatedSentences } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';

const directory = fileURLToPath(new URL('./fixtures/checkpoint-v1', import.meta.url));

describe('a NER checkpoint saved by an earlier version (test/fixtures/checkpoint-v1)', () => {
  it('is built from the same seeded draws, loads, and gives the recorded loss and predictions', async () => {
    const report = await headCheckpointFixture(directory, {
      hook: registerHook,
      taskId: 'stem.task.ner.biaffine.v1',
      config: { projectionSize: 8, dropout: 0.1 },
      sentences: tinyAnnotatedSentences(),
    });
    expect(report.written).toBe(false);
    expect(report.loss).toBeCloseTo(report.recordedLoss, 5);
    expect(Number.isFinite(report.loss)).toBe(true);
  });
});
