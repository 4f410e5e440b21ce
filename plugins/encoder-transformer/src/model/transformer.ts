import type { Tensor, Tensor2D, Tensor3D, Tensor4D, TensorFlow } from '@stem/core';
import { type Architecture, headSize, positionOffset } from './architecture.js';
import { dropout, gelu, layerNorm, linear } from './ops.js';
import type { ParameterStore } from './parameters.js';

/** Sub-word input of one forward pass: rows padded to one length. */
export interface SubwordInput {
  /** [rows][length] token ids, padded with the pad id. */
  ids: number[][];
  /** [rows][length] 1 for real tokens, 0 for padding. */
  mask: number[][];
}

export interface ForwardOptions {
  /** A seed source turns dropout on (training); absent means evaluation. */
  dropoutSeed?: () => number;
  /** [layers, heads] multipliers of each head's context vector. */
  headGates?: Tensor2D;
  returnAttention?: boolean;
  returnHeadContexts?: boolean;
}

export interface ForwardOutput {
  /** [rows, length, hidden] last-layer states. */
  hidden: Tensor3D;
  /** Per layer [rows, heads, length, length]. */
  attention?: Tensor4D[];
  /** Per layer [rows, heads, length, headSize]. */
  headContexts?: Tensor4D[];
}

/**
 * The BERT-family forward pass (post-LayerNorm, GELU), written so the wasm backend stays on
 * its fast path: every dense product is one rank-2 matMul over all rows of the batch, the
 * three attention projections are fused into one product, and the batched attention products
 * are issued without transpose flags (the key is transposed explicitly).
 */
export function forwardTransformer(
  tf: TensorFlow,
  a: Architecture,
  params: ParameterStore,
  input: SubwordInput,
  options: ForwardOptions = {},
): ForwardOutput {
  const rows = input.ids.length;
  const length = input.ids[0]?.length ?? 0;
  const h = a.hiddenSize;
  const heads = a.heads;
  const d = headSize(a);
  const p = (name: string): Tensor => params.get(name);
  const seed = options.dropoutSeed;

  // Embeddings over the flattened [rows * length] tokens.
  const flatIds = tf.tensor1d(input.ids.flat(), 'int32');
  const positions = tf.tensor1d(positionIds(a, input), 'int32');
  let x: Tensor2D = tf.add(
    tf.add(
      tf.gather(p('embeddings.word_embeddings.weight'), flatIds),
      tf.gather(p('embeddings.position_embeddings.weight'), positions),
    ),
    tf.slice(p('embeddings.token_type_embeddings.weight'), [0, 0], [1, a.embeddingSize]),
  ) as Tensor2D;
  x = layerNorm(
    tf,
    x,
    p('embeddings.LayerNorm.weight'),
    p('embeddings.LayerNorm.bias'),
    a.layerNormEps,
  ) as Tensor2D;
  x = dropout(tf, x, a.hiddenDropout, seed);
  if (a.embeddingSize !== h)
    x = linear(tf, x, p('embeddings_project.weight'), p('embeddings_project.bias'));

  // Additive mask [rows, 1, 1, length]: padded keys get a large negative score.
  const maskBias = tf.reshape(
    tf.mul(tf.sub(1, tf.tensor2d(input.mask, [rows, length], 'float32')), -1e9),
    [rows, 1, 1, length],
  );
  const scale = 1 / Math.sqrt(d);
  const attention: Tensor4D[] = [];
  const headContexts: Tensor4D[] = [];

  for (let l = 0; l < a.layers; l++) {
    const n = `encoder.layer.${l}.`;
    // One rank-2 product per projection, then a rank-4 (0,2,1,3) transpose, a fast wasm kernel.
    const project = (name: string): Tensor4D =>
      tf.transpose(
        tf.reshape(
          linear(
            tf,
            x,
            p(`${n}attention.self.${name}.weight`),
            p(`${n}attention.self.${name}.bias`),
          ),
          [rows, length, heads, d],
        ),
        [0, 2, 1, 3],
      );
    const [q, k, v] = [project('query'), project('key'), project('value')];
    const group = rows * heads;
    const keysT = tf.transpose(tf.reshape(k, [group, length, d]), [0, 2, 1]) as Tensor3D;
    const scores = tf.reshape(
      tf.matMul(tf.reshape(tf.mul(q, scale), [group, length, d]) as Tensor3D, keysT),
      [rows, heads, length, length],
    );
    const probs = tf.softmax(tf.add(scores, maskBias)) as Tensor4D;
    if (options.returnAttention) attention.push(probs);
    const attended = dropout(tf, probs, a.attentionDropout, seed);
    let context = tf.reshape(
      tf.matMul(
        tf.reshape(attended, [group, length, length]) as Tensor3D,
        tf.reshape(v, [group, length, d]) as Tensor3D,
      ),
      [rows, heads, length, d],
    ) as Tensor4D;
    if (options.returnHeadContexts) headContexts.push(context);
    if (options.headGates) {
      const gate = tf.reshape(tf.slice(options.headGates, [l, 0], [1, heads]), [1, heads, 1, 1]);
      context = tf.mul(context, gate);
    }
    const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [rows * length, h]) as Tensor2D;
    const attentionOut = dropout(
      tf,
      linear(
        tf,
        merged,
        p(`${n}attention.output.dense.weight`),
        p(`${n}attention.output.dense.bias`),
      ),
      a.hiddenDropout,
      seed,
    );
    x = layerNorm(
      tf,
      tf.add(attentionOut, x),
      p(`${n}attention.output.LayerNorm.weight`),
      p(`${n}attention.output.LayerNorm.bias`),
      a.layerNormEps,
    ) as Tensor2D;
    const inner = gelu(
      tf,
      linear(tf, x, p(`${n}intermediate.dense.weight`), p(`${n}intermediate.dense.bias`)),
    ) as Tensor2D;
    const ffnOut = dropout(
      tf,
      linear(tf, inner, p(`${n}output.dense.weight`), p(`${n}output.dense.bias`)),
      a.hiddenDropout,
      seed,
    );
    x = layerNorm(
      tf,
      tf.add(ffnOut, x),
      p(`${n}output.LayerNorm.weight`),
      p(`${n}output.LayerNorm.bias`),
      a.layerNormEps,
    ) as Tensor2D;
  }
  const out: ForwardOutput = { hidden: tf.reshape(x, [rows, length, h]) as Tensor3D };
  if (options.returnAttention) out.attention = attention;
  if (options.returnHeadContexts) out.headContexts = headContexts;
  return out;
}

/** BERT numbers positions 0..n-1; RoBERTa counts real tokens from padding_idx + 1 and gives pads padding_idx. */
function positionIds(a: Architecture, input: SubwordInput): number[] {
  const offset = positionOffset(a);
  const out: number[] = [];
  for (let r = 0; r < input.ids.length; r++) {
    const mask = input.mask[r] as number[];
    let count = 0;
    for (let t = 0; t < mask.length; t++) {
      if (a.arch === 'roberta') {
        if (mask[t]) out.push(offset + count++);
        else out.push(a.padTokenId);
      } else out.push(t);
    }
  }
  return out;
}
