import { StemError } from '../errors.js';

/** A reference that cannot be resolved; `field` is the dotted path of the field holding it. */
export class InterpolationError extends StemError {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field || '(root)'}: ${problem}`, 'fix the ${...} reference', 'CONFIG_INVALID');
    this.name = 'StemError';
  }
}

const REFERENCE = /\$\{([A-Za-z0-9_.-]+)\}/g;

/**
 * Resolves `${a.b}` references against the config itself (spaCy style), e.g.
 * `path: ${paths.data}/train.conllu`. A string that is exactly one reference takes the
 * referenced value with its type; references inside longer strings are stringified.
 */
export function interpolate(config: Record<string, unknown>): Record<string, unknown> {
  const resolve = (value: unknown, where: string, depth: number): unknown => {
    if (depth > 20)
      throw new InterpolationError(where, 'interpolation nests too deeply (a reference cycle?)');
    if (typeof value === 'string') {
      const whole = /^\$\{([A-Za-z0-9_.-]+)\}$/.exec(value);
      if (whole) return resolve(lookup(config, whole[1] as string, where), where, depth + 1);
      return value.replace(REFERENCE, (_, path: string) =>
        String(resolve(lookup(config, path, where), where, depth + 1)),
      );
    }
    if (Array.isArray(value)) return value.map((item, i) => resolve(item, `${where}.${i}`, depth));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          resolve(item, where ? `${where}.${key}` : key, depth),
        ]),
      );
    }
    return value;
  };
  return resolve(config, '', 0) as Record<string, unknown>;
}

function lookup(config: Record<string, unknown>, path: string, where: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object' || !(key in node)) {
      throw new InterpolationError(where, `\${${path}} refers to a field that does not exist`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
