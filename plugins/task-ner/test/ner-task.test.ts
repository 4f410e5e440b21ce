import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type LabeledSpan, type Sentence } from '@stem/core';
import { Conll2012Corpus, GumNerCorpus } from '@stem/data';
import { checkRegistration, checkTaskHead, ToyEncoder } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { BiaffineSpanClassifier } from '../src/biaffine-span-classifier.js';
import registerHook from '../src/hooks/register.js';
import type { NerConfig } from '../src/ner-config.js';
import { spanTargets } from '../src/span-targets.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const conll2012Fixtures = fileURLToPath(
  new URL('../../../packages/data/test/fixtures/conll2012', import.meta.url),
);
const TASK_ID = 'stem.task.ner.biaffine.v1';
/** A config as the schema's defaults make it. */
const config = (fields: Partial<NerConfig> = {}): NerConfig => ({
  projectionSize: 150,
  dropout: 0,
  ...fields,
});
let gumWithEntities: Sentence[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  gumWithEntities = (await new GumNerCorpus().read('dev')).filter(
    (s) => (s.annotations.ner?.length ?? 0) > 0 && s.words.length <= 30,
  );
});

describe('@stem/task-ner', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => c.id)).toEqual([TASK_ID]);
  });

  it('trains, saves, loads and predicts the same on real GUM sentences with entities', async () => {
    const sentences = gumWithEntities.slice(0, 8);
    expect(sentences.flatMap((s) => s.annotations.ner ?? []).length).toBeGreaterThan(8);
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: TASK_ID,
      config: { projectionSize: 24, dropout: 0.1 },
      sentences,
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });

  it('passes the conformance checks on CoNLL-2012 NE columns with a span width limit', async () => {
    const sentences = (
      await new Conll2012Corpus({ directory: conll2012Fixtures }).read('train')
    ).filter((s) => s.annotations.ner !== undefined);
    expect(sentences.flatMap((s) => s.annotations.ner!.map((e) => e.label))).toContain('PERSON');
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: TASK_ID,
      config: { projectionSize: 16, maxSpanWidth: 3 },
      sentences,
    });
    for (const spans of report.predictions as LabeledSpan[][])
      for (const span of spans) expect(span.end - span.start).toBeLessThanOrEqual(3);
  });

  it('computes r_c(i, j) = [s_i; 1]^T U_c [e_j; 1] for every cell (against plain loops)', () => {
    const random = new SeededRandom(8);
    const sentences = gumWithEntities.slice(0, 2);
    const head = new BiaffineSpanClassifier(
      tf,
      config({ projectionSize: 3 }),
      { hiddenSize: 4, trainingSentences: sentences },
      new SeededRandom(1),
    );
    const [startWeight, endWeight, biaffine] = head.trainableVariables() as [
      tf.Variable,
      tf.Variable,
      tf.Variable,
    ];
    // The biaffine weights start at zero: give them values so the check means something.
    biaffine.assign(tf.randomUniform(biaffine.shape, -1, 1, 'float32', 5));
    const [batch, words, hidden, size, labels] = [2, 3, 4, 3, head.labelCount];
    const h = Array.from({ length: batch * words * hidden }, () => random.uniform(-1, 1));
    const logits = tf.tidy(() =>
      head.spanLogits(tf.tensor3d(h, [batch, words, hidden])).arraySync(),
    );
    const W_s = startWeight.arraySync() as number[][];
    const W_e = endWeight.arraySync() as number[][];
    const U = biaffine.arraySync() as number[][];
    const project = (W: number[][], b: number, i: number): number[] => [
      ...Array.from({ length: size }, (_, k) =>
        Array.from(
          { length: hidden },
          (_, m) => h[(b * words + i) * hidden + m]! * W[m]![k]!,
        ).reduce((a, v) => a + v, 0),
      ),
      1,
    ];
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < words; i++)
        for (let j = 0; j < words; j++) {
          const s = project(W_s, b, i);
          const e = project(W_e, b, j);
          for (let c = 0; c < labels; c++) {
            let expected = 0;
            for (let m = 0; m <= size; m++)
              for (let k = 0; k <= size; k++)
                expected += s[m]! * U[m]![c * (size + 1) + k]! * e[k]!;
            expect(logits[b]![i]![j]![c]).toBeCloseTo(expected, 4);
          }
        }
    head.dispose();
  });

  it('counts every span i <= j inside the sentence and within the width limit in the loss', () => {
    const sentences: Sentence[] = [
      {
        id: 'a',
        words: ['Ann', 'met', 'Bo', 'Li', 'there'],
        annotations: {
          ner: [
            { start: 0, end: 1, label: 'PER' },
            { start: 2, end: 4, label: 'PER' },
            { start: 4, end: 5, label: 'LOC' },
          ],
        },
      },
      { id: 'b', words: ['Hi'], annotations: { ner: [] } },
    ];
    const types = new Map([['PER', 1]]); // LOC unknown: left out of the loss
    const { gold, weight } = spanTargets(sentences, 5, types);
    // Sentence a: 5 * 6 / 2 = 15 spans, less the unknown LOC; sentence b: 1 span.
    expect(weight.reduce((a, v) => a + v, 0)).toBe(15 - 1 + 1);
    expect(weight[0 * 5 + 0]).toBe(1);
    expect(weight[2 * 5 + 1]).toBe(0); // end < start
    expect(weight[25 + 0 * 5 + 1]).toBe(0); // padding of sentence b
    expect(gold[0 * 5 + 0]).toBe(1);
    expect(gold[2 * 5 + 3]).toBe(1); // [2, 4) ends at word 3 inclusive
    expect(weight[4 * 5 + 4]).toBe(0);
    expect([...gold].filter((g) => g !== 0)).toHaveLength(2);
    // Width 1: one-word spans only (5 + 1, less the unknown LOC); [2, 4) drops out.
    const narrow = spanTargets(sentences, 5, types, 1);
    expect(narrow.weight.reduce((a, v) => a + v, 0)).toBe(5 + 1 - 1);
    expect(narrow.gold[2 * 5 + 3]).toBe(0);
    expect(() =>
      spanTargets(
        [{ id: 'c', words: ['x'], annotations: { ner: [{ start: 0, end: 2, label: 'PER' }] } }],
        2,
        types,
      ),
    ).toThrow(/sentence c: entity PER \[0, 2\) lies outside its 1 words/);
  });

  it('says what is wrong when the training split has no entities', () => {
    expect(
      () =>
        new BiaffineSpanClassifier(
          tf,
          config(),
          {
            hiddenSize: 4,
            trainingSentences: [{ id: 'x', words: ['a'], annotations: { ner: [] } }],
          },
          new SeededRandom(1),
        ),
    ).toThrow(/no entity in the training sentences/);
  });

  it('learns: loss falls and held-out F1 rises from zero to near perfect with the toy encoder', async () => {
    const train = syntheticNerSentences(48, 1);
    const heldOut = syntheticNerSentences(24, 2);
    const encoder = new ToyEncoder(tf, new SeededRandom(4), { hiddenSize: 16 });
    const head = new BiaffineSpanClassifier(
      tf,
      config({ projectionSize: 16 }),
      { hiddenSize: 16, trainingSentences: train },
      new SeededRandom(5),
    );
    const evaluate = async (): Promise<{ f1: number; loss: number }> => {
      const metric = head.createMetric();
      const tokens = await encoder.tokenize(heldOut.map((s) => s.words));
      const encoded = encoder.encode(tokens, { training: false });
      metric.update(heldOut, head.decode(encoded, heldOut));
      const lossTensor = head.loss(encoded, heldOut);
      const loss = lossTensor.dataSync()[0] as number;
      tf.dispose([lossTensor, ...Object.values(encoded)]);
      return { f1: metric.result().scores.f1 as number, loss };
    };
    const before = await evaluate();
    const tokens = await encoder.tokenize(train.map((s) => s.words));
    const optimizer = tf.train.adam(0.02);
    for (let step = 0; step < 60; step++) {
      optimizer.minimize(
        () => head.loss(encoder.encode(tokens, { training: true }), train),
        false,
        [...encoder.trainableVariables(), ...head.trainableVariables()],
      );
    }
    const after = await evaluate();
    expect(before.f1).toBe(0);
    expect(after.loss).toBeLessThan(before.loss / 4);
    expect(after.f1).toBeGreaterThan(0.9);
    head.dispose();
    encoder.dispose();
  });
});

