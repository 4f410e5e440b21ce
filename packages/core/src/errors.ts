/**
 * An error meant for the user: what went wrong (naming the file, line or field) and what
 * to do about it. The CLI prints these without a stack trace.
 */
export class StemError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code: string = 'STEM_ERROR',
  ) {
    super(message);
    this.name = 'StemError';
  }
}
