import type { AnnotationLayer, LabeledSpan, Sentence } from '@stem/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CHUNKS_LAYER, chunksOf } from '../src/chunks-layer.js';

describe('the chunks layer', () => {
  it("is typed beside core's layers by the plugin's augmentation of @stem/core", () => {
    // expectTypeOf fails only under tsc: `pnpm typecheck` (CI) checks test/ too (tsconfig.json),
    // so the augmentation must reach through '@stem/core'.
    expectTypeOf<'chunks'>().toExtend<AnnotationLayer>();
    expectTypeOf<'pos' | 'upos' | 'dep' | 'con' | 'ner' | 'srl'>().toExtend<AnnotationLayer>();
    expectTypeOf<Sentence['annotations']['chunks']>().toEqualTypeOf<LabeledSpan[] | undefined>();
    expectTypeOf<typeof CHUNKS_LAYER>().toEqualTypeOf<'chunks'>();
  });

  it('reads the chunks of a sentence, naming the sentence when it has none', () => {
    const chunks = [{ start: 0, end: 1, label: 'NP' }];
    expect(chunksOf({ id: 's', words: ['It'], annotations: { chunks } })).toBe(chunks);
    expect(() => chunksOf({ id: 's', words: ['It'], annotations: {} })).toThrow(
      'sentence s has no chunks layer',
    );
  });
});
