import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ewt5Corpus, normalizeTree, parseBio } from '@stem/data';
import { conPredictionFormats } from '@stem/task-con';
import { srlPredictionFormats } from '@stem/task-srl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agreementReport, expectAgreement, reportConvention } from '../src/agreement.js';
import {
  conll18Scores,
  conllevalScores,
  evalbScores,
  srlEvalScores,
} from '../src/official-scorers.js';
import { readProps } from '../src/props-file.js';
import { describeWithScorers } from '../src/scorer-suite.js';
import { isolatedHome, repositoryRoot, stemJson } from '../src/stem-cli.js';
import {
  stemBracketScores,
  stemNerScores,
  stemSrlScores,
  stemUdScores,
} from '../src/stem-scores.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const ewt5 = join(fixtures, 'ewt5-mini');
const gumNer = join(fixtures, 'gum-ner-mini');

/** MTL-5 on the committed slices with a 1-layer, 32-wide encoder: one epoch of a few steps. */
function tinyConfig(runs: string): unknown {
  const ewt5Dataset = { type: 'stem.dataset.ewt-5.v1', path: ewt5 };
  const limit = { train: 48, dev: 12, test: 24 };
  return {
    name: 'scorer-agreement-tiny',
    seed: 7,
    device: 'wasm',
    encoder: {
      type: 'stem.encoder.transformer.v1',
      architecture: {
        arch: 'bert',
        layers: 1,
        heads: 2,
        hidden: 32,
        maxPositions: 128,
        tokenizer: join(repositoryRoot, 'examples/tokenizers/ewt-wordpiece-8k'),
      },
    },
    tasks: {
      pos: { type: 'stem.task.pos.softmax.v1', dataset: ewt5Dataset, limit },
      dep: { type: 'stem.task.dep.biaffine.v1', dataset: ewt5Dataset, limit },
      con: { type: 'stem.task.con.crf.v1', dataset: ewt5Dataset, limit },
      srl: {
        type: 'stem.task.srl.span-ranking.v1',
        dataset: ewt5Dataset,
        limit,
        pairHiddenSizes: [32],
      },
      ner: {
        type: 'stem.task.ner.biaffine.v1',
        dataset: {
          type: 'stem.dataset.bio.v1',
          path: gumNer,
          train: 'train.bio',
          dev: 'dev.bio',
          test: 'test.bio',
        },
        limit,
      },
    },
    trainer: {
      epochs: 4,
      patience: 4,
      maxSentencesPerBatch: 16,
      maxSubwordsPerBatch: 1024,
      encoderLearningRate: 0.003,
      headLearningRate: 0.005,
    },
    output: { directory: runs },
  };
}

interface PredictResult {
  outputs: Array<{ tasks: string[]; format: string; file: string }>;
}

