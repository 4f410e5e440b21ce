import type {
  EncodeOptions,
  Encoder,
  EncoderOutput,
  EncoderShape,
  NamedTensorMap,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  TensorFlow,
  TokenizedBatch,
  Variable,
} from '@stem/core';

/** What the script sees of one sentence: its words, sub-word spans and sub-word count. */
export interface ScriptedSentence {
  words: readonly string[];
  spans: ReadonlyArray<readonly [number, number]>;
  length: number;
}

export interface Script {
  layers: number;
  heads: number;
  headSize: number;
  /** [layer][head][query][key] over the sentence's own sub-words. */
  attention?: (sentence: ScriptedSentence) => number[][][][];
  /** [layer][head][subword][headSize]. */
  contexts?: (sentence: ScriptedSentence) => number[][][][];
}

/**
 * An Encoder whose attention and head contexts are written by the test, so probes can be
 * checked against hand-computed answers. Words longer than four letters become two
 * sub-words (to exercise pooling); [CLS] is sub-word 0 (its id numbers the sentence) and
 * [SEP] the last.
 */
export class ScriptedEncoder implements Encoder {
  readonly shape: EncoderShape;

  constructor(
    private readonly tf: TensorFlow,
    private readonly script: Script,
  ) {
    this.shape = {
      layers: script.layers,
      heads: script.heads,
      hiddenSize: script.heads * script.headSize,
      maxPositions: 512,
    };
  }

  async tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    const subwordIds: number[][] = [];
    const wordSpans: Array<Array<[number, number]>> = [];
    for (const words of sentences) {
      const ids = [1000 + this.seen.length];
      this.seen.push([...words]);
      const spans: Array<[number, number]> = [];
      for (const word of words) {
        const pieces = word.length > 4 ? 2 : 1;
        spans.push([ids.length, ids.length + pieces - 1]);
        for (let k = 0; k < pieces; k++) ids.push(10 + k);
      }
      ids.push(2);
      subwordIds.push(ids);
      wordSpans.push(spans);
    }
    return { subwordIds, wordSpans, wordCounts: sentences.map((s) => s.length) };
  }

  /** Every tokenised sentence; its index is written into the [CLS] id so encode finds the words. */
  private readonly seen: string[][] = [];

  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    const tf = this.tf;
    const { layers, heads, headSize } = this.script;
    const rows = batch.subwordIds.length;
    const length = Math.max(...batch.subwordIds.map((ids) => ids.length));
    const sentences: ScriptedSentence[] = batch.subwordIds.map((ids, b) => ({
      words: this.seen[(ids[0] as number) - 1000] as string[],
      spans: batch.wordSpans[b]!,
      length: ids.length,
    }));
    const out: EncoderOutput = {
      wordVectors: tf.zeros([rows, 1, 1]) as Tensor3D,
      wordMask: tf.zeros([rows, 1]) as Tensor2D,
      rootVector: tf.zeros([rows, 1]) as Tensor2D,
      eosVector: tf.zeros([rows, 1]) as Tensor2D,
    };
    if (options.returnAttention && this.script.attention) {
      const scripted = sentences.map((s) => this.script.attention!(s));
      out.attention = Array.from({ length: layers }, (_, l) => {
        const data = new Float32Array(rows * heads * length * length);
        scripted.forEach((sentence, b) =>
          sentence[l]!.forEach((matrix, h) =>
            matrix.forEach((row, q) =>
              row.forEach((value, k) => {
                data[((b * heads + h) * length + q) * length + k] = value;
              }),
            ),
          ),
        );
        return tf.tensor4d(data, [rows, heads, length, length]) as Tensor4D;
      });
    }
    if (options.returnHeadContexts && this.script.contexts) {
      const scripted = sentences.map((s) => this.script.contexts!(s));
      out.headContexts = Array.from({ length: layers }, (_, l) => {
        const data = new Float32Array(rows * heads * length * headSize);
        scripted.forEach((sentence, b) =>
          sentence[l]!.forEach((subwords, h) =>
            subwords.forEach((vector, s) =>
              vector.forEach((value, k) => {
                data[((b * heads + h) * length + s) * headSize + k] = value;
              }),
            ),
          ),
        );
        return tf.tensor4d(data, [rows, heads, length, headSize]) as Tensor4D;
      });
    }
    return out;
  }

  trainableVariables(): Variable[] {
    return [];
  }
  async save(): Promise<void> {}
  weights(): NamedTensorMap {
    return {};
  }
  loadWeights(): void {}
  dispose(): void {}
}
