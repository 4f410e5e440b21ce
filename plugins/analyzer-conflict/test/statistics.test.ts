import { SeededRandom, type Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { cosine, headAgreement, taskPairs } from '../src/conflict-statistics.js';
import { measureConflict } from '../src/conflict-measurement.js';
import { headSlice, type HeadLayout } from '../src/head-slices.js';
import { drawProbeBatch } from '../src/probe-batches.js';

describe('agreement statistics on hand-made gradients', () => {
  it('gives cosines, norms, conflict with the sum and norm shares', () => {
    // a = (1, 0), b = (0, 1), c = (-3, 0): sum = (-2, 1); a . sum = -2 < 0, b . sum = 1,
    // c . sum = 6: one task of three points against the sum.
    const agreement = headAgreement([
      [1, 0],
      [0, 1],
      [-3, 0],
    ]);
    expect(agreement.norms).toEqual([1, 1, 3]);
    expect(taskPairs(3)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(agreement.cosines).toEqual([0, -1, 0]);
    expect(agreement.conflict).toBeCloseTo(1 / 3, 12);
    expect(agreement.shares).toEqual([0.2, 0.2, 0.6]);
  });

  it('computes the cosine of oblique vectors and no cosine for a zero slice', () => {
    // (1, 1) and (1, 0): 45 degrees.
    expect(cosine([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosine([2, -2, 0], [-1, 1, 0])).toBeCloseTo(-1, 12);
    const withZero = headAgreement([
      [0, 0],
      [3, 4],
    ]);
    expect(withZero.norms).toEqual([0, 5]);
    expect(withZero.cosines).toEqual([null]);
    expect(withZero.shares).toEqual([0, 1]);
    expect(headAgreement([[0], [0]]).shares).toEqual([0, 0]);
  });

  it('finds no conflict when every task pulls the same way, and all but one when one dominates', () => {
    expect(
      headAgreement([
        [1, 2],
        [2, 3],
        [0.5, 0.1],
      ]).conflict,
    ).toBe(0);
    // (10, 0) dominates the sum: the three small opposed tasks point against it.
    expect(
      headAgreement([
        [10, 0],
        [-1, 0],
        [-1, 0.1],
        [-1, -0.1],
      ]).conflict,
    ).toBe(0.75);
  });

  it('rejects slices of different lengths', () => {
    expect(() => headAgreement([[1, 2], [1]])).toThrow(/differ in length/);
  });
});

describe('per-head slicing', () => {
  // 1 layer, 2 heads, hidden 3, head size 2: kernels [3, 4] hold entry (r, c) = 10 r + c.
  const kernel = (offset: number) => ({
    shape: [3, 4],
    values: Float32Array.from({ length: 12 }, (_, i) => offset + 10 * Math.floor(i / 4) + (i % 4)),
  });
  const layout: HeadLayout = {
    layers: 1,
    heads: 2,
    names: { query: 'q{layer}', key: 'k{layer}', value: 'v{layer}', output: 'o{layer}' },
    gateKeys: ['component/g/gates'],
    configPath: 'trainingComponents.conflict.weights',
  };
  const gradients = {
    'q0.weight': kernel(0),
    'q0.bias': { shape: [4], values: Float32Array.of(0.1, 0.2, 0.3, 0.4) },
    'k0.weight': kernel(100),
    'v0.weight': kernel(200),
    // Output kernel [4, 3]: head 1 owns rows 2 and 3.
    'o0.weight': { shape: [4, 3], values: Float32Array.from({ length: 12 }, (_, i) => 1000 + i) },
    'o0.bias': { shape: [3], values: Float32Array.of(-1, -1, -1) },
    'component/g/gates': { shape: [1, 2], values: Float32Array.of(7, 8) },
  };

  it('takes a head’s query/key/value columns with their bias, its output rows and its gate', () => {
    const slice = Array.from(headSlice(gradients, layout, 0, 1));
    const expected = [
      ...[2, 3, 12, 13, 22, 23],
      0.3,
      0.4,
      ...[102, 103, 112, 113, 122, 123],
      ...[202, 203, 212, 213, 222, 223],
      ...[1006, 1007, 1008, 1009, 1010, 1011],
      8,
    ];
    slice.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
    expect(slice).toHaveLength(expected.length);
    expect(Array.from(headSlice(gradients, layout, 0, 0)).slice(0, 8)).toEqual([
      0,
      1,
      10,
      11,
      20,
      21,
      expect.closeTo(0.1, 6),
      expect.closeTo(0.2, 6),
    ]);
  });

  it('names the config field when the encoder has no such weight or the heads do not divide it', () => {
    const { 'k0.weight': _, ...withoutKey } = gradients;
    expect(() => headSlice(withoutKey, layout, 0, 0)).toThrow(
      /trainingComponents\.conflict\.weights\.key: the encoder has no trainable weight "k0\.weight"/,
    );
    expect(() => headSlice(gradients, { ...layout, heads: 3 }, 0, 0)).toThrow(
      /weights\.query: "q0\.weight" spans 4 head units, not a multiple of the encoder's 3 heads/,
    );
  });

  it('measures every head and keys the statistics by task and task pair', () => {
    const negated = Object.fromEntries(
      Object.entries(gradients).map(([key, g]) => [
        key,
        { shape: g.shape, values: g.values.map((v) => -v) },
      ]),
    );
    const measurement = measureConflict(
      { update: 4, step: 9, tasks: ['pos', 'dep'], losses: [1, -1], probeSentences: [3, 3] },
      [gradients, negated],
      layout,
    );
    expect(measurement.pairs).toEqual(['pos|dep']);
    expect(measurement.heads).toHaveLength(1);
    expect(measurement.heads[0]).toHaveLength(2);
    for (const head of measurement.heads[0] ?? []) {
      expect(head.cosine['pos|dep']).toBeCloseTo(-1, 6);
      expect(head.shares).toEqual({ pos: 0.5, dep: 0.5 });
    }
    expect(measurement.summary.meanCosine['pos|dep']).toBeCloseTo(-1, 6);
  });
});

describe('probe batches', () => {
  const sentences: Sentence[] = Array.from({ length: 30 }, (_, i) => ({
    id: `s${i}`,
    words: [`w${i}`],
    annotations: {},
  }));

  it('draws distinct sentences in dataset order, the same ones from the same stream', () => {
    const a = drawProbeBatch(sentences, 8, new SeededRandom(3).fork('probe'));
    const b = drawProbeBatch(sentences, 8, new SeededRandom(3).fork('probe'));
    const c = drawProbeBatch(sentences, 8, new SeededRandom(4).fork('probe'));
    const ids = a.map((s) => Number(s.id.slice(1)));
    expect(new Set(ids).size).toBe(8);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(drawProbeBatch(sentences.slice(0, 5), 8, new SeededRandom(3))).toHaveLength(5);
  });
});
