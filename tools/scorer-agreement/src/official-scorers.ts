import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The official scorers beside the checkout (../shared/scorers); tests only, never the product. */
export const SCORERS_DIRECTORY =
  process.env.STEM_SCORERS_DIR ??
  fileURLToPath(new URL('../../../../shared/scorers', import.meta.url));

const scorerFiles = {
  conll18: 'conll18_ud_eval/conll18_ud_eval.py',
  evalb: 'evalb/evalb.c',
  srlEval: 'srl_eval/standalone/srl-eval.pl',
  conlleval: 'conlleval/conlleval',
} as const;

async function hasCommand(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/** Why the official scorers cannot run here, or undefined when they can. */
export async function missingScorers(): Promise<string | undefined> {
  if (!existsSync(SCORERS_DIRECTORY))
    return `official scorers not found at ${SCORERS_DIRECTORY} (set STEM_SCORERS_DIR)`;
  for (const file of Object.values(scorerFiles))
    if (!existsSync(join(SCORERS_DIRECTORY, file)))
      return `official scorer ${file} missing under ${SCORERS_DIRECTORY}`;
  for (const command of ['python3', 'perl', 'make', 'cc'])
    if (!(await hasCommand(command))) return `${command} is not installed`;
  return undefined;
}

/** Percent numbers of the CoNLL 2018 UD scorer (`-v`): F1 of UPOS, XPOS, UAS, LAS. */
export async function conll18Scores(
  gold: string,
  system: string,
): Promise<{ UPOS: number; XPOS: number; UAS: number; LAS: number }> {
  const { stdout } = await run('python3', [
    join(SCORERS_DIRECTORY, scorerFiles.conll18),
    '-v',
    gold,
    system,
  ]);
  const f1 = (metric: string): number => {
    const m = new RegExp(
      `^${metric}\\s*\\|\\s*[\\d.]+\\s*\\|\\s*[\\d.]+\\s*\\|\\s*([\\d.]+)`,
      'm',
    ).exec(stdout);
    if (!m) throw new Error(`conll18_ud_eval.py printed no ${metric} line:\n${stdout}`);
    return Number(m[1]);
  };
  return { UPOS: f1('UPOS'), XPOS: f1('XPOS'), UAS: f1('UAS'), LAS: f1('LAS') };
}

let evalbBinary: Promise<string> | undefined;

/** Builds EVALB once per process in a temporary copy (the shared folder stays untouched). */
function buildEvalb(): Promise<string> {
  evalbBinary ??= (async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-evalb-'));
    await cp(join(SCORERS_DIRECTORY, 'evalb'), directory, { recursive: true });
    await run('make', ['-C', directory, 'evalb']);
    return directory;
  })();
  return evalbBinary;
}

/** EVALB with COLLINS.prm, "-- All --" summary: bracketing recall, precision, F-measure (percent). */
export async function evalbScores(
  gold: string,
  test: string,
): Promise<{ recall: number; precision: number; f1: number; errorSentences: number }> {
  const directory = await buildEvalb();
  const { stdout } = await run(
    join(directory, 'evalb'),
    ['-p', join(directory, 'COLLINS.prm'), gold, test],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const all = stdout.slice(stdout.indexOf('-- All --'));
  const number = (label: string): number => {
    const m = new RegExp(`${label}\\s*=\\s*([\\d.]+)`).exec(all);
    if (!m) throw new Error(`EVALB printed no "${label}" in its summary:\n${all}`);
    return Number(m[1]);
  };
  return {
    recall: number('Bracketing Recall'),
    precision: number('Bracketing Precision'),
    f1: number('Bracketing FMeasure'),
    errorSentences: number('Number of Error sentence'),
  };
}

/** srl-eval.pl's "Overall" line: correct, excess, missed, precision, recall, F1 (percent). */
export async function srlEvalScores(
  gold: string,
  predicted: string,
): Promise<{
  correct: number;
  excess: number;
  missed: number;
  precision: number;
  recall: number;
  f1: number;
  warnings: string;
}> {
  const { stdout, stderr } = await run('perl', [
    join(SCORERS_DIRECTORY, scorerFiles.srlEval),
    gold,
    predicted,
  ]);
  const m = /^\s*Overall\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/m.exec(stdout);
  if (!m) throw new Error(`srl-eval.pl printed no Overall line:\n${stdout}\n${stderr}`);
  const [correct, excess, missed, precision, recall, f1] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { correct, excess, missed, precision, recall, f1, warnings: stderr };
}

/**
 * conlleval on "word gold predicted" lines (IOB tags), blank line between sentences:
 * overall precision, recall, FB1 (percent) and the phrase counts.
 */
export async function conllevalScores(lines: string): Promise<{
  precision: number;
  recall: number;
  f1: number;
  gold: number;
  found: number;
  correct: number;
}> {
  const directory = await mkdtemp(join(tmpdir(), 'stem-conlleval-'));
  const input = join(directory, 'input.txt');
  await writeFile(input, lines);
  const { stdout } = await run('sh', [
    '-c',
    `perl "${join(SCORERS_DIRECTORY, scorerFiles.conlleval)}" < "${input}"`,
  ]);
  const counts = /with (\d+) phrases; found: (\d+) phrases; correct: (\d+)/.exec(stdout);
  const overall = /precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)/.exec(stdout);
  if (!counts || !overall) throw new Error(`conlleval printed no totals:\n${stdout}`);
  return {
    gold: Number(counts[1]),
    found: Number(counts[2]),
    correct: Number(counts[3]),
    precision: Number(overall[1]),
    recall: Number(overall[2]),
    f1: Number(overall[3]),
  };
}

/** The text of a file, for messages. */
export const readText = (file: string): Promise<string> => readFile(file, 'utf8');
