// Writes UD English-EWT test as tokenised sentences for the DEP attention probe that
// pretrain_mlm.py runs on its checkpoints (a quick look; the gate itself is `stem probe`).
// One JSON object per line: {"ids": [...with [CLS]/[SEP]], "spans": [[first,last],...], "heads": [...]}.
// Usage: node export-probe-sentences.mjs <tokenizer-dir> <out-file>
import { readFile, writeFile } from 'node:fs/promises';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { SubwordTokenizer } from '@stem/encoder-transformer';

const [tokenizerDirectory, out] = process.argv.slice(2);
if (!tokenizerDirectory || !out) {
  console.error('usage: node export-probe-sentences.mjs <tokenizer-dir> <out-file>');
  process.exit(2);
}
const tokenizer = await SubwordTokenizer.fromDirectory(tokenizerDirectory);
const file = udFile('en_ewt', 'test');
const sentences = parseConllu(await readFile(file, 'utf8'), file).sentences.map((s) =>
  conlluToSentence(s),
);
const batch = await tokenizer.tokenize(sentences.map((s) => s.words));
const lines = sentences.map((s, i) =>
  JSON.stringify({
    ids: batch.subwordIds[i],
    spans: batch.wordSpans[i],
    heads: s.annotations.dep.heads,
  }),
);
await writeFile(out, `${lines.join('\n')}\n`);
console.error(`${lines.length} sentences written to ${out}`);
