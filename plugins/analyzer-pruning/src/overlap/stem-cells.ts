/**
 * The one definition of a stem-cell head (He & Choi 2021, "The Stem Cell Hypothesis": heads
 * that every task's pruning keeps). overlap.json, the sharing test, the report and the README
 * all count stem cells through these functions and quote `STEM_CELL_DEFINITION` verbatim.
 */
export const STEM_CELL_DEFINITION =
  'A task claims a head when it keeps it (evaluation gate > 1e-3) in at least half of its pruning runs; a stem cell is a head claimed by every task compared.';

/** Per task (in order of first appearance) and head, whether the task claims it. */
export interface TaskClaims {
  tasks: string[];
  /** [task][layer][head]. */
  claimed: boolean[][][];
}

/**
 * Groups runs by task and marks a head claimed when the task keeps it in at least half of its
 * runs (2 of 3, 1 of 2, 2 of 4). Every run must have the same [layers][heads] shape.
 */
export function claimsByTask(runs: ReadonlyArray<{ task: string; kept: boolean[][] }>): TaskClaims {
  const keptCounts = new Map<string, { runs: number; counts: number[][] }>();
  const layers = runs[0]?.kept.length ?? 0;
  const heads = runs[0]?.kept[0]?.length ?? 0;
  for (const run of runs) {
    if (run.kept.length !== layers || run.kept.some((row) => row.length !== heads))
      throw new Error(
        `claimsByTask: a ${run.task} run is ${run.kept.length} x ${run.kept[0]?.length ?? 0}, the first is ${layers} x ${heads}`,
      );
    let entry = keptCounts.get(run.task);
    if (!entry) {
      entry = { runs: 0, counts: run.kept.map((row) => row.map(() => 0)) };
      keptCounts.set(run.task, entry);
    }
    entry.runs += 1;
    const counts = entry.counts;
    run.kept.forEach((row, l) =>
      row.forEach((kept, h) => {
        if (kept) (counts[l] as number[])[h] = ((counts[l] as number[])[h] as number) + 1;
      }),
    );
  }
  const tasks = [...keptCounts.keys()];
  // "At least half": 2 * kept >= runs, exact in integers.
  const claimed = tasks.map((task) => {
    const { runs: runCount, counts } = keptCounts.get(task) as { runs: number; counts: number[][] };
    return counts.map((row) => row.map((count) => 2 * count >= runCount));
  });
  return { tasks, claimed };
}

/** [layer][head] number of tasks claiming the head; [] when no task is given. */
export function claimedByTaskCount(
  claimed: readonly (readonly (readonly boolean[])[])[],
): number[][] {
  const first = claimed[0];
  if (!first) return [];
  return first.map((row, l) =>
    row.map((_, h) => claimed.reduce((n, task) => n + (task[l]?.[h] ? 1 : 0), 0)),
  );
}

/** Heads (0-based) claimed by all `taskCount` tasks; none when no task is compared. */
export function stemCellHeads(
  countGrid: readonly (readonly number[])[],
  taskCount: number,
): Array<{ layer: number; head: number }> {
  if (taskCount <= 0) return [];
  const cells: Array<{ layer: number; head: number }> = [];
  countGrid.forEach((row, layer) =>
    row.forEach((count, head) => {
      if (count === taskCount) cells.push({ layer, head });
    }),
  );
  return cells;
}
