import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { SeededRandom, type Sentence } from '@stem/core';
import { ToyEncoder } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { posPredictionFormats } from '../src/prediction-formats.js';
import { SoftmaxTagger } from '../src/softmax-tagger.js';

const conllu = posPredictionFormats[0]!;
const WORD_LINE = /^\d+\t/;

/** A tiny POS model (toy encoder + the real head) trained a few steps, then run on `sentences`. */
async function tinyTagger(train: Sentence[], sentences: Sentence[]): Promise<Sentence[]> {
  const encoder = new ToyEncoder(tf, new SeededRandom(3), { hiddenSize: 16 });
  const config = { tagSet: 'xpos' as const, dropout: 0 };
  const head = new SoftmaxTagger(
    tf,
    config,
    { hiddenSize: 16, trainingSentences: train },
    new SeededRandom(4),
  );
  const optimizer = tf.train.adam(0.05);
  const trainTokens = await encoder.tokenize(train.map((s) => s.words));
  const variables = [...encoder.trainableVariables(), ...head.trainableVariables()];
  for (let step = 0; step < 15; step++)
    optimizer
      .minimize(
        () => head.loss(encoder.encode(trainTokens, { training: false }), train),
        false,
        variables,
      )
      ?.dispose();
  const annotated: Sentence[] = [];
  for (let start = 0; start < sentences.length; start += 128) {
    const batch = sentences.slice(start, start + 128);
    const tokens = await encoder.tokenize(batch.map((s) => s.words));
    const predictions = tf.tidy(() =>
      head.decode(encoder.encode(tokens, { training: false }), batch),
    );
    batch.forEach((s, b) => annotated.push(head.annotate(s, predictions[b]!)));
  }
  optimizer.dispose();
  head.dispose();
  encoder.dispose();
  return annotated;
}

describe('POS prediction format (CoNLL-U)', () => {
  let ewtTest: string;
  let ewtDev: Sentence[];
  const testFile = udFile('en_ewt', 'test');

  beforeAll(async () => {
    await tf.setBackend('cpu');
    ewtTest = await readFile(testFile, 'utf8');
    const devFile = udFile('en_ewt', 'dev');
    ewtDev = parseConllu(await readFile(devFile, 'utf8'), devFile)
      .sentences.slice(0, 64)
      .map((s) => conlluToSentence(s));
  });

  it('rewrites only XPOS of the real EWT test file: every other line and column byte-identical', async () => {
    const document = parseConllu(ewtTest, testFile);
    // The file has what a lossy writer would drop: multi-word tokens, SpaceAfter=No, DEPS.
    expect(document.sentences.some((s) => s.multiwords.length > 0)).toBe(true);
    expect(ewtTest).toMatch(/SpaceAfter=No/);
    const predicted = await tinyTagger(
      ewtDev,
      document.sentences.map((s) => conlluToSentence(s)),
    );
    const output = conllu.write(predicted, {
      task: 'pos',
      config: { tagSet: 'xpos', dropout: 0 },
      input: { file: testFile, format: 'conllu', text: ewtTest },
    });
    // The UD file leaves out the blank line after its last sentence; the output has it, as
    // the format (and the CoNLL 2018 scorer) requires.
    expect(ewtTest.endsWith('\n\n')).toBe(false);
    expect(output.endsWith('\n\n')).toBe(true);
    const inputLines = `${ewtTest}\n`.split('\n');
    const outputLines = output.split('\n');
    expect(outputLines).toHaveLength(inputLines.length);
    let changedTags = 0;
    const otherChanges: string[] = [];
    outputLines.forEach((line, i) => {
      const original = inputLines[i]!;
      const isWord = WORD_LINE.test(original) && !/^\d+[-.]/.test(original);
      const keep = (columns: string[]) => [...columns.slice(0, 4), ...columns.slice(5)].join('\t');
      const [before, after] = [original.split('\t'), line.split('\t')];
      if (isWord ? keep(after) !== keep(before) : line !== original)
        otherChanges.push(`line ${i + 1}: ${original} -> ${line}`);
      if (isWord && after[4] !== before[4]) changedTags++;
    });
    expect(otherChanges).toEqual([]);
    // A 15-step toy model gets many tags wrong, so the XPOS column really was replaced ...
    expect(changedTags).toBeGreaterThan(0);
    // ... by the predictions, which read back through parseConllu.
    expect(parseConllu(output).sentences.map((s) => s.words.map((w) => w.xpos))).toEqual(
      predicted.map((s) => s.annotations.pos),
    );
  }, 120_000);

  it('writes UPOS instead when the head predicts UPOS, and builds CoNLL-U for text input', () => {
    const sentences: Sentence[] = [
      { id: 's1', words: ['Dogs', 'bark'], annotations: { upos: ['NOUN', 'VERB'] } },
    ];
    const text = conllu.write(sentences, {
      task: 'pos',
      config: { tagSet: 'upos', dropout: 0 },
      input: { file: 'in.txt', format: 'text', text: 'Dogs bark\n' },
    });
    expect(text).toBe(
      '# sent_id = s1\n# text = Dogs bark\n1\tDogs\t_\tNOUN\t_\t_\t_\t_\t_\t_\n2\tbark\t_\tVERB\t_\t_\t_\t_\t_\t_\n\n',
    );
    expect(() =>
      conllu.write(sentences, { task: 'tagger', config: { tagSet: 'xpos', dropout: 0 } }),
    ).toThrow(/task "tagger": sentence s1 has no predicted pos tags/);
  });

  it('names the file when the predictions do not match the CoNLL-U input', () => {
    expect(() =>
      conllu.write([{ id: 'a', words: ['x', 'y'], annotations: { pos: ['A', 'B'] } }], {
        task: 'pos',
        config: { tagSet: 'xpos', dropout: 0 },
        input: { file: 'in.conllu', format: 'conllu', text: '1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n\n' },
      }),
    ).toThrow(/in\.conllu:1: the sentence has 1 words but its prediction 2/);
  });
});
