import { StemError } from '@stem/core';

/**
 * A failure that still has something to show: a command that describes a file throws it
 * after printing what it could read, so the exit code says the file is bad while the
 * `--json` envelope keeps that description under `data` (next to `error`).
 */
export class FailureWithData extends StemError {
  constructor(
    message: string,
    hint: string,
    code: string,
    readonly data: unknown,
  ) {
    super(message, hint, code);
  }
}
