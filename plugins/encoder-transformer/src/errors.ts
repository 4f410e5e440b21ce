/**
 * An error meant for the user, shaped like core's StemError (message, hint, code) so the CLI
 * prints it the same way. Plugins must not import core at run time (it is an optional peer),
 * so this is a structural twin rather than a subclass.
 */
export class EncoderError extends Error {
  readonly code: string;
  constructor(
    message: string,
    readonly hint?: string,
    code = 'MODEL_INVALID',
  ) {
    super(message);
    this.name = 'StemError';
    this.code = code;
  }
}
