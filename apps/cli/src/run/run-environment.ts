import type { Config } from '@oclif/core';
import type { PackageVersion, RunEnvironment } from '@stem/core';
import type { StemSession } from '../session/stem-session.js';

/** The process facts a run records: versions of the CLI and every loaded plugin. */
export function runEnvironment(
  config: Config,
  session: StemSession,
  extras: Pick<RunEnvironment, 'progress' | 'log' | 'warn'>,
): RunEnvironment {
  const packages: PackageVersion[] = [
    { name: config.name, version: config.version },
    ...session.plugins.map((p) => ({ name: p.name, version: p.version })),
  ];
  return {
    container: session.container,
    command: process.argv.slice(2),
    packages,
    plugins: session.plugins.map((p) => ({
      name: p.name,
      version: p.version,
      components: p.components,
    })),
    backend: session.backend,
    ...extras,
  };
}
