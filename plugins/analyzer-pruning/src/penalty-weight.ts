/**
 * Lambda of the L0 penalty per task family (He & Choi 2021, pruning set-up), keyed by the first name
 * segment of the task's registered id (`stem.task.pos.softmax.v1` -> `pos`). The paper's
 * encoder-specific values (DEP with DeBERTa 0.02, SRL with BERT 0.001) need `lambda` set.
 */
export const PAPER_LAMBDA: Readonly<Record<string, number>> = {
  pos: 0.01,
  ner: 0.0002,
  dep: 0.01,
  con: 0.01,
  srl: 0.002,
};
/** MTL: one gate set shared by every task. */
export const SHARED_GATES_LAMBDA = 0.001;
/** A task the paper did not prune (e.g. a third-party task). */
export const FALLBACK_LAMBDA = 0.01;

export interface PenaltyWeight {
  lambda: number;
  source: 'config' | 'paper' | 'paper-mtl' | 'fallback';
}

export function penaltyWeight(
  configured: number | undefined,
  tasks: ReadonlyArray<{ type: string }>,
): PenaltyWeight {
  if (configured !== undefined) return { lambda: configured, source: 'config' };
  if (tasks.length > 1) return { lambda: SHARED_GATES_LAMBDA, source: 'paper-mtl' };
  // Ids are <namespace>.task.<name>...v<N>; core is not imported at run time (plugin rule).
  const family = (tasks[0]?.type ?? '').split('.')[2] ?? '';
  const lambda = PAPER_LAMBDA[family];
  return lambda === undefined
    ? { lambda: FALLBACK_LAMBDA, source: 'fallback' }
    : { lambda, source: 'paper' };
}

/**
 * The paper's pruning budget in epochs per task family: POS, DEP and CON 30, NER and SRL 100
 * (He & Choi 2021). A pruning run trains until every gate is decided or this many epochs;
 * with several tasks (MTL-DP) the longest of theirs; a task the paper did not prune: 30.
 */
export const PAPER_PRUNING_EPOCHS: Readonly<Record<string, number>> = {
  pos: 30,
  ner: 100,
  dep: 30,
  con: 30,
  srl: 100,
};
export const FALLBACK_PRUNING_EPOCHS = 30;

/** The paper's maximum pruning epochs for a run's tasks (registered `type` ids). */
export function pruningEpochs(tasks: ReadonlyArray<{ type: string }>): number {
  return Math.max(
    ...tasks.map(
      (t) => PAPER_PRUNING_EPOCHS[t.type.split('.')[2] ?? ''] ?? FALLBACK_PRUNING_EPOCHS,
    ),
  );
}
