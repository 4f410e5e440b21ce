import { Flags } from '@oclif/core';
import { resolveStudy } from '@stem/study';
import type { QueueStatus } from '@stem/study/queue';
import { StemCommand } from '../../base-command.js';
import { studyFlags } from '../../study/study-flags.js';

export default class StudyStatusCommand extends StemCommand<typeof StudyStatusCommand> {
  static override summary =
    'Show where each unit of a queued study stands (done, waiting, active, failed), who holds it, and an ETA.';
  static override description =
    'For a study run with `stem study --queue`: each unit of the grid (a run with its probes, or the static probes) as done (results in the study directory), completed (on the queue, written by the coordinator next), active (with the worker holding it and for how long), waiting, delayed, failed (with the error and the worker that hit it) or not queued; the workers connected; and an ETA from the measured unit times spread over those workers. Reads Redis and the study directory only; runs nothing.';
  static override examples = [
    '<%= config.bin %> study status -c examples/study-cpu.yaml --queue redis://redis.lab:6379',
    '<%= config.bin %> study status -c examples/study-cpu.yaml --queue redis://redis.lab:6379 --json',
  ];
  static override flags = {
    ...studyFlags,
    queue: Flags.string({
      required: true,
      description:
        'The Redis of the study’s queue: redis://[:password@]host:port[/db] or rediss://...',
    }),
  };

  async run(): Promise<QueueStatus> {
    const { formatQueueStatus, queueStatus } = await import('@stem/study/queue');
    const study = await resolveStudy(this.flags);
    const status = await queueStatus(study, this.flags.queue);
    if (!this.jsonEnabled()) for (const line of formatQueueStatus(status)) this.log(line);
    return status;
  }
}
