import { readFile } from 'node:fs/promises';
import { PROBE_RESULT_FORMAT, type ProbeResult } from '@stem/analyzer-probe';
import { StemError } from '@stem/core';

/** A probe-<task>.json, checked to be one (its format tag and label table). */
export async function readProbeResult(file: string): Promise<ProbeResult> {
  let value: ProbeResult;
  try {
    value = JSON.parse(await readFile(file, 'utf8')) as ProbeResult;
  } catch (error) {
    throw new StemError(
      `${file}: cannot read a probe result (${(error as Error).message})`,
      'pass a probe-<task>.json written by stem probe',
      'INPUT_INVALID',
    );
  }
  if (value?.format !== PROBE_RESULT_FORMAT || !Array.isArray(value.labels))
    throw new StemError(
      `${file}: not a probe result (format is ${JSON.stringify(value?.format)}, expected "${PROBE_RESULT_FORMAT}")`,
      'pass a probe-<task>.json written by stem probe',
      'INPUT_INVALID',
    );
  return value;
}
