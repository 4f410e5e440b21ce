import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { computePath, inProcessExecutor, resolveStudy } from '@stem/study';
import { StemCommand } from '../base-command.js';
import { runEnvironment } from '../run/run-environment.js';
import { stopOnSignals } from '../run/stop-signals.js';
import { studyFlags } from '../study/study-flags.js';

export interface WorkerSummary {
  queue: string;
  units: string[];
}

export default class Worker extends StemCommand<typeof Worker> {
  static override summary =
    'Take units of a study from its BullMQ queue (`stem study --queue`) and run them here.';
  static override description =
    'Loads the study config as `stem study` does (same file and --set on every machine), connects to the Redis of --queue and runs units of the study’s queue as the local study would: same generated config, same seeds. Each unit runs in this machine’s own directory (--work); its small files (results, manifest, metrics, gates, probe results; not checkpoints) go back with the job and the coordinator writes them into the study directory, so no shared disk is needed. A unit whose study-config hash, stem version or plugin set differs from this worker’s is refused and the worker stops. A killed worker’s unit is handed to another worker by BullMQ’s stalled-job check; restarted on this machine, it resumes from its local checkpoint. Stop it with Ctrl-C or SIGTERM: it takes no more units, hands the units under way back to the queue at once (another worker takes them; their checkpoints stay here), closes its connections and exits 130 (SIGINT) or 143 (SIGTERM). STEM_THREADS sets the threads of the native kernels; `stem study status --queue` lists each worker with its threads and compute path (workers with different thread counts serve the same study).';
  static override examples = [
    '<%= config.bin %> worker -c examples/study-cpu.yaml --queue redis://redis.lab:6379',
    '<%= config.bin %> worker -c examples/study-cpu.yaml --queue rediss://:secret@redis.lab:6380/2 --concurrency 2',
  ];
  static override flags = {
    config: studyFlags.config,
    set: studyFlags.set,
    queue: Flags.string({
      required: true,
      description:
        'The Redis of the study’s queue: redis://[:password@]host:port[/db] or rediss://... (TLS).',
    }),
    concurrency: Flags.integer({ min: 1, default: 1, description: 'Units run at once.' }),
    work: Flags.string({
      description:
        'This worker’s directory for the units it runs (checkpoints stay here). Default: <cache>/worker/<study>-<config hash>.',
    }),
    name: Flags.string({
      description: 'The worker’s name in status and errors (default host:pid).',
    }),
    'stalled-interval': Flags.integer({
      min: 100,
      default: 30_000,
      description: 'ms between BullMQ’s checks for units of killed workers.',
    }),
    'lock-duration': Flags.integer({
      min: 100,
      default: 60_000,
      description:
        'ms a unit stays held without its lock being renewed (longer than the longest training step).',
    }),
  };

  async run(): Promise<WorkerSummary> {
    const { runStudyWorker, studyIdentity, studyQueueName } = await import('@stem/study/queue');
    const study = await resolveStudy({ config: this.flags.config, set: this.flags.set });
    const session = await this.session(study.config.device);
    const packages = runEnvironment(this.config, session, {}).packages;
    const identity = studyIdentity(study.config, packages);
    const directory =
      this.flags.work ??
      join(
        this.config.cacheDir,
        'worker',
        `${study.config.name}-${identity.configHash.slice(0, 12)}`,
      );
    const stop = stopOnSignals((name) =>
      this.progress(`${name}: stopping, handing the units under way back to the queue`),
    );
    const native = session.backend.nativeKernels;
    const requested = Number(process.env.STEM_THREADS);
    const threads = native?.active
      ? native.threads
      : Number.isInteger(requested) && requested > 0
        ? requested
        : undefined;
    try {
      const outcome = await runStudyWorker({
        url: this.flags.queue,
        config: study.config,
        source: { file: study.file, lineOf: study.lineOf ?? (() => undefined) },
        identity,
        directory,
        executor: inProcessExecutor({
          session,
          environment: (hooks) => runEnvironment(this.config, session, hooks),
        }),
        concurrency: this.flags.concurrency,
        stalledIntervalMs: this.flags['stalled-interval'],
        lockDurationMs: this.flags['lock-duration'],
        ...(this.flags.name ? { name: this.flags.name } : {}),
        ...(threads !== undefined ? { threads } : {}),
        computePath: computePath(session.backend),
        log: (line) => this.progress(line),
        signal: stop.signal,
      });
      if (outcome.interrupted) {
        const back = outcome.interrupted.handedBack;
        stop.exit(
          `worker stopped by ${stop.received()}: ${outcome.units.length} units done, ${back.length > 0 ? `${back.join(', ')} handed back to the queue` : 'none under way'}`,
        );
      }
      if (!this.jsonEnabled()) this.log(`worker: ${outcome.units.length} units done`);
      return { queue: studyQueueName(study.config), units: outcome.units };
    } finally {
      stop.dispose();
    }
  }
}
