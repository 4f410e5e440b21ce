import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabeledSpan, Sentence } from '@stem/core';
import { bioToSpans, parseConllu } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPredictions } from '../src/run/prediction-io.js';
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
      expect(ner.scores.f1).toBeGreaterThanOrEqual(0);
      expect(ner.scores.f1).toBeLessThanOrEqual(1);
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

  it('predicts entities into the MISC column (NER=<IOB2 tag>) and as JSON, the same ones', async () => {
    const input = join(work, 'sentences.txt');
    await writeFile(input, 'Ada Lovelace visited London in 1842 .\n\nShe met Charles Babbage .\n');
    const output = join(work, 'predicted.conllu');
    const written = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--output', output],
      env,
    );
    expect(written.code, written.stderr).toBe(0);
    const json = await runStem(['predict', trained.runDirectory, '--input', input, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const predicted = envelope<{ predictions: Sentence[] }>(json).result.predictions;
    expect(predicted.map((s) => s.words.length)).toEqual([7, 5]);
    expect(entitiesOf(await readFile(output, 'utf8'))).toEqual(
      predicted.map((s) => s.annotations.ner),
    );
  });
});

describe('formatPredictions', () => {
  it('writes entities as IOB2 tags in MISC that read back as the same spans', () => {
    const sentences: Sentence[] = [
      {
        id: 'a',
        words: ['Ada', 'Lovelace', 'met', 'Charles', 'Babbage', 'in', 'London'],
        annotations: {
          pos: ['NNP', 'NNP', 'VBD', 'NNP', 'NNP', 'IN', 'NNP'],
          ner: [
            { start: 0, end: 2, label: 'person' },
            { start: 3, end: 5, label: 'person' },
            { start: 6, end: 7, label: 'place' },
          ],
        },
      },
      { id: 'b', words: ['Hello'], annotations: { ner: [] } },
      { id: 'c', words: ['No', 'NER'], annotations: {} },
    ];
    const text = formatPredictions(sentences);
    const rows = text.split('\n').filter((line) => /^\d+\t/.test(line));
    expect(rows[0]!.split('\t')).toEqual([
      '1',
      'Ada',
      '_',
      '_',
      'NNP',
      '_',
      '_',
      '_',
      '_',
      'NER=B-person',
    ]);
    expect(rows[1]!.split('\t')[9]).toBe('NER=I-person');
    expect(rows[7]!.split('\t')[9]).toBe('NER=O');
    // A sentence no NER head touched keeps an empty MISC.
    expect(rows[8]!.split('\t')[9]).toBe('_');
    const back = parseConllu(text, 'p.conllu').sentences.slice(0, 2);
    expect(back.map((s) => bioToSpans(s.words.map((w) => w.misc.slice('NER='.length))))).toEqual(
      sentences.slice(0, 2).map((s) => s.annotations.ner),
    );
  });
});
