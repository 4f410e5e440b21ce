import { Args, Flags } from '@oclif/core';
import { StemCommand } from '../base-command.js';
import { stopOnSignals } from '../run/stop-signals.js';
import { readHeadExplorer } from '../view/head-explorer.js';
import { RunAttention } from '../view/run-attention.js';
import { openViewedDirectory } from '../view/viewed-directory.js';
import { LOOPBACK, startViewServer } from '../view/view-server.js';

export default class View extends StemCommand<typeof View> {
  static override summary =
    'An interactive head explorer of a study or run, served on 127.0.0.1 until Ctrl-C.';
  static override description = `Pick a setting (a run, or the static probes) and a head (layer x head grid) and see that head's probe accuracy across tasks and settings, its gate in each pruning run (undecided gates marked), its gradient conflict where the study measured it, and its attention on a sentence you type (computed by this process from the run's best checkpoint, as \`stem model attend\` computes it). The server listens on ${LOOPBACK} only, reads nothing outside the given directory (403 for ../, absolute paths and links leading out), needs no network, and prints its URL on stdout (with --json, one line: the envelope with result.url). JSON API: /api/study, /api/grid?setting=, /api/head?layer=&head=, /api/attention?setting=&layer=&head=&text=, /api/file?path= (layers and heads from 0).`;
  static override examples = [
    '<%= config.bin %> view docs/study-quick',
    '<%= config.bin %> view runs/pos-ewt-20261126-101500-s42 --port 8080',
    '<%= config.bin %> view studies/quick --json',
  ];
  static override args = {
    directory: Args.string({
      required: true,
      description: 'A study directory (study.json) or a run directory (manifest.json).',
    }),
  };
  static override flags = {
    port: Flags.integer({
      min: 0,
      max: 65535,
      default: 0,
      description: 'Port on 127.0.0.1 (0: any free port).',
    }),
  };

  /** Serves until SIGINT/SIGTERM; prints the URL at once, so it returns nothing to print. */
  async run(): Promise<void> {
    const { args, flags } = await this.parse(View);
    const directory = await openViewedDirectory(args.directory);
    const explorer = await readHeadExplorer(directory);
    for (const problem of explorer.study.problems) this.reportWarning(problem);
    const session = await this.session();
    const attention = new RunAttention(session);
    const server = await startViewServer({ explorer, attention, port: flags.port });
    const stop = stopOnSignals();
    if (this.jsonEnabled())
      // One line now, not an envelope at exit: a script needs the URL while the server runs.
      process.stdout.write(`${JSON.stringify(this.toSuccessJson({ url: server.url }))}\n`);
    else this.log(server.url);
    this.progress(
      `serving ${directory.kind} ${directory.name} (${explorer.settings.length} settings, ${explorer.layers} x ${explorer.heads} heads); Ctrl-C stops`,
    );
    await new Promise<void>((resolve) =>
      stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    stop.dispose();
    await server.close();
    await attention.release();
    this.progress('stopped');
  }
}
