import type { TensorFlow, Variable } from '@stem/core';
import { type Architecture, expectedTensors, isLinearWeight } from './architecture.js';
import type { FloatTensor } from '../io/checkpoint.js';

/** Draws N(0, std) numbers from a uniform source (Box-Muller). */
export function normalArray(count: number, std: number, uniform: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u1 = Math.max(uniform(), 1e-12);
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** Transposes a row-major [rows, cols] matrix. */
export function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}

/**
 * The encoder's weights as tf variables, keyed by Hugging Face tensor names (without the
 * model prefix). Linear weights are held [in, out] so the forward pass multiplies without a
 * transpose; checkpoint io converts to and from PyTorch's [out, in].
 */
export class ParameterStore {
  private constructor(
    readonly tf: TensorFlow,
    readonly variables: Map<string, Variable>,
  ) {}

  /** From tensors in PyTorch layout (as stored in model.safetensors), already validated. */
  static fromHf(
    tf: TensorFlow,
    tensors: Map<string, FloatTensor>,
    trainable = true,
  ): ParameterStore {
    const variables = new Map<string, Variable>();
    const prefix = uniquePrefix();
    for (const [name, raw] of tensors) {
      let { data, shape } = raw;
      if (isLinearWeight(name)) {
        const [rows, cols] = shape as [number, number];
        data = transposeMatrix(data, rows, cols);
        shape = [cols, rows];
      }
      const initial = tf.tensor(data, shape, 'float32');
      variables.set(name, tf.variable(initial, trainable, `${prefix}${name}`));
      initial.dispose();
    }
    return new ParameterStore(tf, variables);
  }

  /** HF-style initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm, zero padding row. */
  static random(
    tf: TensorFlow,
    a: Architecture,
    uniform: () => number,
    std = 0.02,
    trainable = true,
  ): ParameterStore {
    const tensors = new Map<string, FloatTensor>();
    for (const [name, shape] of expectedTensors(a)) {
      const count = shape.reduce((x, y) => x * y, 1);
      let data: Float32Array;
      if (name.includes('LayerNorm'))
        data = new Float32Array(count).fill(name.endsWith('.weight') ? 1 : 0);
      else if (name.endsWith('.bias')) data = new Float32Array(count);
      else data = normalArray(count, std, uniform);
      if (name === 'embeddings.word_embeddings.weight' && a.padTokenId < a.vocabSize) {
        data.fill(0, a.padTokenId * a.embeddingSize, (a.padTokenId + 1) * a.embeddingSize);
      }
      tensors.set(name, { shape, data });
    }
    return ParameterStore.fromHf(tf, tensors, trainable);
  }

  get(name: string): Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`encoder parameter "${name}" does not exist`);
    return variable;
  }

  /** PyTorch-layout copies for saving. */
  async toHf(): Promise<Map<string, FloatTensor>> {
    const out = new Map<string, FloatTensor>();
    for (const [name, variable] of this.variables) {
      let data = (await variable.data()) as Float32Array;
      let shape = [...variable.shape];
      if (isLinearWeight(name)) {
        const [rows, cols] = shape as [number, number];
        data = transposeMatrix(data, rows, cols);
        shape = [cols, rows];
      }
      out.set(name, { shape, data: Float32Array.from(data) });
    }
    return out;
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}

// tf variable names must be unique per engine: several encoders may live in one process.
let instances = 0;
function uniquePrefix(): string {
  return `stem_encoder_${instances++}/`;
}
