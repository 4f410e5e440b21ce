/** Architecture of a BERT-family encoder: the subset of a Hugging Face config.json stem uses. */
export type Arch = 'bert' | 'roberta' | 'electra';
export const ARCHES: readonly Arch[] = ['bert', 'roberta', 'electra'];

export interface Architecture {
  arch: Arch;
  vocabSize: number;
  hiddenSize: number;
  /** ELECTRA may embed in a smaller size and project up (embeddings_project). */
  embeddingSize: number;
  layers: number;
  heads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  padTokenId: number;
  hiddenDropout: number;
  attentionDropout: number;
}

/** RoBERTa numbers positions from padding_idx + 1; the first usable row is this offset. */
export function positionOffset(a: Architecture): number {
  return a.arch === 'roberta' ? a.padTokenId + 1 : 0;
}

/** Longest sub-word sequence (specials included) one window can hold. */
export function maxSequenceLength(a: Architecture): number {
  return a.maxPositions - positionOffset(a);
}

export function headSize(a: Architecture): number {
  return a.hiddenSize / a.heads;
}

const MODEL_CLASS: Record<Arch, string> = {
  bert: 'BertModel',
  roberta: 'RobertaModel',
  electra: 'ElectraModel',
};

/** Reads a Hugging Face config.json object. */
export function architectureFromHf(
  config: Record<string, unknown>,
  where = 'config.json',
): Architecture {
  const num = (key: string, fallback?: number): number => {
    const value = config[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`${where}: missing numeric field "${key}"`);
  };
  const type = String(config['model_type'] ?? '').toLowerCase();
  if (type !== 'bert' && type !== 'roberta' && type !== 'electra') {
    throw new Error(`${where}: model_type "${type}" is not supported (bert, roberta, electra)`);
  }
  const act = String(config['hidden_act'] ?? 'gelu');
  if (act !== 'gelu') throw new Error(`${where}: hidden_act "${act}" is not supported (gelu)`);
  const hiddenSize = num('hidden_size');
  const heads = num('num_attention_heads');
  if (hiddenSize % heads !== 0)
    throw new Error(
      `${where}: hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`,
    );
  return {
    arch: type,
    vocabSize: num('vocab_size'),
    hiddenSize,
    embeddingSize: type === 'electra' ? num('embedding_size', hiddenSize) : hiddenSize,
    layers: num('num_hidden_layers'),
    heads,
    intermediateSize: num('intermediate_size'),
    maxPositions: num('max_position_embeddings'),
    typeVocabSize: num('type_vocab_size', type === 'roberta' ? 1 : 2),
    layerNormEps: num('layer_norm_eps', type === 'roberta' ? 1e-5 : 1e-12),
    padTokenId: num('pad_token_id', type === 'roberta' ? 1 : 0),
    hiddenDropout: num('hidden_dropout_prob', 0.1),
    attentionDropout: num('attention_probs_dropout_prob', 0.1),
  };
}

/** Writes a Hugging Face config.json object; `extra` keeps fields stem does not model, the architecture wins. */
export function architectureToHf(
  a: Architecture,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    ...extra,
    architectures: [MODEL_CLASS[a.arch]],
    model_type: a.arch,
    vocab_size: a.vocabSize,
    hidden_size: a.hiddenSize,
    num_hidden_layers: a.layers,
    num_attention_heads: a.heads,
    intermediate_size: a.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: a.hiddenDropout,
    attention_probs_dropout_prob: a.attentionDropout,
    max_position_embeddings: a.maxPositions,
    type_vocab_size: a.typeVocabSize,
    layer_norm_eps: a.layerNormEps,
    pad_token_id: a.padTokenId,
  };
  if (a.arch === 'electra') config['embedding_size'] = a.embeddingSize;
  return config;
}

/** Tensor names (HF, without model prefix) and PyTorch shapes this architecture has. */
export function expectedTensors(a: Architecture): Map<string, number[]> {
  const t = new Map<string, number[]>();
  const e = a.embeddingSize;
  const h = a.hiddenSize;
  t.set('embeddings.word_embeddings.weight', [a.vocabSize, e]);
  t.set('embeddings.position_embeddings.weight', [a.maxPositions, e]);
  t.set('embeddings.token_type_embeddings.weight', [a.typeVocabSize, e]);
  t.set('embeddings.LayerNorm.weight', [e]);
  t.set('embeddings.LayerNorm.bias', [e]);
  if (e !== h) {
    t.set('embeddings_project.weight', [h, e]);
    t.set('embeddings_project.bias', [h]);
  }
  for (let l = 0; l < a.layers; l++) {
    const p = `encoder.layer.${l}.`;
    for (const name of [
      'attention.self.query',
      'attention.self.key',
      'attention.self.value',
      'attention.output.dense',
    ]) {
      t.set(`${p}${name}.weight`, [h, h]);
      t.set(`${p}${name}.bias`, [h]);
    }
    t.set(`${p}attention.output.LayerNorm.weight`, [h]);
    t.set(`${p}attention.output.LayerNorm.bias`, [h]);
    t.set(`${p}intermediate.dense.weight`, [a.intermediateSize, h]);
    t.set(`${p}intermediate.dense.bias`, [a.intermediateSize]);
    t.set(`${p}output.dense.weight`, [h, a.intermediateSize]);
    t.set(`${p}output.dense.bias`, [h]);
    t.set(`${p}output.LayerNorm.weight`, [h]);
    t.set(`${p}output.LayerNorm.bias`, [h]);
  }
  return t;
}

/** Linear weights are stored [in, out] in stem (PyTorch keeps [out, in]). */
export function isLinearWeight(name: string): boolean {
  return name.endsWith('.weight') && !name.startsWith('embeddings.') && !name.includes('LayerNorm');
}

export function parameterCount(a: Architecture): number {
  let n = 0;
  for (const shape of expectedTensors(a).values()) n += shape.reduce((x, y) => x * y, 1);
  return n;
}
