/**
 * The one error every reader throws for malformed input. The message always starts with
 * `file:line: ` so a user can jump straight to the offending line.
 */
export class DataFormatError extends Error {
  /** The CLI's error code (README, "Errors"). */
  readonly code = 'DATA_FORMAT';
  readonly file: string;
  /** 1-based line number of the offending line (0 when the problem is the file as a whole). */
  readonly line: number;
  readonly problem: string;

  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'DataFormatError';
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/** Splits text into lines without their terminators (LF or CRLF); a final newline adds no empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A corpus (or one of its files) is not where a config or the default says; `hint` says how to get it. */
export class CorpusNotFoundError extends Error {
  /** The CLI's error code (README, "Errors"). */
  readonly code = 'DATA_NOT_FOUND';
  readonly hint: string;

  constructor(message: string, hint: string) {
    super(message);
    this.name = 'CorpusNotFoundError';
    this.hint = hint;
  }
}
