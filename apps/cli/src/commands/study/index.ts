import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { Flags } from '@oclif/core';
import {
  computePath,
  formatDuration,
  formatHeadline,
  inProcessExecutor,
  processPoolExecutor,
  resolveStudy,
  runStudy,
  type StudyHeadline,
  type StudyOutcome,
  type StudyExecutor,
} from '@stem/study';
import { StemCommand } from '../../base-command.js';
import { progressLine } from '../../run/progress-line.js';
import { runEnvironment } from '../../run/run-environment.js';
import { stopOnSignals, type StopSignals } from '../../run/stop-signals.js';
import { studyFlags } from '../../study/study-flags.js';

export interface StudySummary {
  directory: string;
  report: string;
  manifest: string;
  ran: string[];
  skipped: string[];
  seconds: number;
  runs: number;
  probes: number;
  headline: StudyHeadline;
  /** Which compute path ran the study (`native kernels (OpenBLAS, 1 thread)`, `plain wasm ...`). */
  computePath: string;
}

export default class Study extends StemCommand<typeof Study> {
  static override summary =
    'Run a whole Stem Cell study (STL, pairs, MTL-5, pruning, probes, overlap, report) from one study config; rerun to resume.';
  static override description =
    'Expands the study config into its grid and runs what is missing, each run an ordinary run directory under the study directory (runs/stl-pos-s1, runs/mtl5-s1, pruning/stl-dp-pos-s1, ...) with the experiment config it was made from (config.yaml). Then the probes (probes/static, <run>/analyses/probe), `stem analyze overlap` over the STL-DP runs (analyses/overlap) and `stem report` (report/index.html). Rerunning the same command skips finished runs (results on disk), resumes an interrupted one from its last checkpoint, and never redoes a finished result; study.json records the grid, each step’s state and the versions. Progress goes to stderr.';
  static override examples = [
    '<%= config.bin %> study -c examples/study-quick.yaml',
    '<%= config.bin %> study -c examples/study-quick.yaml --jobs 2   # two units at once, one core each',
    '<%= config.bin %> study -c examples/study-cpu.yaml --only stl,mtl5 --tasks pos,dep --seeds 1',
    '<%= config.bin %> study -c examples/study-quick.yaml --set trainer.epochs=1 --out studies/try --json',
    '<%= config.bin %> study -c examples/study-cpu.yaml --queue redis://redis.lab:6379   # then `stem worker -c examples/study-cpu.yaml --queue redis://redis.lab:6379` on each machine',
  ];
  static override flags = {
    ...studyFlags,
    queue: Flags.string({
      description:
        'Run the units on `stem worker` processes through a BullMQ queue on this Redis: redis://[:password@]host:port[/db] or rediss://... (TLS). Workers send results back; the overlap and the report run here. Rerun to reattach.',
    }),
    jobs: Flags.integer({
      min: 1,
      default: 1,
      exclusive: ['queue'],
      description:
        'Units run at once on this machine, each in its own process (longest first), with the cores shared out among them (STEM_THREADS = cores / jobs unless set). The native kernels run much of a training step on one core, so on a 2-core machine --jobs 2 finishes a study in about two thirds of the time.',
    }),
    attempts: Flags.integer({
      min: 1,
      default: 3,
      description: 'With --queue: tries of a unit before the study stops with its error.',
    }),
    'poll-ms': Flags.integer({ min: 10, default: 1000, hidden: true }),
    'backoff-ms': Flags.integer({ min: 0, default: 5000, hidden: true }),
  };

  async run(): Promise<StudySummary> {
    const study = await resolveStudy(this.flags);
    // --jobs N shares the cores out; set before the session, so the line below names the
    // threads each unit process runs with (they inherit it).
    if (this.flags.jobs > 1 && !process.env.STEM_THREADS)
      process.env.STEM_THREADS = String(
        Math.max(1, Math.floor(availableParallelism() / this.flags.jobs)),
      );
    const session = await this.session(study.config.device);
    const path = computePath(session.backend);
    this.progress(`backend: ${session.backend.device} (${session.backend.package}), ${path}`);
    const runLine = progressLine(!this.jsonEnabled());
    const packages = runEnvironment(this.config, session, {}).packages;
    let executor: StudyExecutor;
    let close = async () => {};
    // With --queue, Ctrl-C stops waiting for the workers: the queue and its connections are
    // closed, the jobs stay for them, and rerunning the same command collects the results.
    let stop: StopSignals | undefined;
    if (this.flags.queue) {
      stop = stopOnSignals((name) =>
        this.progress(`${name}: stopping the coordinator; the units stay on the queue`),
      );
      // Loaded only here: a study without --queue never loads bullmq.
      const { queueExecutor, studyIdentity } = await import('@stem/study/queue');
      const queued = await queueExecutor({
        url: this.flags.queue,
        identity: studyIdentity(study.config, packages),
        attempts: this.flags.attempts,
        pollMs: this.flags['poll-ms'],
        backoffMs: this.flags['backoff-ms'],
        signal: stop.signal,
      });
      executor = queued;
      close = () => queued.close();
    } else if (this.flags.jobs > 1) {
      const pool = processPoolExecutor({
        jobs: this.flags.jobs,
        start: () => this.startUnitProcess(study.file),
      });
      executor = pool;
      close = () => pool.close();
    } else
      executor = inProcessExecutor({
        session,
        environment: (hooks) => runEnvironment(this.config, session, hooks),
      });
    let outcome: StudyOutcome;
    try {
      outcome = await runStudy(study, {
        executor,
        packages,
        computePath: path,
        progress: (event) => {
          if (event.type === 'training') runLine(event.status);
          else if (event.type === 'warning') this.reportWarning(event.message);
          else this.progress(event.message);
        },
        ...(stop ? { signal: stop.signal } : {}),
      });
    } catch (error) {
      await close();
      if (stop?.received()) {
        if (this.jsonEnabled()) this.logJson(this.toErrorJson(error));
        stop.exit(
          `study ${study.config.name} stopped by ${stop.received()}: rerun the same command to collect the units from the queue`,
        );
      }
      throw error;
    } finally {
      stop?.dispose();
    }
    await close();
    const summary: StudySummary = {
      directory: outcome.directory,
      report: outcome.report.index,
      manifest: `${outcome.directory}/study.json`,
      ran: outcome.ran,
      skipped: outcome.skipped,
      seconds: outcome.seconds,
      runs: study.grid.runs.length,
      probes: study.grid.probes.length,
      headline: outcome.headline,
      computePath: path,
    };
    if (!this.jsonEnabled()) {
      for (const line of formatHeadline(outcome.headline)) this.log(line);
      this.log('');
      this.log(
        `study ${study.config.name}: ${outcome.ran.length} steps run, ${outcome.skipped.length} already finished, ${formatDuration(outcome.seconds)} on ${path}`,
      );
      const shown = relative(process.cwd(), outcome.report.index);
      this.log(`report: ${shown.startsWith('..') ? outcome.report.index : shown}`);
    }
    return summary;
  }

  /**
   * A `stem study unit` process of this CLI for one unit of --jobs N, with the same study config,
   * --set and --device, and this process's environment (STEM_THREADS included).
   */
  private startUnitProcess(configFile: string) {
    return fork(
      join(this.config.root, 'bin', 'run.js'),
      [
        'study',
        'unit',
        '-c',
        configFile,
        ...this.flags.set.flatMap((field) => ['--set', field]),
        ...(this.flags.device ? ['--device', this.flags.device] : []),
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
  }
}
