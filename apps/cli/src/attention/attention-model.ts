import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { disposeExperiment, loadRun, safetensors } from '@stem/core';
import {
  encoderWordAttention,
  wordAttentionView,
  type AttentionSelection,
  type WordAttentionView,
} from '@stem/encoder-transformer';
import type { StemSession } from '../session/stem-session.js';

/** The words of a typed sentence: split on whitespace, as `stem model attend --text` splits them. */
export function sentenceWords(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/** A model whose word-level attention can be asked for, sentence after sentence. */
export interface AttentionModel {
  kind: 'run' | 'static';
  attend(words: string[], select: AttentionSelection): Promise<WordAttentionView>;
  release(): void;
}

/**
 * The model behind `stem model attend` and `stem view`: a run directory (manifest.json: its
 * best checkpoint's encoder, loaded once) or a Hugging Face model directory (loaded per call,
 * with the checks of `wordAttentionView`).
 */
export async function openAttentionModel(
  session: StemSession,
  location: string,
): Promise<AttentionModel> {
  if (existsSync(join(location, 'manifest.json'))) {
    const { built } = await loadRun({ container: session.container }, location, { splits: [] });
    return {
      kind: 'run',
      attend: (words, select) => encoderWordAttention(session.tf, built.encoder, words, select),
      release: () => disposeExperiment(built),
    };
  }
  return {
    kind: 'static',
    attend: (words, select) =>
      wordAttentionView(session.tf, location, words, { ...select, safetensors }),
    release: () => {},
  };
}
