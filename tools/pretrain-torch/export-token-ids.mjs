// Tokenises a plain-text corpus (train.txt / dev.txt / test.txt: one sentence per line, blank
// lines between documents) with stem's own sub-word tokenizer, so a pretraining run outside
// Node sees exactly the ids stem will feed the encoder. Writes, per split:
//   <split>.ids.u16   sub-word ids of every sentence, no special tokens (uint16, little-endian)
//   <split>.sent.u32  cumulative end offset of each sentence in the ids
//   <split>.doc.u32   cumulative end index of each document in the sentences
// Usage: node export-token-ids.mjs <corpus-dir> <tokenizer-dir> <out-dir>
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePlainText } from '@stem/data';
import { SubwordTokenizer } from '@stem/encoder-transformer';

const [corpus, tokenizerDirectory, out] = process.argv.slice(2);
if (!corpus || !tokenizerDirectory || !out) {
  console.error('usage: node export-token-ids.mjs <corpus-dir> <tokenizer-dir> <out-dir>');
  process.exit(2);
}
const tokenizer = await SubwordTokenizer.fromDirectory(tokenizerDirectory);
if (tokenizer.vocabSize > 65535) throw new Error('vocabulary too large for uint16 ids');
await mkdir(out, { recursive: true });
const summary = { tokenizer: tokenizerDirectory, vocabSize: tokenizer.vocabSize, splits: {} };
for (const split of ['train', 'dev', 'test']) {
  const file = join(corpus, `${split}.txt`);
  const documents = parsePlainText(await readFile(file, 'utf8'), file);
  const ids = [];
  const sentenceEnds = [];
  const documentEnds = [];
  const chunk = 2000;
  for (const document of documents) {
    for (let i = 0; i < document.sentences.length; i += chunk) {
      const batch = await tokenizer.tokenize(document.sentences.slice(i, i + chunk));
      for (const sentence of batch.subwordIds) {
        // Drop the [CLS] and [SEP] the tokenizer adds: packing places them.
        for (let k = 1; k < sentence.length - 1; k++) ids.push(sentence[k]);
        sentenceEnds.push(ids.length);
      }
    }
    documentEnds.push(sentenceEnds.length);
  }
  await writeFile(join(out, `${split}.ids.u16`), Buffer.from(Uint16Array.from(ids).buffer));
  await writeFile(
    join(out, `${split}.sent.u32`),
    Buffer.from(Uint32Array.from(sentenceEnds).buffer),
  );
  await writeFile(
    join(out, `${split}.doc.u32`),
    Buffer.from(Uint32Array.from(documentEnds).buffer),
  );
  summary.splits[split] = {
    documents: documents.length,
    sentences: sentenceEnds.length,
    words: documents.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.length, 0), 0),
    subwords: ids.length,
  };
  console.error(`${split}: ${JSON.stringify(summary.splits[split])}`);
}
await writeFile(join(out, 'tokens.json'), `${JSON.stringify(summary, null, 2)}\n`);
