import { Flags } from '@oclif/core';
import { formatPlan, planStudy, resolveStudy, studyLockHolder, type StudyPlan } from '@stem/study';
import type { QueueStatus } from '@stem/study/queue';
import { StemCommand } from '../../base-command.js';
import { studyFlags } from '../../study/study-flags.js';

export default class StudyPlanCommand extends StemCommand<typeof StudyPlanCommand> {
  static override summary =
    'Print the grid of a study (runs, probes, analyses) without running it.';
  static override description =
    'Expands the study config with --only, --tasks, --seeds and --set as `stem study` would, validates every run’s generated experiment config against the installed plugins (an invalid one is an error), and lists each run and probe with its state in the study directory (pending, interrupted, finished). Model, tokenizer and data paths that do not exist on this machine are listed under "missing" without failing the plan. With --queue, also where each unit stands on the study’s queue (`stem study status`): a unit completed there but not yet collected is done, written by the next `stem study --queue`.';
  static override examples = [
    '<%= config.bin %> study plan -c examples/study-quick.yaml',
    '<%= config.bin %> study plan -c examples/study-paper.yaml --only stl,mtl5 --json',
    '<%= config.bin %> study plan -c examples/study-cpu.yaml --queue redis://redis.lab:6379',
  ];
  static override flags = {
    ...studyFlags,
    queue: Flags.string({
      description:
        'The Redis of the study’s queue (`stem study --queue`): also show each unit’s state there.',
    }),
  };

  async run(): Promise<StudyPlan & { queue?: QueueStatus }> {
    const study = await resolveStudy(this.flags);
    const session = await this.session(study.config.device);
    const plan: StudyPlan & { queue?: QueueStatus } = planStudy(study, session.registry);
    const running = await studyLockHolder(study.directory);
    if (running) plan.running = running;
    if (this.flags.queue) {
      const { queueStatus } = await import('@stem/study/queue');
      plan.queue = await queueStatus(study, this.flags.queue);
    }
    if (!this.jsonEnabled()) {
      for (const line of formatPlan(plan)) this.log(line);
      if (plan.queue) {
        const { formatQueueStatus } = await import('@stem/study/queue');
        this.log('');
        for (const line of formatQueueStatus(plan.queue)) this.log(line);
      }
    }
    return plan;
  }
}
