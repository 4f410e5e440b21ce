import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVICE_CHOICES, readConfigFile, type DeviceChoice } from '@stem/core';

/**
 * The `device` a config asks for, read before validation: the backend must be chosen
 * before plugins register (they receive its tf), and validation needs the plugins. Read with
 * core's config loader (overrides and `${...}` as validation sees them); any problem here is
 * left for validation to report properly.
 */
export async function deviceOfConfig(
  file: string,
  overrides: readonly string[],
): Promise<DeviceChoice | undefined> {
  try {
    return validDevice((await readConfigFile(file, { overrides })).data.device);
  } catch {
    return undefined;
  }
}

/** The device recorded in a run's manifest (for resume, evaluate, predict). */
export async function deviceOfRun(runDirectory: string): Promise<DeviceChoice | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(runDirectory, 'manifest.json'), 'utf8')) as {
      config?: { device?: unknown };
    };
    return validDevice(manifest.config?.device);
  } catch {
    return undefined;
  }
}

function validDevice(value: unknown): DeviceChoice | undefined {
  return (DEVICE_CHOICES as readonly unknown[]).includes(value)
    ? (value as DeviceChoice)
    : undefined;
}
