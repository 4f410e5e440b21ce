import { installHint } from '../plugin/plugin-packages.js';
import { z } from 'zod';
import { strictSchema } from '../config/strict-schema.js';
import { StemError } from '../errors.js';
import { checkComponentId } from './component-id.js';
import { COMPONENT_KINDS, type ComponentKind } from './component-kind.js';
import type {
  ComponentConfigSchema,
  ProviderInfo,
  RegisteredComponent,
  RegistrationByKind,
  TaskRegistration,
} from './registration.js';

const FORMAT_NAME = /^[a-z][a-z0-9-]*$/;

/** A task's prediction formats must be usable as `--format` values and file extensions. */
function checkPredictionFormats(registration: TaskRegistration, where: string): void {
  const formats = registration.predictionFormats;
  if (formats === undefined) return;
  const hint = 'each prediction format needs a lower-case name, an extension and a write()';
  if (!Array.isArray(formats))
    throw new StemError(
      `${where}: task "${registration.id}" predictionFormats is not an array`,
      hint,
    );
  const seen = new Set<string>();
  for (const format of formats) {
    const name = String(format?.name);
    if (!FORMAT_NAME.test(name) || typeof format.write !== 'function' || !format.extension)
      throw new StemError(
        `${where}: task "${registration.id}" declares a malformed prediction format ${JSON.stringify(name)}`,
        hint,
      );
    if (seen.has(name))
      throw new StemError(
        `${where}: task "${registration.id}" declares prediction format "${name}" twice`,
        hint,
      );
    seen.add(name);
  }
}

/**
 * Every encoder, task, analyzer, dataset and metric factory known to this process, by
 * versioned id. Plugins fill it through a RegistrationFacade; runs look components up by
 * the `type` field of their config.
 */
export class ComponentRegistry {
  private readonly components = new Map<string, RegisteredComponent>();

  register<K extends ComponentKind>(
    kind: K,
    registration: RegistrationByKind[K],
    provider: ProviderInfo,
  ): void {
    const where = `${provider.name}@${provider.version}`;
    if (!registration || typeof registration !== 'object') {
      throw new StemError(`${where} registered a ${kind} that is not an object`);
    }
    const idProblem = checkComponentId(String(registration.id), kind);
    if (idProblem)
      throw new StemError(
        `${where}: ${idProblem}`,
        'rename the component; ids are <namespace>.<kind>.<name>.v<N>',
      );
    const existing = this.components.get(registration.id);
    if (existing) {
      throw new StemError(
        `${where} registers "${registration.id}", already registered by ${existing.provider.name}@${existing.provider.version}`,
        'ids are global: give the new component its own name or a new version suffix',
      );
    }
    if (typeof registration.create !== 'function') {
      throw new StemError(`${where}: ${kind} "${registration.id}" has no create() function`);
    }
    if (kind === 'task') checkPredictionFormats(registration as TaskRegistration, where);
    this.components.set(registration.id, {
      kind,
      registration,
      provider,
      schema: buildSchema(registration.id, registration.configSchema, where),
    } as RegisteredComponent);
  }

  get<K extends ComponentKind>(kind: K, id: string): RegisteredComponent<K> | undefined {
    const component = this.components.get(id);
    return component?.kind === kind ? (component as RegisteredComponent<K>) : undefined;
  }

  /** Looks up a component or explains which ids of that kind exist. */
  require<K extends ComponentKind>(kind: K, id: string): RegisteredComponent<K> {
    const component = this.get(kind, id);
    if (component) return component;
    const known = this.list(kind).map((c) => c.registration.id);
    throw new StemError(
      `unknown ${kind} "${id}"`,
      [
        known.length
          ? `registered ${kind}s: ${known.join(', ')}`
          : `no ${kind} is registered${installHint(id) ? '' : '; install a plugin that provides one (stem plugins:add <package>)'}`,
        installHint(id),
      ]
        .filter(Boolean)
        .join('; '),
    );
  }

  /** Components sorted by kind then id, so output does not depend on hook timing. */
  list<K extends ComponentKind>(kind?: K): RegisteredComponent<K>[] {
    const all = [...this.components.values()].filter((c) => kind === undefined || c.kind === kind);
    return all.sort(
      (a, b) =>
        COMPONENT_KINDS.indexOf(a.kind) - COMPONENT_KINDS.indexOf(b.kind) ||
        a.registration.id.localeCompare(b.registration.id),
    ) as RegisteredComponent<K>[];
  }
}

function buildSchema(id: string, makeSchema: unknown, where: string): ComponentConfigSchema {
  if (typeof makeSchema !== 'function') {
    throw new StemError(`${where}: "${id}" needs configSchema: (z) => z.object({...})`);
  }
  const schema = (makeSchema as (zod: typeof z) => unknown)(z);
  if (!(schema instanceof z.ZodObject)) {
    throw new StemError(
      `${where}: configSchema of "${id}" must return a z.object(...) built with the z it is given`,
    );
  }
  if ('type' in schema.shape) {
    throw new StemError(`${where}: configSchema of "${id}" must not declare "type"; core adds it`);
  }
  // Strict at every depth: a misspelt key in any plugin's section is an error, not ignored.
  return strictSchema(schema.extend({ type: z.literal(id) }));
}
