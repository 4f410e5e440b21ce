/**
 * The campaign loop: for each target, `cases` mutants of its seed files, each classified as
 * parsed, a project error (StemError, ConfigError or DataFormatError naming the file) or an
 * unexplained exception, which is kept with the input that caused it.
 */
import { SeededRandom } from '@stem/core';
import { mutate } from './mutations.mjs';

const PROJECT_ERRORS = new Set(['StemError', 'ConfigError', 'DataFormatError']);

/** Why an exception is not an allowed outcome, or undefined when it is one. */
export function unexplained(error, mention) {
  if (!(error instanceof Error)) return `threw a non-Error: ${String(error)}`;
  if (!PROJECT_ERRORS.has(error.name)) return `${error.name}: ${error.message}`;
  if (!error.message.includes(mention))
    return `${error.name} not naming ${mention}: ${error.message}`;
  return undefined;
}

export async function runCampaign({ targets, names, cases, seed, onCase }) {
  const rows = [];
  const findings = [];
  for (const name of names) {
    const target = targets[name];
    const random = new SeededRandom(seed).fork(name);
    const row = { target: name, cases, parsed: 0, projectErrors: 0, other: 0 };
    for (let n = 0; n < cases; n++) {
      const seedIndex = random.int(target.seeds.length);
      const { bytes, applied } = mutate(target.seeds[seedIndex], random);
      const file = `${name}-case-${n}.txt`;
      const mention = target.mentions ? target.mentions() : file;
      try {
        await target.read(bytes, file, seedIndex);
        row.parsed++;
      } catch (error) {
        const why = unexplained(error, mention);
        if (why === undefined) row.projectErrors++;
        else {
          row.other++;
          findings.push({
            target: name,
            case: n,
            seedIndex,
            mutations: applied,
            why,
            stack: error?.stack,
            bytes,
          });
        }
      }
      onCase?.(name, n);
    }
    rows.push(row);
  }
  return { rows, findings };
}

export function formatTable(rows) {
  const header = ['target', 'cases', 'parsed', 'project errors', 'other exceptions'];
  const body = rows.map((r) => [r.target, r.cases, r.parsed, r.projectErrors, r.other].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-' : '').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
