import { readFileSync } from 'node:fs';

/** @stem/core's own version, read from its package.json (used for plugin range checks). */
export const CORE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
