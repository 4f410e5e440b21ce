import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { CapitalisationTagger, capitalisationOf } from '../src/capitalisation-tagger.js';
import registerHook from '../src/hooks/register.js';
import { capitalisationPredictionFormats } from '../src/prediction-format.js';

/** Reads the format back: per sentence the words and labels. */
function readBack(text: string): Array<{ words: string[]; labels: string[] }> {
  return text
    .trimEnd()
    .split('\n\n')
    .map((block) => {
      const rows = block.split('\n').map((line) => line.split('\t'));
      return { words: rows.map((r) => r[0]!), labels: rows.map((r) => r[1]!) };
    });
}

describe('example task prediction format', () => {
  it('is declared on the registration, so stem predict offers --format capitalisation', async () => {
    const declared: string[][] = [];
    const hook = await registerHook.call({} as never, {} as never);
    await hook.register({
      registerTask: (r: { predictionFormats?: { name: string }[] }) =>
        declared.push((r.predictionFormats ?? []).map((f) => f.name)),
    } as never);
    expect(declared).toEqual([['capitalisation']]);
  });

  it("writes the head's annotated labels as word<TAB>label lines that read back", () => {
    const sentences: Sentence[] = [
      { id: 'a', words: ['The', 'cat', 'saw', 'Anna'], annotations: {} },
      { id: 'b', words: ['ok'], annotations: {} },
    ];
    const head = new CapitalisationTagger(
      tf,
      { hiddenSize: 2, trainingSentences: sentences },
      { initScale: 0.02 },
      new SeededRandom(1),
    );
    // The gold labels as the "prediction", so the expected output is known.
    const annotated = sentences.map((s) => head.annotate(s, s.words.map(capitalisationOf)));
    head.dispose();
    const text = capitalisationPredictionFormats[0]!.write(annotated, { task: 'caps', config: {} });
    expect(text).toBe(
      'The\tcapitalised\ncat\tlower\nsaw\tlower\nAnna\tcapitalised\n\nok\tlower\n\n',
    );
    expect(readBack(text)).toEqual([
      { words: sentences[0]!.words, labels: ['capitalised', 'lower', 'lower', 'capitalised'] },
      { words: ['ok'], labels: ['lower'] },
    ]);
    expect(() =>
      capitalisationPredictionFormats[0]!.write(sentences, { task: 'caps', config: {} }),
    ).toThrow(/sentence a has no predicted capitalisation labels/);
  });
});
