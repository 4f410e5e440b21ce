import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import {
  SeededRandom,
  type Encoder,
  type EncoderOutput,
  type Sentence,
  type StemRegisterHook,
  type Tensor,
  type Tensor2D,
  type TensorFlow,
} from '@stem/core';
import { ConformanceError } from './conformance-error.js';
import { openPluginUnderTest } from './plugin-under-test.js';
import { syntheticTaggedSentences } from './synthetic-corpus.js';
import { ToyTagger } from './toy-tagger.js';

export interface EncoderCheckInput {
  hook: StemRegisterHook;
  encoderId: string;
  /** The encoder's config section without `type`. */
  config: Record<string, unknown>;
  /** A config section that loads what `save(directory)` wrote. */
  reloadConfig: (directory: string) => Record<string, unknown>;
  /** The tf to run on (default: the pure-JS backend of the kit's own tfjs). */
  tf?: TensorFlow;
  sentences?: readonly Sentence[];
  steps?: number;
}

export interface EncoderReport {
  initialLoss: number;
  finalLoss: number;
  reloadDifference: number;
}

/**
 * The conformance check every encoder plugin passes: built through its registration, its
 * tokenisation and outputs have the contract's shapes (word vectors, mask, root and EOS
 * vectors, every layer's attention and head contexts), evaluation keeps only its outputs
 * alive, every attention row of every sentence, layer and head is a distribution over the
 * sentence's real sub-words, all-open head gates change nothing, closing one
 * gate changes that head's contribution only (so pruning can work), a tagger on
 * top trains with a falling loss and a flat tensor count, and what `save` writes loads
 * (through the registration again) into an encoder giving the same word vectors.
 */
