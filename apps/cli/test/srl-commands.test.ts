import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sentence } from '@stem/core';
import { Ewt5Corpus, framesFromColumns } from '@stem/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';
import { parseProps } from './srl-props-reader.js';

/** The PropBank EWT skeletons packages/data carries (sources/propbank-ewt); skipped without them. */
const PROPBANK_SOURCE = fileURLToPath(
  new URL('../../../packages/data/sources/propbank-ewt/ewt-propbank.tar.gz', import.meta.url),
);

interface TrainResult {
  runDirectory: string;
  dev: Record<string, { primary: string; scores: Record<string, number> }>;
}

describe('stem train / evaluate / predict with SRL on ewt-5', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let corpus: string;
  let trained: TrainResult;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-srl-'));
    corpus = join(work, 'ewt-5');
    const build = await runStem(
      ['data', 'build', 'ewt-5', '--source', PROPBANK_SOURCE, '--out', corpus],
      env,
    );
    expect(build.code, build.stderr).toBe(0);
    // The example config, shrunk to seconds: a 1-layer encoder on a slice of ewt-5.
    const run = await runStem(
      [
        'train',
        '-c',
        join(repositoryRoot, 'examples/srl-ewt5-tiny.yaml'),
        ...[
          `tasks.srl.dataset.path=${corpus}`,
          'tasks.srl.limit.train=48',
          'tasks.srl.limit.dev=16',
          'tasks.srl.limit.test=16',
          'tasks.srl.pairHiddenSizes=[32]',
          'encoder.architecture.layers=1',
          'encoder.architecture.hidden=32',
          'encoder.architecture.heads=2',
          'trainer.epochs=1',
          `output.directory=${join(work, 'runs')}`,
        ].flatMap((setting) => ['--set', setting]),
        '--json',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    trained = envelope<TrainResult>(run).result;
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('trains and evaluates the SRL head, scoring micro F1 and predicate F1', async () => {
    expect(trained.dev.srl?.primary).toBe('f1');
    expect(Object.keys(trained.dev.srl?.scores ?? {})).toEqual(
      expect.arrayContaining(['precision', 'recall', 'f1', 'predicate-f1']),
    );
    const evaluated = await runStem(['evaluate', trained.runDirectory, '--json'], env);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(
      envelope<{ scores: Record<string, { primary: string }> }>(evaluated).result.scores.srl
        ?.primary,
    ).toBe('f1');
  });

  it('predicts frames and writes them as props columns that read back to the same frames', async () => {
    const sentences: Sentence[] = (await new Ewt5Corpus(corpus).read('dev')).slice(0, 6);
    const input = join(work, 'sentences.txt');
    await writeFile(input, sentences.map((s) => s.words.join(' ')).join('\n') + '\n');
    const output = join(work, 'predicted.props');
    const written = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--format', 'props', '--output', output],
      env,
    );
    expect(written.code, written.stderr).toBe(0);
    const asJson = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--json'],
      env,
    );
    expect(asJson.code, asJson.stderr).toBe(0);
    const predictions = envelope<{ predictions: Sentence[] }>(asJson).result.predictions;
    const props = parseProps(await readFile(output, 'utf8'));
    expect(props).toHaveLength(sentences.length);
    props.forEach(({ targets, columns }, s) => {
      const words = sentences[s]!.words;
      expect(targets).toHaveLength(words.length);
      const frames = framesFromColumns({
        argColumns: columns,
        predicateRows: [],
        origin: { file: output, lines: words.map((_, i) => i + 1) },
      });
      expect(frames.map((f) => targets[f.predicate])).toEqual(
        frames.map((f) => words[f.predicate]),
      );
      expect(frames).toEqual(predictions[s]!.annotations.srl);
    });
  });
});
