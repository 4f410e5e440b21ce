import type {
  EncodeOptions,
  Encoder,
  EncoderOutput,
  EncoderShape,
  NamedTensorMap,
  Sentence,
  Tensor,
  Tensor2D,
  Tensor3D,
  TensorFlow,
  TokenizedBatch,
  Variable,
} from '@stem/core';
import { SeededRandom } from '@stem/core';

/**
 * A toy multi-head "encoder" with one head that carries the label: head (layer 1, head 2)
 * copies the word itself, every other head copies a neighbour (offsets -2, -1, +1, +2),
 * which says nothing about the word's tag in `randomTaggedSentences`. Word vector =
 * sum over heads of gate(l, h) * E_(l,h)[word at offset], with fixed random tables E.
 * With `ignoreGates` it behaves like an encoder that drops `headGates` on the floor.
 */
export class OneSignalHeadEncoder implements Encoder {
  readonly shape: EncoderShape = { layers: 2, heads: 4, hiddenSize: 8, maxPositions: 64 };
  static readonly SIGNAL = { layer: 1, head: 2 };
  private readonly tables: Tensor2D[];
  private readonly wordIds: Map<string, number>;

  constructor(
    private readonly tf: TensorFlow,
    words: readonly string[],
    seed: number,
    private readonly ignoreGates = false,
  ) {
    const random = new SeededRandom(seed);
    this.wordIds = new Map(words.map((w, i) => [w, i + 1]));
    const rows = words.length + 1;
    const { hiddenSize, layers, heads } = this.shape;
    this.tables = Array.from({ length: layers * heads }, () =>
      tf.tensor2d(
        Array.from({ length: rows * hiddenSize }, (_, i) =>
          i < hiddenSize ? 0 : random.uniform(-1, 1),
        ),
        [rows, hiddenSize],
      ),
    );
  }

  private offsetOf(layer: number, head: number): number {
    const { SIGNAL } = OneSignalHeadEncoder;
    if (layer === SIGNAL.layer && head === SIGNAL.head) return 0;
    return [-2, -1, 1, 2][(layer * this.shape.heads + head) % 4] as number;
  }

  async tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    return {
      subwordIds: sentences.map((words) => [
        0,
        ...words.map((w) => this.wordIds.get(w) ?? 0),
        0,
      ]),
      wordSpans: sentences.map((words) => words.map((_, i) => [i + 1, i + 1] as [number, number])),
      wordCounts: sentences.map((words) => words.length),
    };
  }

  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    const tf = this.tf;
    const { layers, heads, hiddenSize } = this.shape;
    const width = Math.max(...batch.wordCounts);
    const wordIds = batch.subwordIds.map((ids, b) =>
      Array.from({ length: width }, (_, i) =>
        i < (batch.wordCounts[b] as number) ? (ids[i + 1] as number) : 0,
      ),
    );
    const gates = this.ignoreGates ? undefined : options.headGates;
    const wordVectors = tf.tidy(() => {
      let sum: Tensor = tf.zeros([batch.wordCounts.length, width, hiddenSize]);
      for (let l = 0; l < layers; l++)
        for (let h = 0; h < heads; h++) {
          const offset = this.offsetOf(l, h);
          const shifted = wordIds.map((row) => row.map((_, i) => row[i + offset] ?? 0));
          let part: Tensor = tf.gather(
            this.tables[l * heads + h] as Tensor2D,
            tf.tensor2d(shifted, undefined, 'int32'),
          );
          if (gates) part = part.mul(tf.slice(gates, [l, h], [1, 1]).reshape([]));
          sum = sum.add(part);
        }
      return sum as Tensor3D;
    });
    const wordMask = tf.tensor2d(
      batch.wordCounts.map((count) => Array.from({ length: width }, (_, i) => (i < count ? 1 : 0))),
    );
    const rootVector = tf.zeros([batch.wordCounts.length, hiddenSize]) as Tensor2D;
    const eosVector = tf.zeros([batch.wordCounts.length, hiddenSize]) as Tensor2D;
    return { wordVectors, wordMask, rootVector, eosVector };
  }

  trainableVariables(): Variable[] {
    return [];
  }

  weights(): NamedTensorMap {
    return {};
  }

  loadWeights(): void {}

  async save(): Promise<void> {
    throw new Error('test encoder');
  }

  dispose(): void {
    this.tf.dispose(this.tables);
  }
}

// Tags A and B are capitalised words, C and D lower-case: the word decides both its tag and
// its capitalisation (the example task's label), its neighbours decide neither.
const LEXICON: Record<string, string[]> = {
  A: ['Ax', 'Ay', 'Az'],
  B: ['Bx', 'By', 'Bz'],
  C: ['cx', 'cy', 'cz'],
  D: ['dx', 'dy', 'dz'],
};

export const LEXICON_WORDS = Object.values(LEXICON).flat();

/** Sentences of 4-8 words drawn independently: a neighbour says nothing about a word's tag. */
export function randomTaggedSentences(count: number, seed: number): Sentence[] {
  const random = new SeededRandom(seed);
  const tags = Object.keys(LEXICON);
  return Array.from({ length: count }, (_, index) => {
    const length = 4 + random.int(5);
    const picked = Array.from({ length }, () => {
      const tag = tags[random.int(tags.length)] as string;
      const words = LEXICON[tag] as string[];
      return [words[random.int(words.length)] as string, tag] as const;
    });
    return {
      id: `r-${seed}-${index}`,
      words: picked.map(([w]) => w),
      annotations: { pos: picked.map(([, t]) => t) },
    };
  });
}
