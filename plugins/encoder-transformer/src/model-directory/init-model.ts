import { mkdir } from 'node:fs/promises';
import type { SafetensorsCodec, TensorFlow } from '@stem/core';
import { architectureFor, type ArchitectureSpec } from '../create-encoder.js';
import { seededSource } from '../random.js';
import { trainVocabulary, type VocabularyKind } from '../tokenization/train-vocabulary.js';
import { TransformerEncoder } from '../transformer-encoder.js';

export interface InitModelOptions extends ArchitectureSpec {
  /** Text or CoNLL(-U) files the vocabulary is trained on. */
  vocabFrom: string[];
  vocabSize: number;
  /** Default: BPE for RoBERTa, WordPiece otherwise. */
  vocabKind?: VocabularyKind;
  out: string;
  seed: number;
  /** Core's safetensors codec. */
  safetensors: SafetensorsCodec;
}

/** A new model directory: a trained cased vocabulary plus random weights, in the Hugging Face layout. */
export async function initModel(
  tf: TensorFlow,
  options: InitModelOptions,
): Promise<{ directory: string; vocabSize: number; parameters: number }> {
  await mkdir(options.out, { recursive: true });
  const kind = options.vocabKind ?? (options.arch === 'roberta' ? 'bpe' : 'wordpiece');
  const vocabulary = await trainVocabulary({
    kind,
    files: options.vocabFrom,
    vocabSize: options.vocabSize,
    directory: options.out,
  });
  const architecture = architectureFor(options, vocabulary.vocabSize);
  const encoder = await TransformerEncoder.initialise(
    tf,
    architecture,
    options.out,
    seededSource(options.seed),
    { safetensors: options.safetensors },
  );
  try {
    await encoder.save(options.out);
    return {
      directory: options.out,
      vocabSize: vocabulary.vocabSize,
      parameters: encoder.parameterCount(),
    };
  } finally {
    encoder.dispose();
  }
}