/**
 * Seeded sentences "<PER> visited <LOC> with <PER> ." with one- and two-word names, some
 * of them sharing a first word across types ("New York" is a place, "New Order" a band).
 */
function syntheticNerSentences(count: number, seed: number): Sentence[] {
  const random = new SeededRandom(seed);
  const names: Record<string, string[][]> = {
    PER: [['Ada'], ['Alan', 'Turing'], ['Grace'], ['Kurt', 'Godel']],
    LOC: [['Paris'], ['New', 'York'], ['Rome'], ['Cape', 'Town']],
    ORG: [['Acme'], ['New', 'Order'], ['Red', 'Cross']],
  };
  const fillers = ['visited', 'met', 'left', 'joined'];
  return Array.from({ length: count }, (_, index) => {
    const words: string[] = [];
    const ner: LabeledSpan[] = [];
    const entity = (type: string) => {
      const options = names[type]!;
      const name = options[random.int(options.length)]!;
      ner.push({ start: words.length, end: words.length + name.length, label: type });
      words.push(...name);
    };
    entity('PER');
    words.push(fillers[random.int(fillers.length)]!);
    entity(random.next() < 0.5 ? 'LOC' : 'ORG');
    if (random.next() < 0.5) {
      words.push('with');
      entity('PER');
    }
    words.push('.');
    return { id: `ner-${seed}-${index}`, words, annotations: { ner } };
  });
}
