import { StemError } from '../errors.js';

export interface ConfigProblem {
  /** Dotted path to the field, e.g. `tasks.pos.dataset.path`. */
  path: string;
  message: string;
  /** 1-based line in the config file, when known. */
  line?: number;
  /** For an unknown key: the key, which the section at `path` does not declare. */
  key?: string;
}

/** Invalid configuration: every problem names the field (and line) and what is expected. */
export class ConfigError extends StemError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    hint = 'fix the fields above; `stem config schema` prints the JSON Schema for editor completion',
  ) {
    super(
      `invalid config ${file}:\n` +
        problems
          .map((p) => `  ${p.line ? `${file}:${p.line}: ` : ''}${p.path || '(root)'}: ${p.message}`)
          .join('\n'),
      hint,
      'CONFIG_INVALID',
    );
    this.name = 'ConfigError';
  }
}
