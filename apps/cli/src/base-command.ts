import { Command, Flags, type Interfaces } from '@oclif/core';
import { DEVICE_CHOICES, StemError, type DeviceChoice, type RunEnvironment } from '@stem/core';
import { FailureWithData } from './failure-with-data.js';
import { deviceOfConfig, deviceOfRun } from './run/config-device.js';
import { progressLine } from './run/progress-line.js';
import { runEnvironment } from './run/run-environment.js';
import { openStemSession, type StemSession } from './session/stem-session.js';

/** Version of the `--json` envelope; bump only with a breaking change to its shape. */
export const JSON_ENVELOPE_VERSION = 1;

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof StemCommand)['baseFlags'] & T['flags']
>;

/**
 * Base of every stem command. With `--json` the result goes to stdout as a stable envelope
 *   { "stem": 1, "command": "info", "ok": true, "result": {...}, "warnings": [...] }
 *   { "stem": 1, "command": "info", "ok": false, "error": { "code", "message", "hint" } }
 * and everything else (progress, logs, plugin warnings) goes to stderr. A failure that could
 * still read something (FailureWithData) adds it to the error envelope as `"data"`.
 */
export abstract class StemCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    device: Flags.string({
      description:
        'Compute backend (default: config value or auto = gpu > cpu > wasm > js; wasm uses the OpenBLAS kernels of @stem/compute-native when built, wasm-plain never; native = those kernels on tfjs-backend-cpu tensors, no 4 GiB wasm heap, refused without the addon).',
      options: [...DEVICE_CHOICES],
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: BaseFlags<T>;
  private sessionPromise: Promise<StemSession> | undefined;
  private readonly warnings: string[] = [];

  public override async init(): Promise<void> {
    await super.init();
    const { flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof StemCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
  }

  /** Backend + registered plugins, opened once; plugin warnings are reported on stderr. */
  protected session(device?: DeviceChoice): Promise<StemSession> {
    this.sessionPromise ??= openStemSession(
      this.config,
      (this.flags.device as DeviceChoice | undefined) ?? device ?? 'auto',
    ).then((session) => {
      for (const warning of session.warnings) this.reportWarning(warning.message);
      return session;
    });
    return this.sessionPromise;
  }

  /**
   * The start shared by every command that trains (train, pretrain, prune): refuse `--set` on
   * a resumed run, pick the device from the config or the run, open the session and the run
   * environment with progress on stderr.
   */
  protected async openTrainingRun(flags: {
    config?: string | undefined;
    resume?: string | undefined;
    set: string[];
  }): Promise<{ session: StemSession; environment: RunEnvironment }> {
    if (flags.resume && flags.set.length > 0)
      throw new StemError(
        '--set cannot change a run being resumed',
        'resume with the recorded config, or start a new run with -c',
      );
    const device = flags.config
      ? await deviceOfConfig(flags.config, flags.set)
      : await deviceOfRun(flags.resume as string);
    const session = await this.session(device);
    this.progress(`backend: ${session.backend.device} (${session.backend.package})`);
    const environment = runEnvironment(this.config, session, {
      progress: progressLine(!this.jsonEnabled()),
      log: (line) => this.progress(line),
      warn: (message) => this.reportWarning(message),
    });
    return { session, environment };
  }

  /** A warning on stderr, also collected into the `--json` envelope. */
  protected reportWarning(message: string): void {
    this.warnings.push(message);
    process.stderr.write(`warning: ${message}\n`);
  }

  /** Progress and log lines: stderr only, so stdout stays machine-readable. */
  protected progress(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  /** `config validate`, as the user typed it (oclif ids use ':' internally). */
  private commandName(): string | null {
    return this.id ? this.id.replaceAll(':', ' ') : null;
  }

  protected override toSuccessJson(result: unknown): unknown {
    return {
      stem: JSON_ENVELOPE_VERSION,
      command: this.commandName(),
      ok: true,
      result,
      warnings: this.warnings,
    };
  }

  protected override toErrorJson(error: unknown): unknown {
    return {
      stem: JSON_ENVELOPE_VERSION,
      command: this.commandName(),
      ok: false,
      error: describeError(error),
      // What a describing command could still read (model inspect of damaged weights).
      ...(error instanceof FailureWithData ? { data: error.data } : {}),
      warnings: this.warnings,
    };
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (!this.jsonEnabled() && isUserError(error)) {
      // User errors: what went wrong and what to do, without a stack trace.
      const { message, hint } = describeError(error);
      this.logToStderr(`error: ${message}\nhint: ${hint}`);
      process.exitCode = 1;
      return;
    }
    return super.catch(error);
  }
}

/**
 * Errors meant for the user rather than a stack trace: core's StemError, and the structural
 * twins plugins throw without importing core (anything carrying a `hint`), plus data
 * readers' `file:line` errors.
 */
function isUserError(error: unknown): error is Error & { hint?: string; code?: string } {
  if (error instanceof StemError) return true;
  if (!(error instanceof Error)) return false;
  return (
    typeof (error as { hint?: unknown }).hint === 'string' ||
    error.name === 'StemError' ||
    error.name === 'DataFormatError' ||
    error.name === 'CorpusNotFoundError'
  );
}

/**
 * The documented `--json` error codes (README, "--json and error codes"): every error class
 * maps to exactly one code, and every code has a hint for errors raised without one.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'fix the fields above; `stem config schema` prints the JSON Schema',
  DATA_FORMAT:
    'fix the file at the line named, or check that it is in the format the dataset expects',
  DATA_NOT_FOUND: 'fetch the corpus (`stem data list` says how) or point the dataset path at it',
  DATASET_UNREADABLE: 'check the dataset settings of the task named and the files they point at',
  UNKNOWN_DATASET: '`stem data list` lists the datasets installed',
  INPUT_INVALID: 'pass a UTF-8 text file in the expected format',
  JSON_INVALID: 'fix the JSON at that position, or restore the file from where it came from',
  FILE_UNREADABLE: 'check the path and its permissions',
  RUN_INVALID: 'pass a run directory that `stem train` created; see its manifest.json',
  MODEL_INVALID: 'a model directory holds config.json, model.safetensors and tokenizer files',
  WEIGHTS_INVALID:
    'the safetensors file is damaged or incomplete: download, copy or export it again (for a run, resume from another copy)',
  WRITE_FAILED: 'make the output folder writable or free some space; earlier files are unchanged',
  NOT_A_MODEL: 'pass a run directory made by `stem train` or a Hugging Face model directory',
  ANALYZER_FAILED: 'the model is saved; fix the analyzer settings and rerun the analysis',
  NOTHING_TO_REPORT: 'pass run directories, probe results, gates.json or overlap.json',
  NAN_LOSS: 'lower the learning rates or check the data; resume from the last checkpoint',
  STUDY_LOCKED:
    'another stem study holds the study directory (or its queue unit): wait for it or stop it, then rerun the same command',
  STUDY_ABORTED: 'the study was stopped; rerun the same command to resume it',
  STUDY_UNIT_FAILED:
    'fix the cause named (the worker is in the message) and rerun the same `stem study --queue` command: it retries the unit',
  STUDY_MISMATCH:
    'start `stem worker` with the same stem version, plugins, study config and --set as `stem study --queue`',
  QUEUE_UNREACHABLE:
    'start redis-server at the --queue URL, or check its host, port, password and firewall',
  USAGE: 'see `stem <command> --help`',
  STEM_ERROR: 'see the message above; `stem <command> --help` lists the options',
  INTERNAL_ERROR: 'this is a bug in stem: please report it with the command and its output',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes older releases (and plugins built against them) raise, mapped to the documented ones.
 * stem's own packages raise only the documented codes.
 */
const LEGACY_CODES: Record<string, ErrorCode> = {
  STEM_ENCODER_ERROR: 'MODEL_INVALID',
  STEM_ENCODER_CHECKPOINT: 'MODEL_INVALID',
  CONFIG: 'CONFIG_INVALID',
  CORPUS_NOT_FOUND: 'DATA_NOT_FOUND',
  BAD_INPUT: 'INPUT_INVALID',
  DataFormatError: 'DATA_FORMAT',
  CorpusNotFoundError: 'DATA_NOT_FOUND',
};

/**
 * A plugin's own code (one this table does not know) passes through unchanged, so a
 * plugin can be more specific than the table; it still gets a hint.
 */
function codeOf(error: Error & { code?: unknown }): string {
  if (typeof error.code === 'string' && error.code !== '')
    return LEGACY_CODES[error.code] ?? error.code;
  return LEGACY_CODES[error.name] ?? 'STEM_ERROR';
}

export function describeError(error: unknown): { code: string; message: string; hint: string } {
  if (isUserError(error)) {
    const code = codeOf(error);
    const fallback = ERROR_CODES[code as ErrorCode] ?? ERROR_CODES.STEM_ERROR;
    return { code, message: error.message, hint: error.hint || fallback };
  }
  // oclif's own argument and flag errors carry an exit code of 2.
  if (error instanceof Error && (error as { oclif?: { exit?: number } }).oclif?.exit === 2)
    return { code: 'USAGE', message: error.message, hint: ERROR_CODES.USAGE };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', message, hint: ERROR_CODES.INTERNAL_ERROR };
}
