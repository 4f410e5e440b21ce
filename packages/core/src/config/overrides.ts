import { parse as parseYamlValue } from 'yaml';
import { StemError } from '../errors.js';

/**
 * Applies `--set a.b.c=value` overrides. Values are read as YAML scalars/flow values, so
 * `--set seed=7` is a number, `--set trainer.epochs=[1,2]` a list, `--set name=x` a string.
 */
export function applyOverrides(
  config: Record<string, unknown>,
  overrides: readonly string[],
): Record<string, unknown> {
  for (const override of overrides) {
    const separator = override.indexOf('=');
    if (separator <= 0) {
      throw new StemError(`--set "${override}" is not of the form path.to.field=value`);
    }
    const path = override.slice(0, separator).split('.');
    if (path.some((part) => part === ''))
      throw new StemError(`--set "${override}": empty segment in the field path`);
    const raw = override.slice(separator + 1);
    let value: unknown;
    try {
      value = parseYamlValue(raw);
    } catch {
      value = raw;
    }
    setPath(config, path, value, override);
  }
  return config;
}

function setPath(
  target: Record<string, unknown>,
  path: string[],
  value: unknown,
  override: string,
): void {
  let node: Record<string, unknown> = target;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === undefined || next === null) {
      node[key] = {};
    } else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new StemError(
        `--set "${override}": ${path.slice(0, index + 1).join('.')} is not an object`,
      );
    }
    node = node[key] as Record<string, unknown>;
  }
}
