#!/usr/bin/env node
// Per relation, the DEP attention probe's best head of a model beside two references that
// need no pretraining: the relation's best fixed word offset (scored by the same rule) and the
// best head of a random encoder of the same shape. Prints the Markdown table of MODEL_CARD.md:
//   node packages/model-stem-mini/scripts/relations-beyond-position.mjs \
//     training/probe-dep-ewt-test.json training/probe-dep-ewt-test-random-twin.json
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'min-arcs': { type: 'string', default: '100' },
    margin: { type: 'string', default: '10' },
  },
});
if (positionals.length !== 2) {
  console.error(
    'usage: relations-beyond-position.mjs <model probe-dep.json> <random twin probe-dep.json>',
  );
  process.exit(2);
}
const [model, random] = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')));
const minArcs = Number(values['min-arcs']);
const margin = Number(values.margin);
const offsetRow = model.baselines?.find((b) => b.offsets);
if (!offsetRow) {
  console.error(
    `${positionals[0]} has no per-label offset baseline: probe it again with this stem`,
  );
  process.exit(1);
}
const randomBest = new Map(random.labels.map((l) => [l.label, l.best.accuracy]));
const pct = (v) => (100 * v).toFixed(1);
const lines = [
  '| relation | arcs | stem-mini best head | best fixed offset | random twin best head | margin |',
  '| -------- | ---: | ------------------- | ----------------: | --------------------: | -----: |',
];
let beyond = 0;
let rows = 0;
for (const label of model.labels) {
  if (label.count < minArcs) continue;
  rows += 1;
  const offset = offsetRow.offsets[label.label];
  const reference = Math.max(offsetRow.labels[label.label], randomBest.get(label.label) ?? 0);
  const gain = 100 * (label.best.accuracy - reference);
  const clears = gain >= margin;
  if (clears) beyond += 1;
  const mark = (text) => (clears ? `**${text}**` : text);
  lines.push(
    `| ${mark(label.label)} | ${label.count.toLocaleString('en-US')} | ${pct(label.best.accuracy)} (layer ${label.best.layer}, head ${label.best.head}) | ${pct(offsetRow.labels[label.label])} (${offset > 0 ? '+' : ''}${offset}) | ${pct(randomBest.get(label.label) ?? 0)} | ${mark(`${gain >= 0 ? '+' : ''}${gain.toFixed(1)}`)} |`,
  );
}
console.log(lines.join('\n'));
console.error(
  `${beyond} of ${rows} relations with ${minArcs}+ arcs clear both references by ${margin} points`,
);
