import type { Sentence, SrlFrame, TreeNode } from '@stem/core';
import { bioToSentence, conlluToSentence, parseBio, parseConllu, parsePtb } from '@stem/data';
import { LabelledBracketF1 } from '@stem/task-con';
import { AttachmentScore } from '@stem/task-dep';
import { SpanF1 } from '@stem/task-ner';
import { TaggingAccuracy } from '@stem/task-pos';
import { SrlMetric, conll05ArgumentKeys, framesByPredicate } from '@stem/task-srl';
import { readText } from './official-scorers.js';
import { readProps } from './props-file.js';

/** stem's metrics on files in the official formats, read with stem's readers; percent. */

async function conlluSentences(file: string): Promise<Sentence[]> {
  return parseConllu(await readText(file), file).sentences.map((s) => conlluToSentence(s));
}

/** POS (task-pos `TaggingAccuracy`, XPOS and UPOS) and DEP (task-dep `AttachmentScore`) of CoNLL-U files. */
export async function stemUdScores(
  gold: string,
  system: string,
): Promise<{
  upos: number;
  xpos: number;
  uasAll: number;
  lasAll: number;
  lasConll18: number;
  las: number;
}> {
  const goldSentences = await conlluSentences(gold);
  const systemSentences = await conlluSentences(system);
  if (goldSentences.length !== systemSentences.length)
    throw new Error(
      `${system}: ${systemSentences.length} sentences where ${gold} has ${goldSentences.length}`,
    );
  const accuracy = (layer: 'pos' | 'upos'): number => {
    const metric = new TaggingAccuracy((s) => s.annotations[layer]);
    metric.update(
      goldSentences,
      systemSentences.map((s) => s.annotations[layer] ?? []),
    );
    return 100 * (metric.result().scores.accuracy ?? NaN);
  };
  const attachment = new AttachmentScore();
  attachment.update(
    goldSentences,
    systemSentences.map((s) => s.annotations.dep ?? { heads: [], relations: [] }),
  );
  const scores = attachment.result().scores;
  return {
    xpos: accuracy('pos'),
    upos: accuracy('upos'),
    uasAll: 100 * scores.uasAll!,
    lasAll: 100 * scores.lasAll!,
    lasConll18: 100 * scores.lasConll18!,
    las: 100 * scores.las!,
  };
}

/** CON (task-con `LabelledBracketF1`) of two PTB files, one tree per line. */
export async function stemBracketScores(
  gold: string,
  test: string,
): Promise<{ precision: number; recall: number; f1: number }> {
  const goldTrees = parsePtb(await readText(gold), gold).map((t) => t.tree);
  const testTrees: TreeNode[] = parsePtb(await readText(test), test).map((t) => t.tree);
  if (goldTrees.length !== testTrees.length)
    throw new Error(`${test}: ${testTrees.length} trees where ${gold} has ${goldTrees.length}`);
  const metric = new LabelledBracketF1();
  metric.update(
    goldTrees.map((con, k) => ({ id: `${gold}:${k + 1}`, words: [], annotations: { con } })),
    testTrees,
  );
  const scores = metric.result().scores;
  return { precision: 100 * scores.precision!, recall: 100 * scores.recall!, f1: 100 * scores.f1! };
}

/** SRL (task-srl `SrlMetric`) of two props files: its tuple scores and its CoNLL-2005 ones. */
export async function stemSrlScores(
  gold: string,
  predicted: string,
): Promise<{
  f1: number;
  arguments: number;
  conll05F1: number;
  conll05Arguments: number;
  conll05Precision: number;
  conll05Recall: number;
  conll05Predicted: number;
}> {
  const goldSentences = readProps(await readText(gold), gold);
  const predictedSentences = readProps(await readText(predicted), predicted);
  if (goldSentences.length !== predictedSentences.length)
    throw new Error(
      `${predicted}: ${predictedSentences.length} sentences where ${gold} has ${goldSentences.length}`,
    );
  const metric = new SrlMetric();
  metric.update(
    goldSentences,
    predictedSentences.map((s) => s.annotations.srl as SrlFrame[]),
  );
  const scores = metric.result().scores;
  return {
    f1: 100 * scores.f1!,
    arguments: scores.arguments!,
    conll05F1: 100 * scores['conll05-f1']!,
    conll05Precision: 100 * scores['conll05-precision']!,
    conll05Recall: 100 * scores['conll05-recall']!,
    conll05Arguments: scores['conll05-arguments']!,
    conll05Predicted: predictedSentences
      .flatMap((sentence, k) => {
        const goldPredicates = new Set(goldSentences[k]!.annotations.srl!.map((f) => f.predicate));
        // srl-eval.pl skips frames at words that are no gold predicate.
        return [...framesByPredicate(sentence.annotations.srl!).values()].filter((f) =>
          goldPredicates.has(f.predicate),
        );
      })
      .reduce((n, frame) => n + conll05ArgumentKeys(frame).length, 0),
  };
}

/**
 * NER (task-ner `SpanF1`) of two IOB2 files with the same words, and the `word gold predicted`
 * lines conlleval reads.
 */
export async function stemNerScores(
  gold: string,
  predicted: string,
): Promise<{
  precision: number;
  recall: number;
  f1: number;
  found: number;
  conllevalInput: string;
}> {
  const goldBio = parseBio(await readText(gold), gold);
  const predictedBio = parseBio(await readText(predicted), predicted);
  if (goldBio.length !== predictedBio.length)
    throw new Error(
      `${predicted}: ${predictedBio.length} sentences where ${gold} has ${goldBio.length}`,
    );
  const lines = goldBio
    .map((g, s) => {
      const p = predictedBio[s]!;
      if (p.tokens.length !== g.tokens.length)
        throw new Error(
          `${predicted}:${p.line}: ${p.tokens.length} words where ${gold}:${g.line} has ${g.tokens.length}`,
        );
      return g.tokens.map((t, i) => `${t.word} ${t.tag} ${p.tokens[i]!.tag}\n`).join('') + '\n';
    })
    .join('');
  const metric = new SpanF1();
  metric.update(
    goldBio.map((s, k) => bioToSentence(s, `${gold}#${k + 1}`)),
    predictedBio.map((s, k) => bioToSentence(s, `${predicted}#${k + 1}`).annotations.ner ?? []),
  );
  const scores = metric.result().scores;
  return {
    precision: 100 * scores.precision!,
    recall: 100 * scores.recall!,
    f1: 100 * scores.f1!,
    found: predictedBio.reduce(
      (n, s) => n + s.tokens.filter((t) => t.tag.startsWith('B-')).length,
      0,
    ),
    conllevalInput: lines,
  };
}
