/**
 * The one config loader: experiment configs (`stem train`, `stem config validate`, ...), study
 * configs (`stem study`, `stem study plan`) and the CLI's early reads (the device, the pruning
 * defaults) all read files through it, so the same fault gives the same `CONFIG_INVALID`
 * error, naming file, line and field, wherever it is found.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { InterpolationError, interpolate } from './interpolate.js';
import { applyOverrides } from './overrides.js';

/** The line of a field: its key's line, or its nearest parent's when it is not in the file. */
export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/** A config file read: its mapping (overrides applied, `${...}` resolved) and its lines. */
export interface ConfigDocument {
  file: string;
  data: Record<string, unknown>;
  lineOf: LineOf;
}

export interface ReadConfigOptions {
  /** `a.b=c` overrides (`--set`), applied before `${...}` references are resolved. */
  overrides?: readonly string[] | undefined;
}

export interface LoadConfigFileOptions<S extends z.ZodType> extends ReadConfigOptions {
  schema: S;
  /** What to do about invalid fields (the ConfigError's hint). */
  hint?: string;
}

/** Reads a YAML or JSON config file; a file that cannot be read is a `CONFIG_INVALID` too. */
export async function readConfigFile(
  file: string,
  options: ReadConfigOptions = {},
): Promise<ConfigDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : (error as Error).message;
    throw new ConfigError(
      file,
      [{ path: '', message: `cannot read config ${file}: ${reason}` }],
      'check the path given to -c/--config',
    );
  }
  return parseConfigText(text, file, options);
}

/** Parses config text as read from `file` (YAML; JSON is YAML). */
export function parseConfigText(
  text: string,
  file: string,
  options: ReadConfigOptions = {},
): ConfigDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => ({
        path: '',
        message: `syntax error: ${error.message.split('\n')[0]}`,
        line: error.linePos?.[0]?.line,
      })),
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    // Alias problems (an alias before its anchor, alias bombs) surface only here.
    const message = (error as Error).message;
    const alias = /: (\S+)$/.exec(message)?.[1];
    const index = alias ? text.split('\n').findIndex((l) => l.includes(`*${alias}`)) : -1;
    throw new ConfigError(file, [
      { path: '', message: `YAML: ${message}`, ...(index >= 0 ? { line: index + 1 } : {}) },
    ]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { path: '', message: 'expected a mapping (object) at the top level' },
    ]);
  }
  const lineOf = linesOf(document, lineCounter);
  const withOverrides = applyOverrides(raw as Record<string, unknown>, options.overrides ?? []);
  try {
    return { file, data: interpolate(withOverrides), lineOf };
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    const path = error.field ? error.field.split('.') : [];
    throw new ConfigError(file, [
      { path: error.field, message: error.problem, line: lineOf(path) },
    ]);
  }
}

/** Validates a read config against a zod schema; problems name file, line and field. */
export function validateConfig<S extends z.ZodType>(
  document: ConfigDocument,
  schema: S,
  hint?: string,
): z.output<S> {
  const result = schema.safeParse(document.data);
  if (!result.success)
    throw new ConfigError(
      document.file,
      describeIssues(result.error.issues, document.lineOf),
      hint,
    );
  return result.data;
}

/** Reads, overrides, interpolates and validates a config file in one call. */
export async function loadConfigFile<S extends z.ZodType>(
  file: string,
  options: LoadConfigFileOptions<S>,
): Promise<{ document: ConfigDocument; config: z.output<S> }> {
  const document = await readConfigFile(file, options);
  return { document, config: validateConfig(document, options.schema, options.hint) };
}

/** Flattens zod issues (including those nested in unions) into path + message pairs. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  lineOf: LineOf = () => undefined,
  prefix: PropertyKey[] = [],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (
      issue.code === 'invalid_union' &&
      issue.errors.length > 0 &&
      !('discriminator' in issue && issue.discriminator)
    ) {
      // Report the branch that got furthest rather than every alternative.
      const best = [...issue.errors].sort((a, b) => depthOf(b) - depthOf(a))[0] ?? [];
      problems.push(...describeIssues(best, lineOf, path));
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      // One problem per key, at the key's own line, under the section that does not know it.
      const clauses = issue.message.split('; ');
      issue.keys.forEach((key, index) => {
        const line = lineOf([...path, key]);
        problems.push({
          path: path.map(String).join('.'),
          key,
          message: clauses.length === issue.keys.length ? clauses[index]! : issue.message,
          ...(line ? { line } : {}),
        });
      });
      continue;
    }
    const line = lineOf(path);
    problems.push({
      path: path.map(String).join('.'),
      message: issue.message,
      ...(line ? { line } : {}),
    });
  }
  return problems;
}

function depthOf(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((issue) => issue.path.length));
}

function linesOf(document: Document, lineCounter: LineCounter): LineOf {
  const lineAt = (node: unknown): number | undefined =>
    isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  return (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      if (depth > 0) {
        // The key's own line: a block mapping's value starts on the line below it.
        const parent = document.getIn(path.slice(0, depth - 1) as unknown[], true);
        const key = String(path[depth - 1]);
        const pair = isMap(parent)
          ? parent.items.find((item) =>
              isScalar(item.key) ? String(item.key.value) === key : String(item.key) === key,
            )
          : undefined;
        const line = lineAt(pair?.key);
        if (line) return line;
      }
      const line = lineAt(document.getIn(path.slice(0, depth) as unknown[], true));
      if (line) return line;
    }
    return undefined;
  };
}
