import {
  FeedForward,
  loadWeights,
  uniformVariable,
  type EncoderOutput,
  type FactoryContext,
  type LabelVocabularies,
  type Metric,
  type NamedTensorMap,
  type Scalar,
  type Sentence,
  type SeededRandom,
  type SrlFrame,
  type Tensor,
  type Tensor2D,
  type TaskHead,
  type TaskHeadBuildInput,
  type TrainingContext,
  type Variable,
  type HiddenDropout,
} from '@stem/core';
import { bestNonOverlapping, type ScoredSpan } from './non-overlapping-arguments.js';
import { candidateSpans, keptCount, topIndices } from './span-candidates.js';
import type { SrlConfig } from './srl-config.js';
import { SrlMetric } from './srl-metric.js';

/** What pruning kept in one sentence (host side). */
export interface KeptCandidates {
  /** Argument spans, [start, end), best unary score first. */
  spans: Array<{ start: number; end: number }>;
  /** Predicate word indices, best unary score first. */
  predicates: number[];
}

/** Unary scores of every candidate of one sentence (host values, for pruning). */
export interface UnaryScores {
  /** Every span up to the maximum width, [start, end), with its argument score. */
  spans: ScoredSpan[];
  /** predicates[i]: predicate score of word i. */
  predicates: number[];
}

/** Scores of one batch; every tensor belongs to the caller (run it inside tf.tidy). */
export interface SpanRankingScores {
  kept: KeptCandidates[];
  /** Padded kept counts of the batch (at least 1). */
  keptArguments: number;
  keptPredicates: number;
  /** [batch, keptArguments, keptPredicates, 1 + roles]: null (fixed at 0) first. */
  logits: Tensor;
  /** [batch * keptArguments, spanSize]: g = [h_b; h_e; width embedding; mean h_b..h_e]. */
  spanRepresentations: Tensor2D;
  /** [batch, keptArguments] unary argument scores of the kept spans. */
  argumentScores: Tensor2D;
}

/**
 * End-to-end SRL by span ranking with predicted predicates (He, Lee, Levy & Zettlemoyer 2018),
 * as He & Choi (2021, "The Stem Cell Hypothesis", the task decoders) use it:
 * every span up to `maxSpanWidth` words is an argument candidate, every word a predicate
 * candidate; unary FFNN scores prune them to floor(0.8 n) spans and floor(0.4 n) words; every
 * kept (argument, predicate) pair gets s(a, p, r) = FFNN([g_a; h_p])_r + s_arg(a) + s_pred(p)
 * with s(a, p, null) = 0, trained by cross-entropy over all kept pairs (a pair not in the
 * gold frames is null; gold arguments lost by pruning give no loss, as in the original).
 */
export class SpanRankingLabeler implements TaskHead<SrlFrame[]> {
  readonly requires = ['srl'] as const;
  private readonly roles: string[];
  private readonly roleIndex: Map<string, number>;
  private readonly widthEmbedding: Variable;
  private readonly argumentScorer: FeedForward;
  private readonly predicateScorer: FeedForward;
  private readonly pairScorer: FeedForward;
  private readonly hiddenSize: number;
  /** Size of g = [h_b; h_e; width; mean]. */
  private readonly spanSize: number;

