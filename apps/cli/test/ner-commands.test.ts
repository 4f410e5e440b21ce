import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabeledSpan, Sentence } from '@stem/core';
import { bioToSpans, parseBio, parseConllu } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

interface Scores {
  primary: string;
  scores: Record<string, number>;
}
interface TrainResult {
  runDirectory: string;
  dev: Record<string, Scores>;
  test: Record<string, Scores>;
}

/** Entities of a CoNLL-U file written by `stem predict`, read back from its MISC `NER=` items. */
function entitiesOf(conllu: string): LabeledSpan[][] {
  return parseConllu(conllu, 'predicted.conllu').sentences.map((s) =>
    bioToSpans(s.words.map((w) => /^NER=(.+)$/.exec(w.misc)?.[1] ?? 'missing')),
  );
}

describe('NER through the CLI (examples/ner-gum-tiny.yaml, a few steps)', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let trained: TrainResult;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-ner-'));
    // The example itself, cut to one epoch of 4 batches on the first GUM sentences.
    const run = await runStem(
      [
        'train',
        '-c',
        'examples/ner-gum-tiny.yaml',
        '--set',
        'tasks.ner.limit.train=64',
        '--set',
        'tasks.ner.limit.dev=40',
        '--set',
        'tasks.ner.limit.test=40',
        '--set',
        'trainer.epochs=1',
        '--set',
        'trainer.maxSentencesPerBatch=16',
        '--set',
        `output.directory=${work}`,
        '--json',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    trained = envelope<TrainResult>(run).result;
  });

  it('trains the example config and scores exact-span F1 against the gum-ner entities', async () => {
    for (const split of ['dev', 'test'] as const) {
      const ner = trained[split].ner!;
      expect(ner.primary).toBe('f1');
      // Exact-span micro scores from their counts (F1 = 2 correct / (gold + predicted)).
      const { correct, gold, predicted } = ner.scores as Record<string, number>;
      expect(correct).toBeLessThanOrEqual(Math.min(gold!, predicted!));
      expect(ner.scores.f1).toBeCloseTo(
        gold! + predicted! > 0 ? (2 * correct!) / (gold! + predicted!) : 0,
        10,
      );
      expect(ner.scores.precision).toBeCloseTo(predicted! > 0 ? correct! / predicted! : 0, 10);
      expect(ner.scores.recall).toBeCloseTo(correct! / gold!, 10);
    }
    // The first 40 dev / test sentences of GUM hold 27 / 19 named entities (gum-ner rule).
    expect(trained.dev.ner!.scores.gold).toBe(27);
    expect(trained.test.ner!.scores.gold).toBe(19);
    expect(trained.test.ner!.scores).toHaveProperty('place.f1');
    const labels = JSON.parse(await readFile(join(trained.runDirectory, 'labels.json'), 'utf8'));
    expect(labels.ner.types).toEqual(expect.arrayContaining(['person', 'place']));
  });

  it('evaluates the best checkpoint with the scores training reported', async () => {
    const run = await runStem(['evaluate', trained.runDirectory, '--split', 'test', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(envelope<{ scores: TrainResult['test'] }>(run).result.scores).toEqual(trained.test);
  });

  it('predicts two-column BIO by default, the same entities as JSON; --format conllu puts them in MISC', async () => {
    const input = join(work, 'sentences.txt');
    await writeFile(input, 'Ada Lovelace visited London in 1842 .\n\nShe met Charles Babbage .\n');
    const json = await runStem(['predict', trained.runDirectory, '--input', input, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const predicted = envelope<{ predictions: Sentence[] }>(json).result.predictions;
    expect(predicted.map((s) => s.words.length)).toEqual([7, 5]);

    const bio = join(work, 'predicted.bio');
    const written = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--output', bio],
      env,
    );
    expect(written.code, written.stderr).toBe(0);
    const back = parseBio(await readFile(bio, 'utf8'), bio);
    expect(back.map((s) => s.tokens.map((t) => t.word))).toEqual(predicted.map((s) => s.words));
    expect(back.map((s) => bioToSpans(s.tokens.map((t) => t.tag)))).toEqual(
      predicted.map((s) => s.annotations.ner),
    );

    const conllu = join(work, 'predicted.conllu');
    const misc = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--format', 'conllu', '--output', conllu],
      env,
    );
    expect(misc.code, misc.stderr).toBe(0);
    expect(entitiesOf(await readFile(conllu, 'utf8'))).toEqual(
      predicted.map((s) => s.annotations.ner),
    );
  });

  it('refuses a --format the task does not declare, naming the task and its formats', async () => {
    const input = join(work, 'one.txt');
    await writeFile(input, 'Hello there\n');
    const cases: Array<[string, RegExp[]]> = [
      [
        'ptb',
        [
          /task "ner" \(stem\.task\.ner[^)]*\) has no prediction format "ptb"/,
          /writes bio, conllu/,
        ],
      ],
      ['pos=conllu', [/the run has no task "pos"/, /its tasks are ner/]],
      [
        'ner=props',
        [/task "ner" \([^)]*\) has no prediction format "props"/, /writes bio, conllu/],
      ],
    ];
    for (const [format, messages] of cases) {
      const run = await runStem(
        ['predict', trained.runDirectory, '--input', input, '--format', format],
        env,
      );
      expect(run.code).not.toBe(0);
      for (const message of messages) expect(run.stderr).toMatch(message);
    }
  });
});
