#!/usr/bin/env node
// Gate (c) of MODEL_CARD.md: per relation, the DEP attention probe's best head of a model
// beside two references that need no pretraining, the relation's best fixed word offset
// (scored by the same rule, ROOT rule included) and the best head of a random encoder of the
// same shape. The gate passes when at least --relations relations with --min-arcs arcs clear
// both by --margin points. Prints the Markdown table of MODEL_CARD.md, the verdict on stderr:
//   node packages/model-stem-mini/scripts/relations-beyond-position.mjs \
//     training/probe-dep-ewt-test.json training/probe-dep-ewt-test-random-twin.json
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'min-arcs': { type: 'string', default: '100' },
    margin: { type: 'string', default: '10' },
    relations: { type: 'string', default: '5' },
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
const required = Number(values.relations);
// Results written before the ROOT rule (an arc to ROOT found only when its dependent points at
// [CLS]) carry no ROOT-excluded scores and were scored by the old rule.
const stale = positionals.filter((_, k) => [model, random][k].rootExcluded === undefined);
if (stale.length > 0) {
  console.error(
    `${stale.join(', ')}: scored before the ROOT rule (no rootExcluded): probe again with this stem`,
  );
  process.exit(1);
}
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
const beyond = [];
let rows = 0;
for (const label of model.labels) {
  if (label.count < minArcs) continue;
  rows += 1;
  const offset = offsetRow.offsets[label.label];
  const reference = Math.max(offsetRow.labels[label.label], randomBest.get(label.label) ?? 0);
  const gain = 100 * (label.best.accuracy - reference);
  const clears = gain >= margin;
  if (clears) beyond.push(label.label);
  const mark = (text) => (clears ? `**${text}**` : text);
  lines.push(
    `| ${mark(label.label)} | ${label.count.toLocaleString('en-US')} | ${pct(label.best.accuracy)} (layer ${label.best.layer}, head ${label.best.head}) | ${pct(offsetRow.labels[label.label])} (${offset > 0 ? '+' : ''}${offset}) | ${pct(randomBest.get(label.label) ?? 0)} | ${mark(`${gain >= 0 ? '+' : ''}${gain.toFixed(1)}`)} |`,
  );
}
console.log(lines.join('\n'));
console.error(
  `${beyond.length} of ${rows} relations with ${minArcs}+ arcs clear both references by ${margin} points (${beyond.join(', ')}): gate (c) ${beyond.length >= required ? 'passes' : 'fails'} (${required} required)`,
);
