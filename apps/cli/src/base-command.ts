import { Command, Flags, type Interfaces } from '@oclif/core';
import { DEVICE_CHOICES, StemError, type DeviceChoice } from '@stem/core';
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
 * and everything else (progress, logs, plugin warnings) goes to stderr.
 */
export abstract class StemCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    device: Flags.string({
      description:
        'Compute backend (default: config value or auto = gpu > cpu > wasm > js; wasm uses the OpenBLAS kernels of @stem/compute-native when built, wasm-plain never).',
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
      warnings: this.warnings,
    };
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (!this.jsonEnabled() && isUserError(error)) {
      // User errors: what went wrong and what to do, without a stack trace.
      const { message, hint } = describeError(error);
      this.logToStderr(`error: ${message}${hint ? `\nhint: ${hint}` : ''}`);
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
    error.name === 'DataFormatError'
  );
}

export function describeError(error: unknown): { code: string; message: string; hint?: string } {
  if (isUserError(error)) {
    const code =
      typeof error.code === 'string'
        ? error.code
        : error.name === 'StemError'
          ? 'STEM_ERROR'
          : error.name;
    return { code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (error instanceof Error)
    return { code: (error as { code?: string }).code ?? 'ERROR', message: error.message };
  return { code: 'ERROR', message: String(error) };
}
