import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ewt5Corpus, parseConllu } from '@stem/data';
import { srlPredictionFormats } from '@stem/task-srl';
import { afterAll, expect, it } from 'vitest';
import { agreementReport, expectAgreement, reportConvention } from '../src/agreement.js';
import {
  conll18Scores,
  conllevalScores,
  evalbScores,
  srlEvalScores,
} from '../src/official-scorers.js';
import { describeWithScorers } from '../src/scorer-suite.js';
import {
  stemBracketScores,
  stemNerScores,
  stemSrlScores,
  stemUdScores,
} from '../src/stem-scores.js';

/** Gold files from real data and perturbed system files (scripts/make-fixtures.mjs). */
const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/committed/${name}`, import.meta.url));

const miniEwt5 = fileURLToPath(new URL('../fixtures/ewt5-mini', import.meta.url));

describeWithScorers('stem metrics agree with the official scorers on committed files', () => {
  afterAll(() => console.log(`scorer agreement, committed files:\n${agreementReport()}`));

  it('POS and DEP agree with the CoNLL 2018 UD scorer (UPOS, XPOS, UAS, LAS)', async () => {
    const [gold, system] = [fixture('ud.gold.conllu'), fixture('ud.system.conllu')];
    const official = await conll18Scores(gold, system);
    const stem = await stemUdScores(gold, system);
    expectAgreement('POS (UD EWT test)', 'UPOS accuracy', stem.upos, official.UPOS);
    expectAgreement('POS (UD EWT test)', 'XPOS accuracy', stem.xpos, official.XPOS);
    expectAgreement('DEP (UD EWT test)', 'uasAll = UAS', stem.uasAll, official.UAS);
    expectAgreement('DEP (UD EWT test)', 'lasConll18 = LAS', stem.lasConll18, official.LAS);
    reportConvention(
      'DEP (UD EWT test)',
      'lasAll',
      stem.lasAll,
      official.LAS,
      'full relation compared (nsubj:pass is not nsubj)',
    );
    // The perturbation drops and adds subtypes: the two conventions must really differ here.
    expect(stem.lasAll).toBeLessThan(stem.lasConll18 - 1);
    expect(official.LAS).toBeLessThan(100);
  });

  it('CON agrees with EVALB (COLLINS.prm)', async () => {
    const [gold, test] = [fixture('con.gold.mrg'), fixture('con.system.mrg')];
    const official = await evalbScores(gold, test);
    const stem = await stemBracketScores(gold, test);
    expect(official.errorSentences).toBe(0);
    expectAgreement('CON (ewt-5 test)', 'bracket precision', stem.precision, official.precision);
    expectAgreement('CON (ewt-5 test)', 'bracket recall', stem.recall, official.recall);
    expectAgreement('CON (ewt-5 test)', 'bracket F1', stem.f1, official.f1);
    expect(official.f1).toBeLessThan(100);
  });

  it('SRL: conll05-f1 agrees with srl-eval.pl; the tuple F1 differs by named conventions', async () => {
    const [gold, predicted] = [fixture('srl.gold.props'), fixture('srl.system.props')];
    const official = await srlEvalScores(gold, predicted);
    const stem = await stemSrlScores(gold, predicted);
    expect(official.warnings).not.toMatch(/props do not match/);
    expect(stem.conll05Arguments).toBe(official.correct + official.missed);
    expectAgreement(
      'SRL (ewt-5 test)',
      'conll05-precision',
      stem.conll05Precision,
      official.precision,
    );
    expectAgreement('SRL (ewt-5 test)', 'conll05-recall', stem.conll05Recall, official.recall);
    expectAgreement('SRL (ewt-5 test)', 'conll05-f1', stem.conll05F1, official.f1);
    reportConvention(
      'SRL (ewt-5 test)',
      'f1 (tuples)',
      stem.f1,
      official.f1,
      `C- arguments counted on their own (${stem.arguments} gold vs ${official.correct + official.missed}), frames at non-gold predicates counted as excess`,
    );
    expect(stem.arguments).toBeGreaterThan(stem.conll05Arguments);
  });

  it('SRL props output: the target column from the input LEMMA is what srl-eval.pl pairs on', async () => {
    // Gold frames of the ewt-5 slice written as stem predict writes them from its CoNLL-U
    // input (frames without a lemma of their own), scored against the gold props.
    const input = join(miniEwt5, 'test.conllu');
    const sentences = await new Ewt5Corpus(miniEwt5).read('test');
    const work = await mkdtemp(join(tmpdir(), 'stem-props-'));
    const gold = join(work, 'gold.props');
    await writeFile(gold, srlPredictionFormats[0]!.write(sentences, { task: 'srl', config: {} }));
    const written = (conlluInput: boolean): string =>
      srlPredictionFormats[0]!.write(
        sentences.map((s) => ({
          ...s,
          annotations: { srl: s.annotations.srl!.map(({ lemma: _, ...frame }) => frame) },
        })),
        {
          task: 'srl',
          config: {},
          ...(conlluInput ? { input: { file: input, format: 'conllu', text: conllu } } : {}),
        },
      );
    const conllu = await readFile(input, 'utf8');
    const ud = parseConllu(conllu, input).sentences;
    const frames = sentences.flatMap((s, k) =>
      s.annotations.srl!.map((f) => ({
        propbank: f.lemma,
        ud: ud[k]!.words[f.predicate]!.lemma,
        form: s.words[f.predicate],
      })),
    );
    const fromLemmas = join(work, 'lemmas.props');
    await writeFile(fromLemmas, written(true));
    const fromForms = join(work, 'forms.props');
    await writeFile(fromForms, written(false));
    const mismatches = async (file: string) =>
      (await srlEvalScores(gold, file)).warnings.match(/props do not match/g)?.length ?? 0;
    expect(await mismatches(fromLemmas)).toBe(frames.filter((f) => f.ud !== f.propbank).length);
    expect(await mismatches(fromForms)).toBe(frames.filter((f) => f.form !== f.propbank).length);
    expect(await mismatches(fromLemmas)).toBeLessThan(await mismatches(fromForms));
    const lemmaScores = await srlEvalScores(gold, fromLemmas);
    reportConvention(
      'SRL (props writer)',
      'gold frames, UD LEMMA targets',
      100,
      lemmaScores.f1,
      `${await mismatches(fromLemmas)} of ${frames.length} UD lemmas differ from PropBank's (word forms: ${await mismatches(fromForms)})`,
    );
  });

  it('NER agrees with conlleval', async () => {
    const [gold, predicted] = [fixture('ner.gold.bio'), fixture('ner.system.bio')];
    const stem = await stemNerScores(gold, predicted);
    const official = await conllevalScores(stem.conllevalInput);
    expectAgreement('NER (GUM test)', 'precision', stem.precision, official.precision);
    expectAgreement('NER (GUM test)', 'recall', stem.recall, official.recall);
    expectAgreement('NER (GUM test)', 'F1', stem.f1, official.f1);
    expect(official.f1).toBeLessThan(100);
  });
});
