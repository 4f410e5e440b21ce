import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisInput, Analyzer, Sentence, TensorFlow } from '@stem/core';
import type { AttentionProbeConfig, CentroidProbeConfig } from './probe-config.js';
import { runAttentionProbe } from './probes/attention-probe.js';
import { runCentroidProbe } from './probes/centroid-probe.js';
import type { ProbeResult } from './probes/probe-result.js';

/** The file a probe writes into the analysis directory. */
export function probeResultFile(task: string): string {
  return `probe-${task}.json`;
}

/**
 * The registered analyzer behind both probes. `input.sentences` is keyed by split name
 * (`test`, and `train` for `fit: train`); task heads are not used: probes need only the
 * annotation layers. Writes `probe-<task>.json` into `input.outputDirectory`.
 */
export class ProbeAnalyzer implements Analyzer<ProbeResult> {
  constructor(
    private readonly tf: TensorFlow,
    private readonly config:
      | ({ probe: 'attention' } & AttentionProbeConfig)
      | ({ probe: 'centroid' } & CentroidProbeConfig),
  ) {}

  async analyze(input: AnalysisInput): Promise<ProbeResult> {
    const config = this.config;
    const limits = { maxSentences: config.maxSentences, maxSubwords: config.maxSubwords };
    const progress = input.progress;
    const result =
      config.probe === 'attention'
        ? await runAttentionProbe(this.tf, input.encoder, {
            task: config.task,
            split: config.split,
            sentences: splitOf(input, config.split, config.source),
            limits,
            ...(progress ? { progress } : {}),
          })
        : await runCentroidProbe(this.tf, input.encoder, {
            task: config.task,
            split: config.split,
            sentences: splitOf(input, config.split, config.source),
            ...(config.fit && config.fit !== config.split
              ? {
                  fit: {
                    split: config.fit,
                    sentences: splitOf(input, config.fit, config.source),
                  },
                }
              : {}),
            limits,
            ...(progress ? { progress } : {}),
          });
    if (input.outputDirectory) {
      await mkdir(input.outputDirectory, { recursive: true });
      const file = join(input.outputDirectory, probeResultFile(config.task));
      // Temp file then rename: a reader never sees half a result.
      await writeFile(`${file}.tmp`, `${JSON.stringify(result, null, 1)}\n`);
      await rename(`${file}.tmp`, file);
    }
    return result;
  }
}

/**
 * The sentences of a split: key `<source>/<split>` when a source task is named, else the key
 * `<split>` (stem probe), else the one `<task>/<split>` key there is (a run's analyzers).
 */
export function splitOf(
  input: Pick<AnalysisInput, 'sentences'>,
  split: string,
  source?: string,
): readonly Sentence[] {
  const keys = [...input.sentences.keys()];
  const key = source
    ? `${source}/${split}`
    : input.sentences.has(split)
      ? split
      : (() => {
          const candidates = keys.filter((k) => k.endsWith(`/${split}`));
          if (candidates.length > 1)
            throw new Error(
              `several tasks have a ${split} split (${candidates.join(', ')}): name one with the probe's \`source\` field`,
            );
          return candidates[0] ?? split;
        })();
  const sentences = input.sentences.get(key);
  if (!sentences)
    throw new Error(
      `the probe needs ${key}, but it was given only: ${keys.join(', ') || 'nothing'}`,
    );
  return sentences;
}