  constructor(
    private readonly tf: FactoryContext['tf'],
    private readonly config: SrlConfig,
    input: TaskHeadBuildInput,
    random: SeededRandom,
  ) {
    this.roles = input.labels?.roles
      ? [...input.labels.roles]
      : collectRoles(input.trainingSentences);
    if (this.roles.length === 0)
      throw new Error(
        'SRL head: no argument roles in the training sentences (is the "srl" layer empty? V and C-V do not count)',
      );
    this.roleIndex = new Map(this.roles.map((role, i) => [role, i]));
    this.hiddenSize = input.hiddenSize;
    const width = config.widthEmbeddingSize;
    this.spanSize = 3 * input.hiddenSize + width;
    // Uniform with variance 1 / width (limit sqrt(3 / width)), from the run's seeded stream.
    this.widthEmbedding = uniformVariable(
      tf,
      random,
      config.maxSpanWidth,
      width,
      Math.sqrt(3 / width),
    );
    this.argumentScorer = new FeedForward(
      tf,
      this.spanSize,
      config.argumentHiddenSizes,
      1,
      random.fork('argument'),
    );
    this.predicateScorer = new FeedForward(
      tf,
      input.hiddenSize,
      config.predicateHiddenSizes,
      1,
      random.fork('predicate'),
    );
    this.pairScorer = new FeedForward(
      tf,
      this.spanSize + input.hiddenSize,
      config.pairHiddenSizes,
      this.roles.length,
      random.fork('pair'),
    );
  }

