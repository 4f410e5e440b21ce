#!/usr/bin/env node
// Flat NER decoding of @stem/task-ner (decodeFlatSpans) on random span-label probability
// tables, as dev evaluation calls it once per sentence. Prints one JSON line per sentence
// length: sentences/s and the mean number of candidate (non-null argmax) spans. Not a test.
//
//   pnpm --filter @stem/core --filter @stem/task-ner build
//   node tools/bench/decoders/bench-ner-decoding.mjs [--labels 19] [--seconds 1] [--null-weight 3]
//
// --null-weight scales the null label's raw score: larger = fewer candidates (trained models
// put most spans on null). Imports the built packages by path: tools/bench is not a workspace member.
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
const { SeededRandom } = await importBuilt('packages/core/dist/index.js');
const { candidateSpans, decodeFlatSpans } = await importBuilt(
  'plugins/task-ner/dist/flat-decoding.js',
);

const { values: args } = parseArgs({
  options: {
    labels: { type: 'string', default: '19' },
    seconds: { type: 'string', default: '1' },
    'null-weight': { type: 'string', default: '3' },
    lengths: { type: 'string', default: '20,50,100' },
  },
});
const labelCount = Number(args.labels);
const seconds = Number(args.seconds);
const nullWeight = Number(args['null-weight']);
const random = new SeededRandom(0);

for (const length of args.lengths.split(',').map(Number)) {
  // A handful of distinct tables, so one lucky table does not decide the number.
  const tables = Array.from({ length: 8 }, () => {
    const values = new Float32Array(length * length * labelCount);
    for (let cell = 0; cell < length * length; cell++) {
      let sum = 0;
      for (let c = 0; c < labelCount; c++) {
        const v = random.next() * (c === 0 ? nullWeight : 1);
        values[cell * labelCount + c] = v;
        sum += v;
      }
      for (let c = 0; c < labelCount; c++) values[cell * labelCount + c] /= sum;
    }
    return { values, length, labelCount };
  });
  const candidates =
    tables.reduce((n, table) => n + candidateSpans(table).length, 0) / tables.length;
  let decoded = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    decodeFlatSpans(tables[decoded % tables.length]);
    decoded += 1;
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(
    JSON.stringify({
      decoder: 'ner-flat',
      words: length,
      labels: labelCount,
      candidates: Math.round(candidates),
      sentencesPerSecond: Math.round(decoded / elapsed),
    }),
  );
}
