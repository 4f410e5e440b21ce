import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GumNerCorpus } from '../src/corpora/gum-ner-corpus.js';
import { entityMentions, gumNamedEntities } from '../src/ner/gum-entities.js';
import { isFlat, outermostSpans } from '../src/ner/spans.js';
import { parseConllu } from '../src/readers/conllu.js';
import { GUM_DEV } from './support.js';

const row = (id: number, form: string, upos: string, head: number, misc: string) =>
  `${id}\t${form}\t_\t${upos}\t_\t_\t${head}\tdep\t_\t${misc}`;

// "the Royal Library of the Netherlands and it": a linked organisation with a nested place,
// then a linked pronoun that is not a name, then a lower-case description linked to Athens.
const SENTENCE = [
  row(1, 'the', 'DET', 3, 'Entity=(1-organization-new-cf1-1,2-coref-Royal_Library'),
  row(2, 'Royal', 'PROPN', 3, '_'),
  row(3, 'Library', 'PROPN', 0, '_'),
  row(4, 'of', 'ADP', 6, '_'),
  row(5, 'the', 'DET', 6, 'Entity=(2-place-new-cf2-1-coref-Netherlands'),
  row(6, 'Netherlands', 'PROPN', 3, 'Entity=2)1)'),
  row(7, 'and', 'CCONJ', 8, '_'),
  row(8, 'it', 'PRON', 3, 'Entity=(1-organization-giv:act-cf1-1-coref-Royal_Library)'),
  row(9, 'the', 'DET', 10, 'Entity=(3-place-new-cf3-1-coref-Athens'),
  row(10, 'city', 'NOUN', 3, 'Entity=3)'),
  row(11, 'Cyclone', 'NOUN', 3, 'Entity=(4-event-new-cf4-1-sgl-Cyclone_Phailin'),
  row(12, 'Phailin', 'X', 11, 'Entity=4)'),
].join('\n');

describe('GUM entities', () => {
  const sentence = parseConllu(`# sent_id = t-1\n${SENTENCE}\n`).sentences[0]!;

  it('reads mentions, their types and Wikipedia identities', () => {
    const mentions = entityMentions(sentence);
    expect(mentions.map((m) => [m.start, m.end, m.type, m.identity])).toEqual([
      [4, 6, 'place', 'Netherlands'],
      [0, 6, 'organization', 'Royal_Library'],
      [7, 8, 'organization', 'Royal_Library'],
      [8, 10, 'place', 'Athens'],
      [10, 12, 'event', 'Cyclone_Phailin'],
    ]);
  });

  it('keeps proper-noun-headed or linked capitalised mentions, outermost only', () => {
    expect(gumNamedEntities(sentence)).toEqual([
      { start: 0, end: 6, label: 'organization' },
      { start: 10, end: 12, label: 'event' },
    ]);
  });

  it('reports unbalanced entity brackets at their line', () => {
    const open = parseConllu(`${row(1, 'x', 'PROPN', 0, 'Entity=(1-person-new-cf1-1-sgl')}\n`)
      .sentences[0]!;
    expect(() => entityMentions(open, 'g.conllu')).toThrow(/^g\.conllu:1: entity 1 is still open/);
    const stray = parseConllu(`${row(1, 'x', 'PROPN', 0, 'Entity=5)')}\n`).sentences[0]!;
    expect(() => entityMentions(stray, 'g.conllu')).toThrow(
      /^g\.conllu:1: entity 5 closes but is not open/,
    );
  });

  it('keeps the outermost of nested spans and is always flat', () => {
    expect(
      outermostSpans([
        { start: 2, end: 3, label: 'b' },
        { start: 0, end: 4, label: 'a' },
        { start: 3, end: 6, label: 'c' },
      ]),
    ).toEqual([{ start: 0, end: 4, label: 'a' }]);
  });

  it('gives flat entities on every GUM dev sentence with the GUM types', async () => {
    const parsed = parseConllu(readFileSync(GUM_DEV, 'utf8'), GUM_DEV).sentences;
    expect(parsed.reduce((n, s) => n + entityMentions(s, GUM_DEV).length, 0)).toBeGreaterThan(5000);
    const dev = await new GumNerCorpus().read('dev');
    expect(dev).toHaveLength(1117);
    expect(dev.every((s) => isFlat(s.annotations.ner!))).toBe(true);
    const labels = new Set(dev.flatMap((s) => s.annotations.ner!.map((e) => e.label)));
    expect([...labels]).toEqual(expect.arrayContaining(['person', 'place', 'organization']));
  });
});
