import type { ComponentRegistry } from '../registry/component-registry.js';
import { ConfigError } from './config-error.js';
import { buildExperimentSchema, type ExperimentConfig } from './experiment-schema.js';
import { missingPaths } from './check-paths.js';
import {
  parseConfigText,
  readConfigFile,
  validateConfig,
  type ConfigDocument,
} from './config-file.js';

export interface LoadConfigOptions {
  /** `a.b=c` overrides applied after reading, before validation. */
  overrides?: readonly string[];
  /** Also check that the model, tokenizer and dataset paths the config names exist. */
  checkPaths?: boolean;
}

/** Reads a YAML or JSON experiment config (JSON is YAML), applies overrides, validates. */
export async function loadExperimentConfig(
  file: string,
  registry: ComponentRegistry,
  options: LoadConfigOptions = {},
): Promise<ExperimentConfig> {
  return validateExperiment(await readConfigFile(file, options), registry, options);
}

export function parseExperimentConfig(
  text: string,
  file: string,
  registry: ComponentRegistry,
  options: LoadConfigOptions = {},
): ExperimentConfig {
  return validateExperiment(parseConfigText(text, file, options), registry, options);
}

function validateExperiment(
  document: ConfigDocument,
  registry: ComponentRegistry,
  options: LoadConfigOptions,
): ExperimentConfig {
  const config = validateConfig(document, buildExperimentSchema(registry));
  if (options.checkPaths) {
    const problems = missingPaths(config as Record<string, unknown>, document.lineOf);
    if (problems.length > 0)
      throw new ConfigError(
        document.file,
        problems,
        'fix the paths above (relative paths start at the directory stem runs in), or fetch the missing model, tokenizer or data',
      );
  }
  return config;
}
