import {
  ATTENTION_PROBE_ID,
  ATTENTION_TASKS,
  CENTROID_PROBE_ID,
  type ProbeResult,
} from '@stem/analyzer-probe';
import { SeededRandom, type Encoder, type Sentence, type Split } from '@stem/core';
import type { StudySession } from './study-session.js';

export interface ProbeOptions {
  task: string;
  /** The split scored. */
  split: Split;
  /** Centroid probes: the split the centroids are fitted on (default: the scored one). */
  fit?: Split | undefined;
  /** Sentences per encoder batch. */
  batchSentences: number;
}

/** Whether a task is probed by attention (DEP, SRL) rather than by centroids (POS, NER, CON). */
export function isAttentionTask(task: string): boolean {
  return (ATTENTION_TASKS as readonly string[]).includes(task);
}

/**
 * Runs the registered probe of a task over every head of an encoder (nothing is trained):
 * `sentences` holds the scored split and, for a centroid probe fitted elsewhere, the fit split.
 */
export async function probeEncoder(
  session: StudySession,
  encoder: Encoder,
  sentences: Map<string, Sentence[]>,
  options: ProbeOptions,
  progress: (message: string) => void,
): Promise<ProbeResult> {
  const id = isAttentionTask(options.task) ? ATTENTION_PROBE_ID : CENTROID_PROBE_ID;
  const component = session.registry.require('analyzer', id);
  const parsed = component.schema.parse({
    type: id,
    task: options.task,
    split: options.split,
    maxSentences: options.batchSentences,
    ...(options.fit ? { fit: options.fit } : {}),
  });
  const { type: _type, ...fields } = parsed as { type: string };
  const analyzer = await component.registration.create(fields, {
    tf: session.tf,
    random: new SeededRandom(0),
    container: session.container,
  });
  return (await analyzer.analyze({
    encoder,
    heads: new Map(),
    sentences,
    outputDirectory: '',
    progress,
  })) as ProbeResult;
}