  trainableVariables(): Variable[] {
    return Object.values(this.weights()) as Variable[];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      const scores = this.score(encoded, sentences, this.dropout(context));
      const { keptArguments: ka, keptPredicates: kp } = scores;
      const labels: number[] = [];
      const weights: number[] = [];
      sentences.forEach((sentence, b) => {
        const gold = goldRoles(sentence.annotations.srl ?? []);
        const kept = scores.kept[b] as KeptCandidates;
        for (let a = 0; a < ka; a++) {
          const span = kept.spans[a];
          for (let p = 0; p < kp; p++) {
            const predicate = kept.predicates[p];
            if (!span || predicate === undefined) {
              labels.push(0);
              weights.push(0);
              continue;
            }
            const role = gold.get(`${predicate} ${span.start} ${span.end}`);
            const index = role === undefined ? -1 : (this.roleIndex.get(role) ?? -2);
            // A role unseen in training (index -2) cannot be predicted: no loss for its pair.
            labels.push(index + 1);
            weights.push(index === -2 ? 0 : 1);
          }
        }
      });
      const classes = this.roles.length + 1;
      const logProbabilities = tf.logSoftmax(tf.reshape(scores.logits, [-1, classes]) as Tensor2D);
      const picked = tf.sum(
        tf.mul(logProbabilities, tf.oneHot(tf.tensor1d(labels, 'int32'), classes)),
        -1,
      );
      // Summed over the kept pairs of each sentence (as in He et al. 2018), averaged over the
      // batch's sentences.
      return tf.div(
        tf.neg(tf.sum(tf.mul(picked, tf.tensor1d(weights)))),
        Math.max(1, sentences.length),
      ) as Scalar;
    });
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): SrlFrame[][] {
    const tf = this.tf;
    // Only host values leave the tidy: every tensor of the forward pass is released.
    let scored = {
      kept: [] as KeptCandidates[],
      keptArguments: 0,
      keptPredicates: 0,
      logitValues: new Float32Array() as ArrayLike<number>,
    };
    tf.tidy(() => {
      const scores = this.score(encoded, sentences, (x) => x);
      scored = {
        kept: scores.kept,
        keptArguments: scores.keptArguments,
        keptPredicates: scores.keptPredicates,
        logitValues: scores.logits.dataSync() as ArrayLike<number>,
      };
    });
    const { kept, keptArguments: ka, keptPredicates: kp, logitValues } = scored;
    const classes = this.roles.length + 1;
    return sentences.map((_, b) => {
      const sentenceKept = kept[b] as KeptCandidates;
      const frames: SrlFrame[] = [];
      sentenceKept.predicates.forEach((predicate, p) => {
        const candidates: Array<{ start: number; end: number; score: number; role: string }> = [];
        sentenceKept.spans.forEach((span, a) => {
          // An argument never covers its own predicate (gold never does, and the props
          // columns of `stem predict` could not write it).
          if (span.start <= predicate && predicate < span.end) return;
          const base = ((b * ka + a) * kp + p) * classes;
          let best = 0;
          let bestScore = 0; // null's score: a role must beat it
          for (let r = 1; r < classes; r++) {
            const value = logitValues[base + r] as number;
            if (value > bestScore) {
              bestScore = value;
              best = r;
            }
          }
          if (best > 0)
            candidates.push({ ...span, score: bestScore, role: this.roles[best - 1] as string });
        });
        const chosen = bestNonOverlapping(candidates);
        if (chosen.length > 0)
          frames.push({
            predicate,
            arguments: chosen.map(({ start, end, role }) => ({ start, end, role })),
          });
      });
      return frames.sort((x, y) => x.predicate - y.predicate);
    });
  }

  createMetric(): Metric<Sentence, SrlFrame[]> {
    return new SrlMetric();
  }

  annotate(sentence: Sentence, prediction: SrlFrame[]): Sentence {
    return { ...sentence, annotations: { ...sentence.annotations, srl: prediction } };
  }

  labels(): LabelVocabularies {
    return { roles: [...this.roles] };
  }

  weights(): NamedTensorMap {
    return {
      'span.width_embedding': this.widthEmbedding,
      ...this.argumentScorer.namedWeights('argument_scorer'),
      ...this.predicateScorer.namedWeights('predicate_scorer'),
      ...this.pairScorer.namedWeights('pair_scorer'),
    };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights(
      'SRL head',
      this.weights(),
      weights,
      'was it trained with another config or role set?',
    );
  }

  dispose(): void {
    for (const variable of this.trainableVariables()) variable.dispose();
  }

  /**
   * Unary scores of every candidate, for pruning only: host values, no gradient flows
   * through top-k. The argument scorer's first layer is applied block by block (W [x; y] =
   * W_x x + W_y y): per-word products, sliced per span width, with prefix sums for the mean,
   * so no [candidates, 3H + 20] tensor is built for the ~30 n candidates of a sentence.
   */
  unaryScores(encoded: EncoderOutput, sentences: readonly Sentence[]): UnaryScores[] {
    const tf = this.tf;
    const [batch, paddedWords, hidden] = this.checkShape(encoded, sentences);
    const maxWidth = Math.min(this.config.maxSpanWidth, paddedWords);
    // Width-major layout of the padded batch: spans of width w start at 0..N-w and sit at
    // offsets[w - 1] + start, so each width is a contiguous slice of the word axis (slices
    // are much cheaper than gathers on the wasm backend).
    const offsets: number[] = [];
    let layoutSize = 0;
    for (let w = 1; w <= maxWidth; w++) {
      offsets.push(layoutSize);
      layoutSize += paddedWords - w + 1;
    }
    let argumentValues: ArrayLike<number> = [];
    let predicateValues: ArrayLike<number> = [];
    tf.tidy(() => {
      const identity = (x: Tensor) => x;
      const words = tf.reshape(encoded.wordVectors, [batch * paddedWords, hidden]) as Tensor2D;
      predicateValues = this.predicateScorer.apply(words, identity).dataSync();
      if (maxWidth === 0) return;
      const widthSize = this.config.widthEmbeddingSize;
      const first = this.argumentScorer.firstHiddenSize;
      const block = (offset: number) =>
        tf.reshape(tf.matMul(words, this.argumentScorer.firstWeightRows(offset, hidden)), [
          batch,
          paddedWords,
          first,
        ]);
      const fromStart = block(0);
      const fromEnd = block(hidden);
      const meanPart = prefixSums(tf, block(2 * hidden + widthSize));
      const widthPart = tf.matMul(
        this.widthEmbedding,
        this.argumentScorer.firstWeightRows(2 * hidden, widthSize),
      );
      const byWidth: Tensor[] = [];
      for (let w = 1; w <= maxWidth; w++) {
        const count = paddedWords - w + 1;
        const slice = (x: Tensor, from: number) => tf.slice(x, [0, from, 0], [batch, count, first]);
        const sum = tf.sub(slice(meanPart, w), slice(meanPart, 0));
        const constant = tf.reshape(tf.slice(widthPart, [w - 1, 0], [1, first]), [1, 1, first]);
        byWidth.push(
          tf.add(
            tf.add(tf.add(slice(fromStart, 0), slice(fromEnd, w - 1)), tf.div(sum, w)),
            constant,
          ),
        );
      }
      argumentValues = this.argumentScorer
        .fromFirstPreactivation(tf.concat(byWidth, 1), identity)
        .dataSync();
    });
    return sentences.map((sentence, b) => {
      const n = sentence.words.length;
      return {
        spans: candidateSpans(n, this.config.maxSpanWidth).map(({ start, end }) => ({
          start,
          end,
          score: argumentValues[
            b * layoutSize + (offsets[end - start - 1] as number) + start
          ] as number,
        })),
        predicates: Array.from(
          { length: n },
          (_, i) => predicateValues[b * paddedWords + i] as number,
        ),
      };
    });
  }

  /**
   * Pruning and pair logits of a batch. The kept spans' g and the kept predicates' vectors
   * are picked by one batched product with a 0/1 (and 1/width, for the mean) selection
   * matrix instead of tf.gather: gather's gradient loops over every source row on the
   * pure-JS backend (seconds per step, measured), and gather itself is a slow loop on wasm.
   * The pair scorer's first layer is a broadcast sum of a span part and a predicate part
   * (no [arguments, predicates, 4H + 20] tensor).
   */
  score(
    encoded: EncoderOutput,
    sentences: readonly Sentence[],
    dropout: HiddenDropout,
  ): SpanRankingScores {
    const tf = this.tf;
    const [batch, paddedWords, hidden] = this.checkShape(encoded, sentences);
    const unary = this.unaryScores(encoded, sentences);
    const kept: KeptCandidates[] = unary.map(({ spans, predicates }, b) => {
      const n = (sentences[b] as Sentence).words.length;
      const spanOrder = topIndices(
        spans.map((s) => s.score),
        keptCount(this.config.argumentRatio, n, spans.length),
      );
      const predicateOrder = topIndices(predicates, keptCount(this.config.predicateRatio, n, n));
      return {
        spans: spanOrder.map((i) => {
          const { start, end } = spans[i] as ScoredSpan;
          return { start, end };
        }),
        predicates: predicateOrder,
      };
    });
    const ka = Math.max(1, ...kept.map((k) => k.spans.length));
    const kp = Math.max(1, ...kept.map((k) => k.predicates.length));

    // Rows per sentence: ka span starts, ka span ends, ka span means, kp predicates (padding
    // rows stay 0 and their pairs are masked in the loss).
    const rows = 3 * ka + kp;
    const selection = new Float32Array(batch * rows * paddedWords);
    const widthOneHot = new Float32Array(batch * ka * this.config.maxSpanWidth);
    kept.forEach(({ spans, predicates }, b) => {
      const row = (r: number) => (b * rows + r) * paddedWords;
      spans.forEach(({ start, end }, a) => {
        selection[row(a) + start] = 1;
        selection[row(ka + a) + end - 1] = 1;
        for (let i = start; i < end; i++) selection[row(2 * ka + a) + i] = 1 / (end - start);
        widthOneHot[(b * ka + a) * this.config.maxSpanWidth + end - start - 1] = 1;
      });
      predicates.forEach((p, k) => (selection[row(3 * ka + k) + p] = 1));
    });
    const picked = tf.matMul(
      tf.tensor3d(selection, [batch, rows, paddedWords]),
      encoded.wordVectors,
    );
    const part = (from: number, count: number) =>
      tf.reshape(tf.slice(picked, [0, from, 0], [batch, count, hidden]), [batch * count, hidden]);
    const spanRepresentations = tf.concat(
      [
        part(0, ka),
        part(ka, ka),
        tf.matMul(
          tf.tensor2d(widthOneHot, [batch * ka, this.config.maxSpanWidth]),
          this.widthEmbedding,
        ),
        part(2 * ka, ka),
      ],
      1,
    ) as Tensor2D;
    const predicateVectors = part(3 * ka, kp);
    const argumentScores = tf.reshape(this.argumentScorer.apply(spanRepresentations, dropout), [
      batch,
      ka,
    ]) as Tensor2D;
    const predicateScores = tf.reshape(this.predicateScorer.apply(predicateVectors, dropout), [
      batch,
      kp,
    ]);

    const pairFirst = this.pairScorer.firstHiddenSize;
    const spanPart = tf.reshape(
      tf.matMul(spanRepresentations, this.pairScorer.firstWeightRows(0, this.spanSize)),
      [batch, ka, 1, pairFirst],
    );
    const predicatePart = tf.reshape(
      tf.matMul(predicateVectors, this.pairScorer.firstWeightRows(this.spanSize, hidden)),
      [batch, 1, kp, pairFirst],
    );
    const roleScores = this.pairScorer.fromFirstPreactivation(
      tf.add(spanPart, predicatePart),
      dropout,
    );
    const withUnary = tf.add(
      roleScores,
      tf.add(
        tf.reshape(argumentScores, [batch, ka, 1, 1]),
        tf.reshape(predicateScores, [batch, 1, kp, 1]),
      ),
    );
    const logits = tf.concat([tf.zeros([batch, ka, kp, 1]), withUnary], -1);
    return {
      kept,
      keptArguments: ka,
      keptPredicates: kp,
      logits,
      spanRepresentations,
      argumentScores,
    };
  }

  private checkShape(encoded: EncoderOutput, sentences: readonly Sentence[]) {
    const [batch, paddedWords, hidden] = encoded.wordVectors.shape;
    if (hidden !== this.hiddenSize)
      throw new Error(
        `SRL head: word vectors have size ${hidden}, the head was built for ${this.hiddenSize}`,
      );
    if (batch !== sentences.length)
      throw new Error(`SRL head: ${batch} encoded sentences for ${sentences.length} sentences`);
    for (const s of sentences)
      if (s.words.length > paddedWords)
        throw new Error(
          `SRL head: sentence ${s.id} has ${s.words.length} words but the encoder returned ${paddedWords} word vectors`,
        );
    return [batch, paddedWords, hidden] as const;
  }

  /** The argument scorer applied to g directly (the reference the block-wise scores must match). */
  argumentScoresOf(spanRepresentations: Tensor2D): Tensor {
    return this.argumentScorer.apply(spanRepresentations, (x) => x);
  }

  private dropout(context: TrainingContext | undefined): HiddenDropout {
    const rate = this.config.dropout;
    if (!context || rate === 0) return (x) => x;
    return (x) => this.tf.dropout(x, rate, undefined, context.random.nextSeed());
  }
}

