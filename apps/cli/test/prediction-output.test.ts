import type { Sentence } from '@stem/core';
import { parseConllu } from '@stem/data';
import { depPredictionFormats } from '@stem/task-dep';
import { nerPredictionFormats } from '@stem/task-ner';
import { posPredictionFormats } from '@stem/task-pos';
import { describe, expect, it } from 'vitest';
import {
  chooseFormats,
  groupOutputs,
  outputFileOf,
  writeGroup,
  type PredictingTask,
} from '../src/run/prediction-output.js';
import { JSON_LINES_PREDICTION_FORMAT } from '@stem/core';

const pos: PredictingTask = {
  name: 'pos',
  id: 'stem.task.pos.softmax.v1',
  config: { tagSet: 'xpos' },
  formats: posPredictionFormats,
};
const dep: PredictingTask = {
  name: 'dep',
  id: 'stem.task.dep.biaffine.v1',
  config: {},
  formats: depPredictionFormats,
};
const ner: PredictingTask = {
  name: 'ner',
  id: 'stem.task.ner.biaffine.v1',
  config: {},
  formats: nerPredictionFormats,
};
const tasks = [pos, dep, ner];

const names = (requested: string[]) =>
  groupOutputs(chooseFormats(tasks, requested)).map(
    (g) => `${g.tasks.map((t) => t.task.name).join('+')}:${g.format.name}`,
  );

describe('stem predict output planning (MTL)', () => {
  it("uses each task's first format; same-name CoNLL-U outputs share one file", () => {
    expect(names([])).toEqual(['pos+dep:conllu', 'ner:bio']);
    expect(names(['conllu'])).toEqual(['pos+dep+ner:conllu']);
    expect(names(['ner=conllu'])).toEqual(['pos+dep+ner:conllu']);
    // task=format wins over a bare name for that task.
    expect(names(['conllu', 'ner=bio'])).toEqual(['pos+dep:conllu', 'ner:bio']);
    const groups = groupOutputs(chooseFormats(tasks, []));
    expect(groups.map((g) => outputFileOf('out/pred', g, groups.length))).toEqual([
      'out/pred.pos+dep.conllu',
      'out/pred.ner.bio',
    ]);
    expect(outputFileOf('one.conllu', groups[0]!, 1)).toBe('one.conllu');
  });

  it('names every task and its formats when no task declares the format', () => {
    expect(() => chooseFormats(tasks, ['ptb'])).toThrow(
      /no task of the run has a prediction format "ptb"/,
    );
    try {
      chooseFormats(tasks, ['ptb']);
    } catch (error) {
      expect((error as { hint?: string }).hint).toMatch(
        /task "pos" \(stem\.task\.pos\.softmax\.v1\) writes conllu; task "dep" .* writes conllu; task "ner" .* writes bio, conllu/,
      );
    }
    expect(() => chooseFormats(tasks, ['srl=props'])).toThrow(/the run has no task "srl"/);
    expect(() => chooseFormats(tasks, ['dep=bio'])).toThrow(
      /task "dep" \(stem\.task\.dep\.biaffine\.v1\) has no prediction format "bio"/,
    );
  });

  it('writes POS, DEP and NER into one CoNLL-U, keeping the rest of the input', () => {
    const input = [
      '# sent_id = s1',
      "# text = Don't go",
      "1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_",
      '1\tDo\tdo\tAUX\t_\tMood=Imp\t_\t_\t_\t_',
      "2\tn't\tnot\tPART\t_\t_\t_\t_\t_\t_",
      '3\tgo\tgo\tVERB\t_\t_\t_\t_\t_\tSpaceAfter=No',
      '',
      '',
    ].join('\n');
    const predicted: Sentence[] = [
      {
        id: 's1',
        words: ['Do', "n't", 'go'],
        annotations: {
          pos: ['VB', 'RB', 'VB'],
          dep: { heads: [3, 3, 0], relations: ['aux', 'advmod', 'root'] },
          ner: [],
        },
      },
    ];
    const [group] = groupOutputs(chooseFormats(tasks, ['conllu']));
    const text = writeGroup(group!, predicted, {
      file: 'in.conllu',
      format: 'conllu',
      text: input,
    });
    expect(text.split('\n')).toEqual([
      '# sent_id = s1',
      "# text = Don't go",
      "1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_",
      '1\tDo\tdo\tAUX\tVB\tMood=Imp\t3\taux\t_\tNER=O',
      "2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\tNER=O",
      '3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No|NER=O',
      '',
      '',
    ]);
    expect(parseConllu(text).sentences[0]!.words.map((w) => w.head)).toEqual([3, 3, 0]);
  });

  it('falls back to JSON lines for a task that declares no format', () => {
    const plain: PredictingTask = {
      name: 'mine',
      id: 'acme.task.mine.v1',
      config: {},
      formats: [JSON_LINES_PREDICTION_FORMAT],
    };
    const [group] = groupOutputs(chooseFormats([plain], []));
    const sentences: Sentence[] = [{ id: 'a', words: ['x'], annotations: { pos: ['X'] } }];
    const text = writeGroup(group!, sentences, { file: 'in.txt', format: 'text', text: 'x\n' });
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual(sentences);
  });
});
