import { basename, dirname } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { compareProbeResults, type ProbeComparison } from '@stem/analyzer-probe';
import { StemError } from '@stem/core';
import { StemCommand } from '../../base-command.js';
import { formatComparison } from '../../probe/format-probe.js';
import { readProbeResult } from '../../probe/read-probe-result.js';

export default class ProbeCompare extends StemCommand<typeof ProbeCompare> {
  static override summary =
    'Per-label best-head accuracy of several probe results of one task, with deltas to the first (static vs STL vs MTL).';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> probe compare probes/bert/probe-pos.json runs/pos-stl/analyses/probe/probe-pos.json runs/mtl5/analyses/probe/probe-pos.json --name static --name STL --name MTL-5',
  ];
  static override args = {
    results: Args.string({ required: true, description: 'probe-<task>.json files (two or more).' }),
  };
  static override flags = {
    name: Flags.string({
      multiple: true,
      description: 'Column names, in the order of the files (default: the folder above each file).',
    }),
  };

  async run(): Promise<ProbeComparison> {
    const { argv, flags } = await this.parse(ProbeCompare);
    const files = argv as string[];
    if (files.length < 2)
      throw new StemError(
        'give at least two probe results to compare',
        'e.g. stem probe compare static.json stl.json',
        'USAGE',
      );
    if (flags.name && flags.name.length !== files.length)
      throw new StemError(
        `${flags.name.length} --name values for ${files.length} files`,
        'give one --name per file, or none',
        'USAGE',
      );
    // One file after the other, so that of several bad files the first is the one reported.
    const results = [];
    for (const [k, file] of files.entries())
      results.push({
        name: flags.name?.[k] ?? columnName(file),
        result: await readProbeResult(file),
      });
    let comparison: ProbeComparison;
    try {
      comparison = compareProbeResults(results);
    } catch (error) {
      throw new StemError(
        (error as Error).message,
        'compare probe results of the same --task',
        'USAGE',
      );
    }
    if (!this.jsonEnabled()) this.log(formatComparison(comparison));
    return comparison;
  }
}

function columnName(file: string): string {
  const folder = basename(dirname(file));
  // <run>/analyses/probe/probe-x.json: the run's folder names it better than "probe".
  return folder === 'probe' ? basename(dirname(dirname(dirname(file)))) : folder;
}