/** [batch, n, d] -> [batch, n + 1, d] with out[:, k] = sum of x[:, 0..k-1]. */
function prefixSums(tf: FactoryContext['tf'], x: Tensor): Tensor {
  const [batch, , size] = x.shape as [number, number, number];
  // Summed along the last axis: tfjs 4.22's cumsum gradient is wrong for any other axis
  // (it transposes the gradient without transposing it back), should this ever be differentiated.
  const sums = tf.transpose(tf.cumsum(tf.transpose(x, [0, 2, 1]), 2), [0, 2, 1]);
  return tf.concat([tf.zeros([batch, 1, size]), sums], 1);
}

/** Gold role by "predicate start end" (the first frame wins if two give one span a role). */
function goldRoles(frames: readonly SrlFrame[]): Map<string, string> {
  const roles = new Map<string, string>();
  for (const frame of frames)
    for (const a of frame.arguments) {
      const key = `${frame.predicate} ${a.start} ${a.end}`;
      if (!roles.has(key)) roles.set(key, a.role);
    }
  return roles;
}

/** Roles in order of first appearance in the training split (stable across runs). */
function collectRoles(sentences: readonly Sentence[]): string[] {
  const seen = new Set<string>();
  for (const sentence of sentences)
    for (const frame of sentence.annotations.srl ?? [])
      for (const a of frame.arguments) seen.add(a.role);
  return [...seen];
}
