import { loadStudyConfig, inProcessExecutor, processChannel, serveUnit } from '@stem/study';
import { StemCommand } from '../../base-command.js';
import { runEnvironment } from '../../run/run-environment.js';
import { studyFlags } from '../../study/study-flags.js';

/**
 * One unit of `stem study --jobs N`, in its own process: started by the study with an IPC
 * channel, it takes the unit from there, runs it in the study directory and reports its
 * events back (`serveUnit`). Not for users: hidden.
 */
export default class StudyUnitCommand extends StemCommand<typeof StudyUnitCommand> {
  static override hidden = true;
  static override enableJsonFlag = false;
  static override summary = 'Run one unit of `stem study --jobs N` (started by the study).';
  static override flags = { config: studyFlags.config, set: studyFlags.set };

  async run(): Promise<void> {
    // The coordinator gone (killed), the unit stops; its run resumes from its checkpoint.
    const orphaned = () => process.exit(1);
    process.once('disconnect', orphaned);
    // Only the lines of the study config's fields: the config itself comes with the request.
    const source = await loadStudyConfig(this.flags.config, this.flags.set).then(
      ({ file, lineOf }) => ({ file, lineOf }),
      () => undefined,
    );
    const finished = await serveUnit({
      channel: processChannel(),
      ...(source ? { source } : {}),
      executor: async (request) => {
        const session = await this.session(request.config.device);
        return inProcessExecutor({
          session,
          environment: (hooks) => runEnvironment(this.config, session, hooks),
        });
      },
    });
    process.exitCode = finished ? 0 : 1;
    process.off('disconnect', orphaned);
    process.disconnect?.();
  }
}
