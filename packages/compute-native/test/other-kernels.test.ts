import { beforeAll, describe, expect, it } from 'vitest';
import {
  nativeNotBuilt,
  bothWays,
  native,
  plain,
  randomTensor,
  relativeError,
  tf,
  useBackend,
  BACKENDS,
} from './kernel-engine.js';

function expectSame(f: () => tf.Tensor): void {
  const result = bothWays(f);
  expect(relativeError(result.native, result.plain)).toBeLessThan(1e-5);
}

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)('Softmax (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  for (const shape of [
    [1, 1],
    [7, 13],
    [4, 3, 33],
    [2, 2, 5, 64],
    [3, 0],
    [0, 4],
  ]) {
    it(`[${shape}]`, () => expectSame(() => tf.softmax(tf.mul(randomTensor(shape, 1), 20))));
  }
  it('large logits do not overflow (max-subtracted)', () => {
    native();
    const out = tf.softmax(tf.tensor2d([[1000, 1001, 999]]));
    const expected = [
      Math.exp(0) / (1 + Math.E + Math.exp(-1)),
      Math.E / (1 + Math.E + Math.exp(-1)),
    ];
    const values = out.dataSync();
    expect(values[0]).toBeCloseTo(expected[0] as number, 6);
    expect(values[1]).toBeCloseTo(expected[1] as number, 6);
    out.dispose();
  });
});

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)('Mean (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const cases: Array<[number[], number | number[] | undefined, boolean]> = [
    [[16, 32, 128], -1, true], // layer norm
    [[512, 64], 0, false],
    [[3, 4, 5], [0, 1], false],
    [[3, 4, 5], 1, true],
    [[3, 4, 5], undefined, false],
    [[3, 4, 5], [0, 2], false], // not contiguous: the original kernel
    [[2, 0, 3], 0, false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`[${shape}] axis ${JSON.stringify(axis)} keepDims=${keepDims}`, () =>
      expectSame(() => tf.mean(randomTensor(shape, 2), axis, keepDims)));
  }
});

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)('Sum (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const cases: Array<[number[], number | number[] | undefined, boolean]> = [
    [[512, 64], 0, false],
    [[512, 64], 1, true],
    [[3, 4, 5], [0, 1], false],
    [[3, 4, 5], [1, 2], true],
    [[3, 4, 5], 1, false],
    [[3, 4, 5], -1, false],
    [[3, 4, 5], undefined, false],
    [[3, 4, 5], [0, 2], false], // not contiguous: the original kernel
    [[2, 0, 3], 1, false],
    [[0, 3], 1, true],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`[${shape}] axis ${JSON.stringify(axis)} keepDims=${keepDims}`, () =>
      expectSame(() => tf.sum(randomTensor(shape, 2), axis, keepDims)));
  }
  it('int32 input goes to the original kernel', () => {
    native();
    const out = tf.sum(
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      0,
    );
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual([4, 6]);
    out.dispose();
  });
});

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  'GatherV2 along axis 0 (%s)',
  (backend) => {
    beforeAll(() => useBackend(backend));
    it('embedding rows, including repeated ids', () =>
      expectSame(() =>
        tf.gather(randomTensor([50, 16], 3), tf.tensor1d([0, 49, 7, 7, 3], 'int32')),
      ));
    it('rank-2 ids and rank-3 table', () =>
      expectSame(() =>
        tf.gather(
          randomTensor([10, 3, 4], 4),
          tf.tensor2d(
            [
              [1, 2],
              [9, 0],
            ],
            [2, 2],
            'int32',
          ),
        ),
      ));
    it('no ids', () =>
      expectSame(() => tf.gather(randomTensor([10, 4], 5), tf.tensor1d([], 'int32'))));
    it('axis 1 goes to the original kernel', () =>
      expectSame(() => tf.gather(randomTensor([6, 10], 6), tf.tensor1d([2, 0], 'int32'), 1)));
    it('an id outside the table throws and leaks no tensor', () => {
      native();
      const table = randomTensor([4, 2], 7);
      const ids = tf.tensor1d([1, 4], 'int32');
      const before = tf.memory().numTensors;
      expect(() => tf.gather(table, ids)).toThrow(/index value 4 is not in \[0, 3\]/);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([table, ids]);
    });
  },
);

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  'UnsortedSegmentSum (the gradient of gather) (%s)',
  (backend) => {
    beforeAll(() => useBackend(backend));
    it('sums rows per segment and drops ids out of range', () =>
      expectSame(() =>
        tf.unsortedSegmentSum(randomTensor([6, 8], 8), tf.tensor1d([0, 2, 2, 5, 9, 0], 'int32'), 6),
      ));
    it('the gradient of an embedding lookup', () =>
      expectSame(() => {
        const table = randomTensor([20, 4], 9);
        const ids = tf.tensor1d([3, 3, 19, 0], 'int32');
        return tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.gather(t, ids), randomTensor([4, 4], 10))),
        )(table);
      }));
  },
);

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)('Exp and Erf (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  it('Exp', () => expectSame(() => tf.exp(tf.mul(randomTensor([17, 33], 11), 10))));
  it('Erf', () => expectSame(() => tf.erf(tf.mul(randomTensor([1000], 12), 4))));
  it('empty input', () => expectSame(() => tf.exp(tf.zeros([0, 3]))));
});

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  'Identity shares memory instead of copying (%s)',
  (backend) => {
    beforeAll(() => useBackend(backend));
    it('the clone keeps its values after the original is disposed', () => {
      native();
      const x = randomTensor([5, 5], 13);
      const expected = Array.from(x.dataSync());
      const before = tf.memory().numDataBuffers;
      const copy = tf.clone(x);
      expect(tf.memory().numDataBuffers).toBe(before); // no new buffer
      x.dispose();
      expect(Array.from(copy.dataSync())).toEqual(expected);
      copy.dispose();
    });
    it('a variable assigned from a tensor keeps the value after the tensor is disposed', () => {
      native();
      const v = tf.variable(tf.zeros([3]));
      const t = tf.tensor1d([1, 2, 3]);
      v.assign(t);
      t.dispose();
      expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
      v.dispose();
      plain();
    });
  },
);
