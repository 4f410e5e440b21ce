import { formatPlan, planStudy, resolveStudy, studyLockHolder, type StudyPlan } from '@stem/study';
import { StemCommand } from '../../base-command.js';
import { studyFlags } from '../../study/study-flags.js';

export default class StudyPlanCommand extends StemCommand<typeof StudyPlanCommand> {
  static override summary =
    'Print the grid of a study (runs, probes, analyses) without running it.';
  static override description =
    'Expands the study config with --only, --tasks, --seeds and --set as `stem study` would, validates every run’s generated experiment config against the installed plugins (an invalid one is an error), and lists each run and probe with its state in the study directory (pending, interrupted, finished). Model, tokenizer and data paths that do not exist on this machine are listed under "missing" without failing the plan.';
  static override examples = [
    '<%= config.bin %> study plan -c examples/study-quick.yaml',
    '<%= config.bin %> study plan -c examples/study-paper.yaml --only stl,mtl5 --json',
  ];
  static override flags = studyFlags;

  async run(): Promise<StudyPlan> {
    const study = await resolveStudy(this.flags);
    const session = await this.session(study.config.device);
    const plan = planStudy(study, session.registry);
    const running = await studyLockHolder(study.directory);
    if (running) plan.running = running;
    if (!this.jsonEnabled()) for (const line of formatPlan(plan)) this.log(line);
    return plan;
  }
}
