import type { TrainingProgress } from '@stem/core';

/** "1h02m", "4m05s", "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Overall study progress on stderr: steps done of total, the current step and an ETA. The
 * ETA is remaining mini-batch steps times the measured wall seconds per step of this process (data
 * loading, evaluation and probes included, so it converges on the real pace); a run not yet
 * started counts the steps its config is estimated to take (`estimatedSteps`).
 */
export class StudyProgress {
  private readonly started: number;
  private updatesDone = 0;
  private currentUpdates = 0;
  private currentPlanned = 0;
  private lastLine = 0;
  /** Steps counted as done, so that a step reported twice (on disk, then skipped) counts once. */
  private readonly doneSteps = new Set<string>();
  private current = '';
  private currentWhat = '';

  constructor(
    private readonly total: number,
    /** Estimated mini-batch steps of every step not finished yet, by step id. */
    private readonly planned: Map<string, number>,
    private readonly write: (line: string) => void,
    /** Runs whose config caps their steps (trainer.maxSteps), which the trainer's progress does not show. */
    private readonly caps: Map<string, number> = new Map(),
    private readonly intervalMs = 20_000,
    private readonly now: () => number = Date.now,
    /** The compute path (`computePath`), shown in every line: "native kernels", "plain wasm". */
    private readonly path?: string,
    /**
     * Where units run at once (`stem study --queue`, `--jobs N`), what the line says instead of
     * an ETA: this process sees one unit's progress at a time, so its pace would overstate the
     * time left by the number of units under way. Undefined: the ETA is printed.
     */
    private readonly unpaced?: string,
  ) {
    this.started = now();
  }

  /** A step already finished on disk (skipped) or finished now. */
  finished(id: string): void {
    if (this.current === id) {
      this.updatesDone += this.currentUpdates;
      this.current = '';
      this.currentUpdates = 0;
      this.currentPlanned = 0;
    }
    this.planned.delete(id);
    this.doneSteps.add(id);
  }

  start(id: string, what: string): void {
    this.current = id;
    this.currentWhat = what;
    this.currentUpdates = 0;
    this.currentPlanned = this.planned.get(id) ?? 0;
    this.write(this.line(what));
    this.lastLine = this.now();
  }

  /** The trainer's progress of the current run: refines its planned updates. */
  training(status: TrainingProgress): void {
    this.currentUpdates = (status.epoch - 1) * status.stepsPerEpoch + status.stepInEpoch;
    this.currentPlanned = Math.min(
      status.epochs * status.stepsPerEpoch,
      this.caps.get(this.current) ?? Infinity,
    );
    if (this.now() - this.lastLine >= this.intervalMs) {
      this.write(this.line(this.currentWhat));
      this.lastLine = this.now();
    }
  }

  /** Seconds left, or undefined before anything was measured. */
  eta(): number | undefined {
    const measured = this.updatesDone + this.currentUpdates;
    if (measured === 0) return undefined;
    const perUpdate = (this.now() - this.started) / 1000 / measured;
    let remaining = Math.max(0, this.currentPlanned - this.currentUpdates);
    for (const [id, updates] of this.planned) if (id !== this.current) remaining += updates;
    return remaining * perUpdate;
  }

  private line(what: string): string {
    const eta = this.eta();
    const left = this.unpaced ?? `ETA ${eta === undefined ? '?' : formatDuration(eta)}`;
    return `study${this.path ? ` [${this.path}]` : ''}: ${this.doneSteps.size}/${this.total} steps done · now ${what} · elapsed ${formatDuration((this.now() - this.started) / 1000)} · ${left}`;
  }

  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }
}
