/** Serialisable balancer state (checkpointed so a resumed run weighs losses the same). */
export type LossBalancerState = Record<string, number[]>;

/**
 * MTL loss balancing (He & Choi 2021, from their public code emorynlp/stem-cell-hypothesis):
 * keep the last `window` losses of each task, MA_t their mean, and scale a task's loss by
 * sum_k MA_k / MA_t, so a task whose loss is small relative to the others is not drowned out.
 * The current loss joins its task's window before the weight is computed; with one task the
 * weight is always 1.
 */
export class MovingAverageLossBalancer {
  private readonly history = new Map<string, number[]>();

  constructor(
    tasks: readonly string[],
    private readonly window = 5,
  ) {
    for (const task of tasks) this.history.set(task, []);
  }

  /** Records `loss` for `task` and returns the weight to multiply it by. */
  observe(task: string, loss: number): number {
    const losses = this.history.get(task);
    if (!losses) throw new Error(`loss balancer: unknown task "${task}"`);
    losses.push(loss);
    if (losses.length > this.window) losses.shift();
    const averages = [...this.history.values()].filter((l) => l.length > 0).map(mean);
    const own = mean(losses);
    if (own <= 0) return 1;
    return averages.reduce((sum, average) => sum + average, 0) / own;
  }

  state(): LossBalancerState {
    return Object.fromEntries([...this.history].map(([task, losses]) => [task, [...losses]]));
  }

  load(state: LossBalancerState): void {
    for (const [task, losses] of Object.entries(state)) {
      if (!this.history.has(task))
        throw new Error(`loss balancer state names unknown task "${task}"`);
      this.history.set(task, losses.slice(-this.window));
    }
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
