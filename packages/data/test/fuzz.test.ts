/**
 * Feeds mutated copies of real inputs to every reader: each must either parse or throw a
 * DataFormatError whose message starts with `file:line: `; no other exception may escape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../src/errors.js';
import { gumNamedEntities } from '../src/ner/gum-entities.js';
import { parseBio } from '../src/readers/bio.js';
import { parseConll2012 } from '../src/readers/conll2012.js';
import { parseConllu } from '../src/readers/conllu.js';
import { parsePtb } from '../src/readers/ptb.js';
import { EWT_DEV, FIXTURES, GUM_DEV } from './support.js';

// STEM_FUZZ_MUTANTS raises the count for a longer local hunt.
const MUTANTS_PER_READER = Number(process.env.STEM_FUZZ_MUTANTS ?? 300);
const NOISE = ['(', ')', '*', '\t', ' ', '-', '_', '0', '9', '#', '|', '=', '\n', 'x', '.'];

function mutate(text: string, random: SeededRandom): string {
  const lines = text.split('\n');
  const edits = 1 + random.int(3);
  for (let e = 0; e < edits; e++) {
    if (lines.length === 0) lines.push('');
    const k = random.int(lines.length);
    const line = lines[k]!;
    switch (random.int(7)) {
      case 0:
        lines.splice(k, 1);
        break;
      case 1:
        lines.splice(k, 0, line);
        break;
      case 2: {
        const j = random.int(lines.length);
        [lines[k], lines[j]] = [lines[j]!, line];
        break;
      }
      case 3: {
        const at = random.int(line.length + 1);
        lines[k] = line.slice(0, at) + line.slice(at + 1);
        break;
      }
      case 4: {
        const at = random.int(line.length + 1);
        lines[k] = line.slice(0, at) + NOISE[random.int(NOISE.length)]! + line.slice(at);
        break;
      }
      case 5: {
        const fields = line.split(/(\s+)/);
        fields[2 * random.int(Math.ceil(fields.length / 2))] = NOISE[
          random.int(NOISE.length)
        ]!.repeat(1 + random.int(3));
        lines[k] = fields.join('');
        break;
      }
      default:
        lines.length = Math.max(1, k);
    }
  }
  return lines.join('\n');
}

function firstSentences(file: string, count: number): string {
  return readFileSync(file, 'utf8').split('\n\n').slice(0, count).join('\n\n') + '\n\n';
}

const READERS: Record<string, { text: string; read: (text: string, file: string) => unknown }> = {
  'CoNLL-U': { text: firstSentences(EWT_DEV, 6), read: (text, file) => parseConllu(text, file) },
  'GUM entities': {
    text: firstSentences(GUM_DEV, 6),
    read: (text, file) => parseConllu(text, file).sentences.map((s) => gumNamedEntities(s, file)),
  },
  'CoNLL-2012 gold_conll': {
    text: readFileSync(
      join(FIXTURES, 'conll2012/train/data/english/annotations/nw/wsj/00/wsj_0001.v4_gold_conll'),
      'utf8',
    ),
    read: (text, file) => parseConll2012(text, file),
  },
  'CoNLL-2012 gold_skel': {
    text: readFileSync(join(FIXTURES, 'propbank/weblog-sample.gold_skel'), 'utf8'),
    read: (text, file) => parseConll2012(text, file, { layout: 'propbank' }),
  },
  PTB: {
    text: '(TOP (S (NP-SBJ (DT The) (NN cat))\n  (VP (VBD sat) (PP (IN on) (NP (DT the) (NN mat))))\n  (. .)))\n( (S (NP (-NONE- *)) (VP (VB Go))))\n',
    read: (text, file) => parsePtb(text, file),
  },
  BIO: {
    text: '-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\nGerman JJ B-MISC\ncall NN O\n\nPeter\tNNP\tB-PER\nBlackburn\tNNP\tI-PER\n',
    read: (text, file) => parseBio(text, file),
  },
};

describe('fuzzed readers', () => {
  it.each(Object.keys(READERS))(
    '%s: every mutant parses or raises a file:line DataFormatError',
    (name) => {
      const { text, read } = READERS[name]!;
      expect(() => read(text, 'base')).not.toThrow();
      const random = new SeededRandom(20211107).fork(name);
      let failures = 0;
      for (let n = 0; n < MUTANTS_PER_READER; n++) {
        const mutant = mutate(text, random);
        try {
          read(mutant, 'mutant.txt');
        } catch (error) {
          failures++;
          if (!(error instanceof DataFormatError) || !/^mutant\.txt:\d+: \S/.test(error.message)) {
            throw new Error(`mutant ${n} raised ${String(error)}\n--- input ---\n${mutant}`);
          }
        }
      }
      // The mutations must actually break things often, or the test proves nothing.
      expect(failures).toBeGreaterThan(MUTANTS_PER_READER / 5);
    },
  );
});
