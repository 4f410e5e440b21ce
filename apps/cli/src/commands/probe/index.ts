import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import {
  ATTENTION_TASKS,
  CENTROID_TASKS,
  probeResultFile,
  type ProbeResult,
} from '@stem/analyzer-probe';
import { StemError, writeJsonAtomic, type Split } from '@stem/core';
import { probeEncoder } from '@stem/study';
import { StemCommand } from '../../base-command.js';
import { formatProbeResult } from '../../probe/format-probe.js';
import {
  DEFAULT_CORPUS,
  defaultProbeDirectory,
  openProbeData,
  openProbedModel,
} from '../../probe/probe-sources.js';

const TASKS = [...CENTROID_TASKS, ...ATTENTION_TASKS];

export default class Probe extends StemCommand<typeof Probe> {
  static override summary =
    'Parameter-free probes of every attention head of a model or trained run (nothing is trained).';
  static override description = `Attention probe (dep, srl): sub-word attention pooled to words (mean over the query word's sub-words, sum over the key word's), pi(i) = argmax_j A(i,j); a DEP arc (d, g) is found when pi(d) = g or, when g is a word, pi(g) = d (ROOT = [CLS]: an arc to ROOT only when pi(d) = [CLS]; DEP results also give the accuracy over the arcs whose head is a word), an SRL argument when one of its words points to the predicate or the predicate to one of them. Centroid probe (pos, ner, con): each head's context vector (attention x V, before W_O) averaged over a word's sub-words, over an entity's words, or over a lowest phrase's words; nearest label centroid by cosine. Centroids are fitted on the scored split (as in the paper) unless --fit names another. Default data: ${Object.entries(
    DEFAULT_CORPUS,
  )
    .map(([task, corpus]) => `${task} ${corpus}`)
    .join(', ')}. Batches are streamed: at most one batch's attention is in memory.`;
  static override examples = [
    '<%= config.bin %> probe models/bert-base-cased --task dep --data ud-ewt',
    '<%= config.bin %> probe runs/pos-ewt-20261126-101500-s42 --task pos --json',
    '<%= config.bin %> probe models/tiny --task pos --fit train --out probes/tiny',
  ];
  static override args = {
    model: Args.string({
      required: true,
      description:
        'A Hugging Face model directory (static) or a run directory (its best checkpoint).',
    }),
  };
  static override flags = {
    task: Flags.string({ options: TASKS, required: true, description: 'What to probe.' }),
    data: Flags.string({
      description:
        'Corpus short name or registered id (ud-ewt, stem.dataset.ewt-5.v1), a folder holding the default corpus of the task, or a .conllu file.',
    }),
    'data-path': Flags.string({ description: 'Read the named corpus from this folder.' }),
    split: Flags.string({
      options: ['train', 'dev', 'test'],
      default: 'test',
      description: 'Split to score.',
    }),
    fit: Flags.string({
      options: ['train', 'dev', 'test'],
      description: 'Centroid probes: split to fit the centroids on (default: the scored split).',
    }),
    limit: Flags.integer({ min: 1, description: 'Only the first N sentences of each split read.' }),
    out: Flags.string({
      description:
        'Folder for probe-<task>.json (default: <run>/analyses/probe or probes/<model name>).',
    }),
    'batch-sentences': Flags.integer({
      min: 1,
      default: 16,
      description: 'Sentences per encoder batch.',
    }),
  };

  async run(): Promise<{ file: string; result: ProbeResult }> {
    const { args, flags } = await this.parse(Probe);
    const session = await this.session();
    const task = flags.task;
    const attention = (ATTENTION_TASKS as readonly string[]).includes(task);
    if (attention && flags.fit)
      throw new StemError(
        `--fit applies to centroid probes (${CENTROID_TASKS.join(', ')}), not to ${task}`,
        'drop --fit: the attention probe fits nothing',
        'USAGE',
      );
    const model = await openProbedModel(session, args.model);
    try {
      const data = await openProbeData(session, flags.data, task, flags['data-path']);
      const split = flags.split as Split;
      const fit = flags.fit as Split | undefined;
      const sentences = new Map<string, Awaited<ReturnType<typeof data.read>>>();
      for (const name of new Set([split, ...(fit ? [fit] : [])])) {
        this.progress(`reading ${data.source} ${name}`);
        const all = await data.read(name);
        sentences.set(name, flags.limit ? all.slice(0, flags.limit) : all);
      }
      const result = await probeEncoder(
        session,
        model.encoder,
        sentences,
        { task, split, fit, batchSentences: flags['batch-sentences'] },
        (message) => this.progress(message),
      );
      result.source = { model: args.model, kind: model.kind, dataset: data.source };
      const directory = flags.out ?? defaultProbeDirectory(model);
      const file = join(directory, probeResultFile(task));
      await writeJsonAtomic(file, result);
      this.progress(`wrote ${file}`);
      if (!this.jsonEnabled()) this.log(formatProbeResult(result));
      return { file, result };
    } finally {
      model.release();
    }
  }
}
