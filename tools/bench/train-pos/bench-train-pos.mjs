#!/usr/bin/env node
// Benchmark (not a test): trains the README's example config for one epoch through the real
// CLI and reports training throughput from the run's metrics.ndjson, plus the backend.
//   node tools/bench/train-pos/bench-train-pos.mjs [--config examples/pos-ewt-tiny.yaml] [--epochs 1] [--device wasm]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inRepository, repositoryRoot } from '../repository.mjs';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: inRepository('examples/pos-ewt-tiny.yaml') },
    epochs: { type: 'string', default: '1' },
    device: { type: 'string' },
  },
});
const output = mkdtempSync(join(tmpdir(), 'stem-bench-train-pos-'));
const args = [
  inRepository('apps/cli/bin/run.js'),
  'train',
  '-c',
  // A --config given by the user is relative to where they ran the bench, not the repository.
  resolve(values.config),
  '--set',
  `trainer.epochs=${values.epochs}`,
  '--set',
  `output.directory=${output}`,
  '--json',
];
if (values.device) args.push('--device', values.device);
const started = Date.now();
const envelope = JSON.parse(
  execFileSync(process.execPath, args, {
    cwd: repositoryRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  }),
);
const wallSeconds = (Date.now() - started) / 1000;
const run = join(output, readdirSync(output)[0]);
const events = readFileSync(join(run, 'metrics.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
const start = events.find((e) => e.event === 'start');
const epochs = events.filter((e) => e.event === 'dev');
const report = {
  config: values.config,
  backend: `${manifest.backend.device} (${manifest.backend.package})`,
  host: manifest.host,
  trainSentences: start.tasks.map(
    (t) => `${t.name}: ${t.sentences} sentences, ${t.words} words, ${t.subwords} sub-words`,
  ),
  epochs: epochs.map((e) => ({
    epoch: e.epoch,
    trainSeconds: +e.trainSeconds.toFixed(1),
    wordsPerSecond: Math.round(e.wordsPerSecond),
    subwordsPerSecond: Math.round(e.subwordsPerSecond),
    devScore: +e.score.toFixed(4),
  })),
  wallSeconds: +wallSeconds.toFixed(1),
  test: envelope.result.test,
};
console.log(JSON.stringify(report, null, 2));
