import type { Sentence } from './annotations.js';

/**
 * How `stem predict` writes a task's predictions: declared by the task's plugin (on its
 * registration), so a third-party task brings its own output format and the CLI holds no
 * per-task switch. A task lists its formats most useful first; the first is the default.
 */
export interface PredictionFormat<TConfig = unknown> {
  /** The `--format` value, e.g. `conllu`, `bio`, `ptb`; lower-case, unique within the task. */
  name: string;
  /** File extension without the dot, used when `stem predict` writes one file per task. */
  extension: string;
  /** One line for `--help`-style listings and error messages. */
  description: string;
  /**
   * Whether `write` edits `context.input` when the input has this format: it keeps every
   * line and column it does not predict byte for byte. Tasks of one run whose chosen formats
   * share a name and all edit their input are written into one file, each editing the
   * previous task's output (POS then DEP into one CoNLL-U).
   */
  editsInput?: boolean;
  /** The whole output text for the sentences, in input order, each carrying the task's predictions. */
  write(sentences: readonly Sentence[], context: PredictionWriteContext<TConfig>): string;
}

/** What a writer knows besides the predicted sentences. */
export interface PredictionWriteContext<TConfig = unknown> {
  /** The task's name in the run's config (`tasks.<name>`), for messages. */
  task: string;
  /** The task's resolved config from the run (what the head was built with, e.g. its tag set). */
  config: TConfig;
  /** The input the sentences were read from, when a writer may keep what it does not predict. */
  input?: PredictionInput;
}

/** The prediction input verbatim. */
export interface PredictionInput {
  /** File name, for error messages. */
  file: string;
  /** Format of `text`, named like a `PredictionFormat` (`conllu`), or `text` for plain sentences. */
  format: string;
  /** The full text, one sentence of it per predicted sentence, in the same order. */
  text: string;
}

/**
 * The format of tasks that declare none: one JSON object per line with the sentence id,
 * words and every annotation layer, so predictions of any task survive.
 */
export const JSON_LINES_PREDICTION_FORMAT: PredictionFormat = {
  name: 'jsonl',
  extension: 'jsonl',
  description:
    'one JSON object per sentence: id, words, annotations (for tasks that declare no format)',
  write: (sentences) =>
    sentences
      .map((s) => JSON.stringify({ id: s.id, words: s.words, annotations: s.annotations }) + '\n')
      .join(''),
};

/** A task registration's formats, or the JSON-lines fallback when it declares none. */
export function predictionFormatsOf(registration: {
  predictionFormats?: readonly PredictionFormat[];
}): readonly PredictionFormat[] {
  const declared = registration.predictionFormats ?? [];
  return declared.length > 0 ? declared : [JSON_LINES_PREDICTION_FORMAT];
}
