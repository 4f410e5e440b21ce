import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeededRandom, StemRegisterHook, TensorFlow } from '@stem/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConformanceError,
  ToyTagger,
  headCheckpointFixture,
  tinyAnnotatedSentences,
} from '../src/index.js';

const TASK_ID = 'check.task.toy.v1';

/** Registers ToyTagger (or a variant) as a task, as a plugin would. */
function hookFor(Head: typeof ToyTagger): StemRegisterHook {
  return () => ({
    register(stem) {
      stem.registerTask({
        id: TASK_ID,
        description: 'Toy tagger with a checkpoint fixture.',
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

async function problemsOf(directory: string, Head: typeof ToyTagger): Promise<string[]> {
  try {
    const input = { hook: hookFor(Head), taskId: TASK_ID, sentences: tinyAnnotatedSentences() };
    await headCheckpointFixture(directory, input);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceError);
    return (error as ConformanceError).problems;
  }
}

describe('headCheckpointFixture', () => {
  let directory: string;
  beforeEach(async () => {
    directory = join(await mkdtemp(join(tmpdir(), 'stem-fixture-')), 'checkpoint-v1');
    process.env.STEM_WRITE_FIXTURES = '1';
    const written = await headCheckpointFixture(directory, {
      hook: hookFor(ToyTagger),
      taskId: TASK_ID,
      sentences: tinyAnnotatedSentences(),
    });
    expect(written.written).toBe(true);
    delete process.env.STEM_WRITE_FIXTURES;
  });
  afterEach(async () => {
    delete process.env.STEM_WRITE_FIXTURES;
    await rm(join(directory, '..'), { recursive: true, force: true });
  });

  it('passes the head that wrote it', async () => {
    expect(await problemsOf(directory, ToyTagger)).toEqual([]);
  });

  it('catches a head whose seeded draws moved (one extra draw before its weights)', async () => {
    class Shifted extends ToyTagger {
      constructor(tf: TensorFlow, hidden: number, tags: readonly string[], random: SeededRandom) {
        random.uniform(0, 1);
        super(tf, hidden, tags, random);
      }
    }
    const problems = await problemsOf(directory, Shifted);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^weight "weight" starts at .* at entry 0, saved .*: the seeded draws moved$/,
    );
  });

  it('catches a head that computes another loss from the same weights', async () => {
    class Scaled extends ToyTagger {
      override loss(...args: Parameters<ToyTagger['loss']>): ReturnType<ToyTagger['loss']> {
        return super.loss(...args).mul(2);
      }
    }
    const problems = await problemsOf(directory, Scaled);
    expect(problems.some((p) => /^the reloaded head's loss is .*, recorded /.test(p))).toBe(true);
  });

  it('refuses to check without a fixture, saying how to write one', async () => {
    await expect(
      headCheckpointFixture(join(directory, 'absent'), {
        hook: hookFor(ToyTagger),
        taskId: TASK_ID,
        sentences: [],
      }),
    ).rejects.toThrow(/no checkpoint fixture at .*absent: write it with STEM_WRITE_FIXTURES=1/);
  });
});
