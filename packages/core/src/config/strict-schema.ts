/**
 * Unknown keys are errors in every section of a config: a misspelt `limt:` must not pass as
 * valid and silently train on the whole split. `strictSchema` rebuilds a zod schema so that
 * every object in it, however deeply wrapped, rejects keys it does not declare, and names the
 * closest declared key. Objects that deliberately accept any key (`z.looseObject`,
 * `.passthrough()`, an explicit `.catchall(...)`) keep doing so.
 */
import { z } from 'zod';
import { closestKey } from './closest-key.js';

type Schema = z.core.$ZodType;
type Definition = z.core.$ZodTypeDef & Record<string, unknown>;

/** Wrappers whose one child is `innerType`. */
const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'catch',
  'readonly',
  'nonoptional',
  'success',
]);

export function strictSchema<T extends Schema>(schema: T): T {
  return strictified(schema, new Map()) as T;
}

/** `unknown key "limt" (did you mean "limit"?)`, one clause per key. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const suggestion = closestKey(key, known);
      return `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    })
    .join('; ');
}

function strictified(schema: Schema, done: Map<Schema, Schema>): Schema {
  const cached = done.get(schema);
  if (cached) return cached;
  const def = schema._zod.def as Definition;
  const child = (value: unknown) => strictified(value as Schema, done);
  let changes: Record<string, unknown> | undefined;
  switch (def.type) {
    case 'object':
      changes = strictObjectChanges(def, child);
      break;
    case 'pipe':
      changes = { in: child(def.in), out: child(def.out) };
      break;
    case 'array':
      changes = { element: child(def.element) };
      break;
    case 'record':
      changes = { valueType: child(def.valueType) };
      break;
    case 'union':
      changes = { options: (def.options as Schema[]).map(child) };
      break;
    case 'tuple':
      changes = {
        items: (def.items as Schema[]).map(child),
        ...(def.rest ? { rest: child(def.rest) } : {}),
      };
      break;
    default:
      if (WRAPPERS.has(def.type)) changes = { innerType: child(def.innerType) };
  }
  const result =
    changes && Object.entries(changes).some(([key, value]) => value !== def[key])
      ? // `parent` keeps the description and other metadata of the original.
        (schema as z.ZodType).clone(z.core.util.mergeDefs(def, changes) as z.core.$ZodTypeDef, {
          parent: true,
        })
      : schema;
  done.set(schema, result);
  return result;
}

function strictObjectChanges(
  def: Definition,
  child: (value: unknown) => Schema,
): Record<string, unknown> {
  const shape = Object.fromEntries(
    Object.entries(def.shape as Record<string, Schema>).map(([key, value]) => [key, child(value)]),
  );
  const catchall = def.catchall as Schema | undefined;
  // A catchall other than `never` says any key goes: keep it (its values get strictness too).
  if (catchall && catchall._zod.def.type !== 'never') return { shape, catchall: child(catchall) };
  const known = Object.keys(shape);
  const ownError = def.error as ((issue: z.core.$ZodRawIssue) => unknown) | undefined;
  return {
    shape,
    catchall: catchall ?? z.never(),
    error: (issue: z.core.$ZodRawIssue) =>
      issue.code === 'unrecognized_keys'
        ? unknownKeysMessage(issue.keys as string[], known)
        : ownError?.(issue),
  };
}
