import { z } from 'zod';
import type { ComponentRegistry } from '../registry/component-registry.js';
import { buildExperimentSchema } from './experiment-schema.js';

/** JSON Schema (draft 2020-12) of experiment configs, for editors (`$schema` in YAML/JSON). */
export function experimentJsonSchema(registry: ComponentRegistry): Record<string, unknown> {
  return z.toJSONSchema(buildExperimentSchema(registry, 'json-schema'), {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
}
