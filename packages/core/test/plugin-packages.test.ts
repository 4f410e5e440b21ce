import { describe, expect, it } from 'vitest';
import { installHint, packageProviding } from '../src/plugin/plugin-packages.js';

describe('packageProviding / installHint', () => {
  it('maps the first-party component ids to the package that registers them', () => {
    expect(packageProviding('stem.task.srl.span-ranking.v1')).toBe('@stem/task-srl');
    expect(packageProviding('stem.task.con.crf.v1')).toBe('@stem/task-con');
    expect(packageProviding('stem.task.dep.biaffine.v1')).toBe('@stem/task-dep');
    expect(packageProviding('stem.task.ner.biaffine.v1')).toBe('@stem/task-ner');
    expect(packageProviding('stem.task.pos.softmax.v1')).toBe('@stem/task-pos');
    expect(packageProviding('stem.task.mlm.v1')).toBe('@stem/task-mlm');
    expect(packageProviding('stem.encoder.transformer.v1')).toBe('@stem/encoder-transformer');
    expect(packageProviding('stem.analyzer.probe.attention.v1')).toBe('@stem/analyzer-probe');
    expect(packageProviding('stem.training.head-gates.hard-concrete.v1')).toBe(
      '@stem/analyzer-pruning',
    );
    expect(packageProviding('stem.training.gradient-conflict.v1')).toBe('@stem/analyzer-conflict');
    expect(packageProviding('stem.dataset.ewt-5.v1')).toBe('@stem/data');
  });

  it('knows nothing of other namespaces or of a prefix without its dot', () => {
    expect(packageProviding('example.task.capitalisation.v1')).toBeUndefined();
    expect(packageProviding('stem.task.srlx.v1')).toBeUndefined();
    expect(installHint('acme.task.chunk.v1')).toBeUndefined();
  });

  it('writes the exact command to run', () => {
    expect(installHint('stem.task.srl.span-ranking.v1')).toBe(
      'it is provided by @stem/task-srl: run `stem plugins:add @stem/task-srl`',
    );
  });
});
