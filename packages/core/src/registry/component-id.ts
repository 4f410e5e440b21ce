import type { ComponentKind } from './component-kind.js';

/**
 * Registered ids are versioned and namespaced like spaCy's registry names:
 * `<namespace>.<kind>.<name>[.<variant>...].v<major>`, e.g. `stem.task.pos.softmax.v1`.
 * The version is the config/behaviour contract of the component: a change that alters
 * results or the config schema gets a new id, so old configs keep their meaning.
 */
const ID_PATTERN =
  /^([a-z][a-z0-9-]*)\.([a-z]+)\.([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*)\.v([1-9][0-9]*)$/;

export interface ParsedComponentId {
  namespace: string;
  kind: string;
  name: string;
  version: number;
}

export function parseComponentId(id: string): ParsedComponentId | undefined {
  const match = ID_PATTERN.exec(id);
  if (!match) return undefined;
  const [, namespace, kind, name, version] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { namespace, kind, name, version: Number(version) };
}

/** Returns a problem description, or undefined when `id` is a valid id of `kind`. */
export function checkComponentId(id: string, kind: ComponentKind): string | undefined {
  const parsed = parseComponentId(id);
  if (!parsed) {
    return `"${id}" is not a versioned id; expected <namespace>.${kind}.<name>.v<N>, e.g. "stem.${kind}.example.v1"`;
  }
  if (parsed.kind !== kind) {
    return `"${id}" is registered as a ${kind} but its id names the kind "${parsed.kind}"`;
  }
  return undefined;
}
