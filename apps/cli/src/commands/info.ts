import { COMPONENT_KINDS, CORE_VERSION, predictionFormatsOf } from '@stem/core';
import { StemCommand } from '../base-command.js';
import {
  formatNativeStatus,
  nativeTensorflowStatus,
  type NativeTensorflowStatus,
} from '../backend/native-tensorflow.js';

export interface InfoResult {
  cli: { name: string; version: string };
  core: string;
  node: string;
  backend: Awaited<ReturnType<StemCommand<typeof Info>['session']>>['backend'];
  /** tfjs-node-gpu, then tfjs-node: in use, or why not and what would enable it. */
  nativeTensorflow: NativeTensorflowStatus[];
  plugins: Array<{ name: string; version: string; coreRange?: string; components: string[] }>;
  components: Record<
    string,
    Array<{
      id: string;
      description: string;
      plugin: string;
      pluginVersion: string;
      /** Tasks only: what `stem predict --format` accepts, the default first. */
      predictionFormats?: string[];
    }>
  >;
}

export default class Info extends StemCommand<typeof Info> {
  static override summary =
    'Show the compute backend and every registered encoder, task, analyzer and dataset.';
  static override examples = [
    '<%= config.bin %> info',
    '<%= config.bin %> info --json',
    '<%= config.bin %> info --device wasm',
  ];

  async run(): Promise<InfoResult> {
    const session = await this.session();
    const components = Object.fromEntries(
      COMPONENT_KINDS.map((kind) => [
        kind === 'training' ? 'trainingComponents' : `${kind}s`,
        session.registry.list(kind).map((c) => ({
          id: c.registration.id,
          description: c.registration.description,
          plugin: c.provider.name,
          pluginVersion: c.provider.version,
          ...(c.kind === 'task'
            ? {
                predictionFormats: predictionFormatsOf(
                  c.registration as Parameters<typeof predictionFormatsOf>[0],
                ).map((f) => f.name),
              }
            : {}),
        })),
      ]),
    );
    const result: InfoResult = {
      cli: { name: this.config.name, version: this.config.version },
      core: CORE_VERSION,
      node: process.version,
      backend: session.backend,
      nativeTensorflow: nativeTensorflowStatus(session.backend),
      plugins: session.plugins,
      components,
    };
    if (!this.jsonEnabled()) this.log(formatInfo(result));
    return result;
  }
}

function formatInfo(info: InfoResult): string {
  const lines = [
    `stem ${info.cli.version} (core ${info.core}, node ${info.node})`,
    `backend: ${info.backend.device} (${info.backend.package}, tfjs ${info.backend.tfjsVersion})`,
  ];
  const native = info.backend.nativeKernels;
  if (native)
    lines.push(
      native.active
        ? `  native kernels: on (${native.kernels.join(', ')}; ${native.threads} threads; ${native.blas})`
        : `  native kernels: off (${native.reason ?? 'unknown reason'})`,
    );
  // The native packages get a line each, skipped or not; other skipped devices keep core's reason.
  for (const status of info.nativeTensorflow) lines.push(`  ${formatNativeStatus(status)}`);
  for (const skipped of info.backend.skipped)
    if (!info.nativeTensorflow.some((status) => status.device === skipped.device))
      lines.push(`  skipped ${skipped.device}: ${skipped.reason}`);
  for (const [kind, entries] of Object.entries(info.components)) {
    lines.push(`${kind}:${entries.length === 0 ? ' none' : ''}`);
    const width = Math.max(0, ...entries.map((e) => e.id.length));
    for (const entry of entries)
      lines.push(
        `  ${entry.id.padEnd(width)}  ${entry.plugin}@${entry.pluginVersion}  ${entry.description}` +
          (entry.predictionFormats ? ` [predict: ${entry.predictionFormats.join(', ')}]` : ''),
      );
  }
  lines.push(`plugins: ${info.plugins.map((p) => `${p.name}@${p.version}`).join(', ') || 'none'}`);
  return lines.join('\n');
}