describeWithScorers('stem predict output of a tiny run agrees with the official scorers', () => {
  let work: string;
  let ewtOutputs: PredictResult['outputs'];
  let nerOutput: string;
  let nerGold: string;
  let runDirectory: string;
  let evaluated: Record<string, { scores: Record<string, number> }>;

  beforeAll(async () => {
    const env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-scorer-agreement-run-'));
    const config = join(work, 'tiny.yaml');
    // JSON is YAML.
    await writeFile(config, JSON.stringify(tinyConfig(join(work, 'runs')), null, 2));
    ({ runDirectory } = await stemJson<{ runDirectory: string }>(['train', '-c', config], env));
    evaluated = (
      await stemJson<{ scores: typeof evaluated }>(
        ['evaluate', runDirectory, '--split', 'test'],
        env,
      )
    ).scores;
    ewtOutputs = (
      await stemJson<PredictResult>(
        [
          'predict',
          runDirectory,
          '--input',
          join(ewt5, 'test.conllu'),
          '--output',
          join(work, 'ewt'),
        ],
        env,
      )
    ).outputs;
    // NER is scored on GUM: its test words, one sentence per line, as plain text.
    nerGold = join(gumNer, 'test.bio');
    const gum = parseBio(await readFile(nerGold, 'utf8'), nerGold);
    const words = join(work, 'gum-test.txt');
    await writeFile(words, gum.map((s) => s.tokens.map((t) => t.word).join(' ')).join('\n') + '\n');
    const gumOutputs = (
      await stemJson<PredictResult>(
        ['predict', runDirectory, '--input', words, '--output', join(work, 'gum')],
        env,
      )
    ).outputs;
    nerOutput = gumOutputs.find((o) => o.tasks.includes('ner'))!.file;
  });

  afterAll(() =>
    console.log(`scorer agreement, stem predict of a tiny run:\n${agreementReport()}`),
  );

  const outputOf = (task: string): string => {
    const output = ewtOutputs.find((o) => o.tasks.includes(task));
    if (!output) throw new Error(`stem predict wrote no output for ${task}`);
    return output.file;
  };

  it('POS and DEP (CoNLL-U) agree with the CoNLL 2018 UD scorer', async () => {
    const gold = join(ewt5, 'test.conllu');
    const official = await conll18Scores(gold, outputOf('dep'));
    const stem = await stemUdScores(gold, outputOf('dep'));
    expect(outputOf('pos')).toBe(outputOf('dep'));
    expectAgreement('POS (stem predict)', 'XPOS accuracy', stem.xpos, official.XPOS);
    expectAgreement('DEP (stem predict)', 'uasAll = UAS', stem.uasAll, official.UAS);
    expectAgreement('DEP (stem predict)', 'lasConll18 = LAS', stem.lasConll18, official.LAS);
    reportConvention(
      'DEP (stem predict)',
      'lasAll',
      stem.lasAll,
      official.LAS,
      'full relation compared',
    );
    // `stem evaluate` scores the same test sentences in process: its CoNLL 2018 LAS is the
    // official one too, and results.json names it.
    expectAgreement(
      'DEP (stem evaluate)',
      'lasConll18 = LAS',
      100 * evaluated.dep!.scores.lasConll18!,
      official.LAS,
    );
    expectAgreement(
      'POS (stem evaluate)',
      'accuracy = XPOS',
      100 * evaluated.pos!.scores.accuracy!,
      official.XPOS,
    );
    const results = await readFile(join(runDirectory, 'results.json'), 'utf8');
    expect(results).toContain('"lasConll18"');
  });

  it('CON (PTB) agrees with EVALB (COLLINS.prm)', async () => {
    const sentences = await new Ewt5Corpus(ewt5).read('test');
    const gold = join(work, 'con.gold.mrg');
    await writeFile(
      gold,
      conPredictionFormats[0]!.write(
        sentences.map((s) => ({ ...s, annotations: { con: normalizeTree(s.annotations.con!)! } })),
        { task: 'con', config: {} },
      ),
    );
    const official = await evalbScores(gold, outputOf('con'));
    const stem = await stemBracketScores(gold, outputOf('con'));
    expect(official.errorSentences).toBe(0);
    expectAgreement('CON (stem predict)', 'bracket F1', stem.f1, official.f1);
  });

  it('SRL (props) agrees with srl-eval.pl; target lemmas that differ from the gold are named', async () => {
    const sentences = await new Ewt5Corpus(ewt5).read('test');
    const gold = join(work, 'srl.gold.props');
    await writeFile(gold, srlPredictionFormats[0]!.write(sentences, { task: 'srl', config: {} }));
    const predicted = outputOf('srl');
    const asWritten = await srlEvalScores(gold, predicted);
    // srl-eval.pl matches a gold and a predicted frame only if their target lemmas are equal;
    // the props writer takes the input's UD LEMMA, which differs from the PropBank lemma
    // for nominal and some verbal predicates (observation / observe). Scoring the predicted
    // columns under the gold targets is the CoNLL-2005 convention the metric follows.
    const goldProps = readProps(await readFile(gold, 'utf8'), gold);
    const predictedProps = readProps(await readFile(predicted, 'utf8'), predicted);
    let lemmaMismatches = 0;
    for (const [s, sentence] of goldProps.entries())
      for (const frame of sentence.annotations.srl ?? []) {
        const other = predictedProps[s]!.annotations.srl!.find(
          (f) => f.predicate === frame.predicate,
        );
        if (other && other.lemma !== frame.lemma) lemmaMismatches += 1;
      }
    const mismatchWarnings = asWritten.warnings.match(/props do not match/g)?.length ?? 0;
    expect(mismatchWarnings).toBe(lemmaMismatches);
    const underGoldTargets = join(work, 'srl.gold-targets.props');
    await writeFile(
      underGoldTargets,
      withGoldTargets(await readFile(gold, 'utf8'), await readFile(predicted, 'utf8')),
    );
    const official = await srlEvalScores(gold, underGoldTargets);
    expect(official.warnings).not.toMatch(/props do not match/);
    const stem = await stemSrlScores(gold, predicted);
    // The counts agree too, so a model that predicts nothing right still tests the path.
    expect(stem.conll05Arguments).toBe(official.correct + official.missed);
    expect(stem.conll05Predicted).toBe(official.correct + official.excess);
    expectAgreement('SRL (stem predict)', 'conll05-f1', stem.conll05F1, official.f1);
    reportConvention(
      'SRL (stem predict)',
      'conll05-f1, props as written',
      stem.conll05F1,
      asWritten.f1,
      `${stem.conll05Predicted} arguments predicted at gold predicates; ${lemmaMismatches} predicted targets carry a UD lemma other than the gold PropBank lemma`,
    );
    reportConvention(
      'SRL (stem predict)',
      'f1 (tuples)',
      stem.f1,
      official.f1,
      'C- arguments on their own, excess frames counted',
    );
  });

  it('NER (BIO) agrees with conlleval', async () => {
    const stem = await stemNerScores(nerGold, nerOutput);
    const official = await conllevalScores(stem.conllevalInput);
    expect(stem.found).toBe(official.found);
    expectAgreement('NER (stem predict)', 'F1', stem.f1, official.f1);
    expectAgreement('NER (stem predict)', 'precision', stem.precision, official.precision);
  });
});

/**
 * Predicted props with the gold target column wherever the gold has a predicate: the
 * predicted argument columns whose predicate is a gold predicate, in gold order.
 */
function withGoldTargets(gold: string, predicted: string): string {
  const blocks = (text: string) =>
    text
      .trimEnd()
      .split(/\n\s*\n/)
      .map((b) => b.split('\n').map((l) => l.trim().split(/\s+/)));
  const goldBlocks = blocks(gold);
  return (
    blocks(predicted)
      .map((rows, s) => {
        const goldRows = goldBlocks[s]!;
        const predictedTargets = rows.flatMap((r, i) => (r[0] === '-' ? [] : [i]));
        const keep = predictedTargets.flatMap((row, k) => (goldRows[row]![0] === '-' ? [] : [k]));
        return rows
          .map((r, i) => {
            const target = r[0] === '-' || goldRows[i]![0] === '-' ? '-' : goldRows[i]![0]!;
            return [target, ...keep.map((k) => r[k + 1]!)].join('\t');
          })
          .join('\n');
      })
      .join('\n\n') + '\n'
  );
}
