import type { OverlapResult } from '@stem/analyzer-pruning';
import { readJsonFile, StemError } from '@stem/core';

/** Which heads of a pruning overlap form the compared set. */
export type HeadSetRule = { kind: 'stem-cells' } | { kind: 'min-tasks'; tasks: number };

export interface OverlapHeadSet {
  /** [layer][head]: in the set. */
  inSet: boolean[][];
  description: string;
}

const HINT = 'pass the overlap.json that stem analyze overlap wrote (its -o folder)';

/**
 * The head set from an `overlap.json` of `stem analyze overlap`: its stem cells (heads
 * claimed by every task compared) or the heads claimed by at least `tasks` tasks.
 */
export async function readOverlapHeadSet(file: string, rule: HeadSetRule): Promise<OverlapHeadSet> {
  const overlap = await readJsonFile<Partial<OverlapResult>>(file, HINT);
  const { layers, heads, claimedByTasks, stemCells } = overlap ?? {};
  const shaped =
    Number.isInteger(layers) &&
    Number.isInteger(heads) &&
    Array.isArray(claimedByTasks) &&
    claimedByTasks.length === layers &&
    claimedByTasks.every((row) => Array.isArray(row) && row.length === heads) &&
    Array.isArray(stemCells);
  if (!shaped)
    throw new StemError(
      `${file}: not a pruning overlap (expected "layers", "heads", "claimedByTasks" [layers][heads] and "stemCells")`,
      HINT,
      'INPUT_INVALID',
    );
  const taskCount = Array.isArray(overlap.tasks) ? overlap.tasks.length : undefined;
  if (rule.kind === 'min-tasks') {
    if (taskCount !== undefined && rule.tasks > taskCount)
      throw new StemError(
        `--min-tasks ${rule.tasks}: ${file} compares only ${taskCount} tasks`,
        `give --min-tasks between 1 and ${taskCount}`,
        'USAGE',
      );
    return {
      inSet: claimedByTasks.map((row) => row.map((count) => count >= rule.tasks)),
      description: `heads claimed by at least ${rule.tasks} task(s)`,
    };
  }
  const inSet = claimedByTasks.map((row) => row.map(() => false));
  for (const cell of stemCells) {
    const row = inSet[cell.layer];
    if (!row || cell.head < 0 || cell.head >= row.length)
      throw new StemError(
        `${file}: stem cell ${cell.layer}.${cell.head} lies outside the ${layers} x ${heads} heads`,
        HINT,
        'INPUT_INVALID',
      );
    row[cell.head] = true;
  }
  return { inSet, description: 'stem cells (heads claimed by every task)' };
}
