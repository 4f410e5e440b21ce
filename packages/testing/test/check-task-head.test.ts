import * as tf from '@tensorflow/tfjs';
import type { EncoderOutput, Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import {
  checkTaskHead,
  ConformanceError,
  ToyTagger,
  syntheticTaggedSentences,
} from '../src/index.js';
import { hookFor } from './toy-task-hook.js';

const sentences = syntheticTaggedSentences(10, 4);

async function problemsOf(Head: typeof ToyTagger): Promise<string[]> {
  try {
    await checkTaskHead({ hook: hookFor(Head), taskId: 'check.task.toy.v1', sentences, steps: 10 });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceError);
    return (error as ConformanceError).problems;
  }
}

describe('checkTaskHead', () => {
  it('passes a head that trains, saves, loads and predicts the same', async () => {
    expect(await problemsOf(ToyTagger)).toEqual([]);
  });

  it('catches a head that forgets its weights on load', async () => {
    class Forgetful extends ToyTagger {
      override loadWeights(): void {}
    }
    expect(await problemsOf(Forgetful)).toContain(
      'a head reloaded from saved weights and labels predicts differently',
    );
  });

  it('catches a decode that leaks tensors', async () => {
    class Leaky extends ToyTagger {
      override decode(encoded: EncoderOutput, batch: readonly Sentence[]): string[][] {
        tf.ones([2]);
        return super.decode(encoded, batch);
      }
    }
    expect((await problemsOf(Leaky)).join('\n')).toMatch(/decode\(\) leaks 1 tensors/);
  });

  it('catches an annotate that does not write the predicted layer', async () => {
    class Mute extends ToyTagger {
      override annotate(sentence: Sentence): Sentence {
        return {
          ...sentence,
          annotations: { ...sentence.annotations, pos: sentence.words.map(() => '?') },
        };
      }
    }
    expect((await problemsOf(Mute)).join('\n')).toMatch(/annotate\(\) does not write predictions/);
  });
});