export async function checkEncoder(input: EncoderCheckInput): Promise<EncoderReport> {
  const tf = input.tf ?? (await pureJs());
  const problems: string[] = [];
  const { registry, container } = await openPluginUnderTest(input.hook, input.encoderId, tf);
  const registration = registry.require('encoder', input.encoderId);
  const build = async (config: Record<string, unknown>, seed: number): Promise<Encoder> => {
    const { type: _type, ...fields } = registration.schema.parse({
      ...config,
      type: input.encoderId,
    }) as Record<string, unknown>;
    return registration.registration.create(fields, {
      tf,
      random: new SeededRandom(seed),
      container,
    });
  };
  const sentences = [...(input.sentences ?? syntheticTaggedSentences(12, 8))];
  const encoder = await build(input.config, 1);
  const { layers, heads, hiddenSize } = encoder.shape;
  const tokens = await encoder.tokenize(sentences.map((s) => s.words));

  sentences.forEach((sentence, b) => {
    const ids = tokens.subwordIds[b] ?? [];
    const spans = tokens.wordSpans[b] ?? [];
    if (tokens.wordCounts[b] !== sentence.words.length || spans.length !== sentence.words.length) {
      problems.push(
        `tokenize: sentence ${b} has ${sentence.words.length} words but ${spans.length} spans / wordCount ${tokens.wordCounts[b]}`,
      );
    }
    spans.forEach(([first, last], w) => {
      const previous = spans[w - 1];
      if (
        first < 1 ||
        last > ids.length - 2 ||
        first > last ||
        (previous && first <= previous[1])
      ) {
        problems.push(
          `tokenize: word ${w} of sentence ${b} has span [${first}, ${last}] outside the sub-words between [CLS] and [SEP] (or overlapping)`,
        );
      }
    });
  });

  const evaluate = (
    model: Encoder,
    options: Parameters<Encoder['encode']>[1] = { training: false },
  ): EncoderOutput => model.encode(tokens, options);
  const before = tf.memory().numTensors;
  const outputs = evaluate(encoder, {
    training: false,
    returnAttention: true,
    returnHeadContexts: true,
  });
  const outputTensors = Object.values(outputs).flat() as Tensor[];
  if (tf.memory().numTensors !== before + outputTensors.length) {
    problems.push(
      `encode() leaves ${tf.memory().numTensors - before - outputTensors.length} tensors alive besides its outputs`,
    );
  }
  const maxWords = Math.max(...sentences.map((s) => s.words.length));
  expectShape(problems, 'wordVectors', outputs.wordVectors.shape, [
    sentences.length,
    maxWords,
    hiddenSize,
  ]);
  expectShape(problems, 'wordMask', outputs.wordMask.shape, [sentences.length, maxWords]);
  expectShape(problems, 'rootVector', outputs.rootVector.shape, [sentences.length, hiddenSize]);
  expectShape(problems, 'eosVector', outputs.eosVector.shape, [sentences.length, hiddenSize]);
  const maskSums = outputs.wordMask.sum(1).arraySync() as number[];
  if (maskSums.some((sum, b) => sum !== sentences[b]?.words.length))
    problems.push(`wordMask does not mark exactly the real words: ${maskSums.join(', ')}`);
  if (outputs.attention?.length !== layers)
    problems.push(
      `returnAttention gave ${outputs.attention?.length ?? 0} layers, expected ${layers}`,
    );
  if (outputs.headContexts?.length !== layers)
    problems.push(
      `returnHeadContexts gave ${outputs.headContexts?.length ?? 0} layers, expected ${layers}`,
    );
  problems.push(...attentionProblems(outputs.attention ?? [], tokens.subwordIds, heads));
  problems.push(...headContextProblems(outputs.headContexts ?? [], tokens.subwordIds, heads));
  const gated = tf.tidy(() => {
    const open = evaluate(encoder, { training: false, headGates: tf.ones([layers, heads]) });
    return open.wordVectors.sub(outputs.wordVectors).abs().max().dataSync()[0] as number;
  });
  if (gated > 1e-5) problems.push(`all-open head gates change the word vectors by ${gated}`);
  problems.push(...closedGateProblems(tf, encoder, evaluate, outputs));
  tf.dispose(outputTensors);

  const head = new ToyTagger(tf, hiddenSize, ToyTagger.tagsOf(sentences), new SeededRandom(2));
  const variables = [...encoder.trainableVariables(), ...head.trainableVariables()];
  const lossNow = (): number => {
    const value = tf.tidy(() => head.loss(evaluate(encoder), sentences));
    const loss = value.dataSync()[0] as number;
    value.dispose();
    return loss;
  };
  const initialLoss = lossNow();
  const optimizer = tf.train.adam(0.01);
  const steps = input.steps ?? 8;
  let midway = 0;
  for (let step = 0; step < steps; step++) {
    if (step === Math.floor(steps / 2)) midway = tf.memory().numTensors;
    const random = new SeededRandom(100 + step);
    optimizer.minimize(
      () => head.loss(encoder.encode(tokens, { training: true, random }), sentences, { random }),
      false,
      variables,
    );
  }
  if (tf.memory().numTensors !== midway)
    problems.push(
      `tensor count grew from ${midway} to ${tf.memory().numTensors} during training steps`,
    );
  const finalLoss = lossNow();
  if (!(finalLoss < initialLoss))
    problems.push(
      `a tagger on top did not learn in ${steps} steps (${initialLoss} -> ${finalLoss})`,
    );

  const directory = await mkdtemp(join(tmpdir(), 'stem-encoder-check-'));
  let reloadDifference = Infinity;
  try {
    await encoder.save(directory);
    const reloaded = await build(input.reloadConfig(directory), 77);
    reloadDifference = tf.tidy(
      () =>
        evaluate(reloaded)
          .wordVectors.sub(evaluate(encoder).wordVectors)
          .abs()
          .max()
          .dataSync()[0] as number,
    );
    if (!(reloadDifference < 1e-5))
      problems.push(`an encoder reloaded from save() differs by ${reloadDifference}`);
    reloaded.loadWeights(encoder.weights());
    reloaded.dispose();
  } catch (error) {
    problems.push(`save / reload failed: ${(error as Error).message}`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  head.dispose();
  encoder.dispose();
  if (problems.length > 0) throw new ConformanceError(input.encoderId, problems);
  return { initialLoss, finalLoss, reloadDifference };
}

/**
 * Closing the gate of one head (the last head of the last layer, and the first head of the
 * first layer) must change the word vectors, and must leave alone every head context that
 * does not depend on that head: all heads of earlier layers and the other heads of its own
 * layer (contexts are attention x V, computed before the gate acts). An encoder that ignores
 * `headGates` fails the first part; one that gates the wrong layer the second. Gating another
 * head of the same layer is not visible from outside (its contexts are taken before the gate),
 * so that mistake is left to the encoder's own tests.
 */
function closedGateProblems(
  tf: TensorFlow,
  encoder: Encoder,
  evaluate: (model: Encoder, options?: Parameters<Encoder['encode']>[1]) => EncoderOutput,
  open: EncoderOutput,
): string[] {
  const { layers, heads } = encoder.shape;
  const problems: string[] = [];
  const targets = [[layers - 1, heads - 1]];
  if (layers > 1 || heads > 1) targets.push([0, 0]);
  for (const [layer, head] of targets as Array<[number, number]>) {
    const where = `layer ${layer + 1}, head ${head + 1}`;
    const differences = tf.tidy(() => {
      const gates = tf.buffer([layers, heads], 'float32');
      for (let l = 0; l < layers; l++) for (let h = 0; h < heads; h++) gates.set(1, l, h);
      gates.set(0, layer, head);
      const closed = evaluate(encoder, {
        training: false,
        headGates: gates.toTensor() as Tensor2D,
        returnHeadContexts: true,
      });
      const maxDifference = (a: Tensor, b: Tensor) => a.sub(b).abs().max().dataSync()[0] as number;
      const contexts: Array<{ layer: number; head: number; difference: number }> = [];
      for (let l = 0; l <= layer; l++) {
        const before = open.headContexts?.[l];
        const after = closed.headContexts?.[l];
        if (!before || !after) continue;
        for (let h = 0; h < heads; h++) {
          if (l === layer && h === head) continue;
          const slice = (t: Tensor) => t.slice([0, h, 0, 0], [-1, 1, -1, -1]);
          contexts.push({
            layer: l,
            head: h,
            difference: maxDifference(slice(before), slice(after)),
          });
        }
      }
      return { words: maxDifference(closed.wordVectors, open.wordVectors), contexts };
    });
    if (!(differences.words > 1e-6))
      problems.push(
        `closing the gate of ${where} leaves the word vectors unchanged: the encoder ignores headGates (multiply each head's context by its gate before the output projection)`,
      );
    for (const context of differences.contexts)
      if (context.difference > 1e-5)
        problems.push(
          `closing the gate of ${where} changes the context of layer ${context.layer + 1}, head ${context.head + 1} by ${context.difference}: a gate must act on its own head only`,
        );
  }
  return problems;
}

/**
 * Every layer's attention is [batch, heads, subwords, subwords] (the longest sentence's
 * sub-words), and for every sentence, layer, head and real query, the row is a distribution
 * over the sentence's real keys: it sums to 1 there, so padding gets no attention.
 */
function attentionProblems(
  attention: readonly Tensor[],
  subwordIds: readonly (readonly number[])[],
  heads: number,
): string[] {
  const problems: string[] = [];
  const lengths = subwordIds.map((ids) => ids.length);
  const longest = Math.max(...lengths);
  attention.forEach((layer, l) => {
    const expected = [lengths.length, heads, longest, longest];
    if (layer.shape.join('x') !== expected.join('x')) {
      problems.push(
        `attention of layer ${l + 1} has shape [${layer.shape.join(', ')}], expected [${expected.join(', ')}] (batch, heads, sub-words, sub-words)`,
      );
      return;
    }
    const values = layer.arraySync() as number[][][][];
    let bad = 0;
    let first = '';
    lengths.forEach((length, b) => {
      for (let h = 0; h < heads; h++)
        for (let q = 0; q < length; q++) {
          const row = values[b]?.[h]?.[q] ?? [];
          let sum = 0;
          for (let k = 0; k < length; k++) sum += row[k] as number;
          if (!(Math.abs(sum - 1) <= 1e-4)) {
            bad++;
            first ||= `layer ${l + 1}, head ${h + 1}, sentence ${b + 1}, query ${q} (sum ${sum})`;
          }
        }
    });
    if (bad > 0)
      problems.push(
        `${bad} attention rows of real queries do not sum to 1 over the sentence's real sub-words (padding must get no attention); first: ${first}`,
      );
  });
  return problems;
}

/** Every layer's head contexts are [batch, heads, subwords, headSize], one head size throughout. */
function headContextProblems(
  contexts: readonly Tensor[],
  subwordIds: readonly (readonly number[])[],
  heads: number,
): string[] {
  const problems: string[] = [];
  const longest = Math.max(...subwordIds.map((ids) => ids.length));
  const sizes = new Set<number>();
  contexts.forEach((layer, l) => {
    const [batch, layerHeads, length, size] = layer.shape;
    if (
      layer.rank !== 4 ||
      batch !== subwordIds.length ||
      layerHeads !== heads ||
      length !== longest ||
      !((size as number) > 0)
    )
      problems.push(
        `head contexts of layer ${l + 1} have shape [${layer.shape.join(', ')}], expected [${subwordIds.length}, ${heads}, ${longest}, head size]`,
      );
    else sizes.add(size as number);
  });
  if (sizes.size > 1)
    problems.push(
      `head contexts have different head sizes across layers: ${[...sizes].join(', ')}`,
    );
  return problems;
}

function expectShape(
  problems: string[],
  name: string,
  actual: readonly number[],
  expected: readonly number[],
): void {
  if (actual.join('x') !== expected.join('x'))
    problems.push(`${name} has shape [${actual.join(', ')}], expected [${expected.join(', ')}]`);
}

async function pureJs(): Promise<TensorFlow> {
  await tfjs.setBackend('cpu');
  return tfjs;
}
