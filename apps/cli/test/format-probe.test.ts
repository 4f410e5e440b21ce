import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareProbeResults, type ProbeResult } from '@stem/analyzer-probe';
import { describe, expect, it } from 'vitest';
import {
  beyondPosition,
  formatComparison,
  formatProbeResult,
  positionalRow,
} from '../src/probe/format-probe.js';
import { readProbeResult } from '../src/probe/read-probe-result.js';

/** A hand-made 2 x 2 attention probe result; `best` is [accuracy, layer, head] per label. */
function result(
  labels: Record<string, { count: number; best: [number, number, number]; offset: number }>,
  withOffsets = true,
): ProbeResult {
  const entries = Object.entries(labels);
  return {
    format: 'stem.probe-result.v1',
    probe: 'attention',
    task: 'dep',
    split: 'test',
    layers: 2,
    heads: 2,
    sentences: 4,
    skipped: {},
    items: entries.reduce((n, [, l]) => n + l.count, 0),
    labels: entries.map(([label, l]) => ({
      label,
      count: l.count,
      accuracy: [
        [0, 0],
        [0, 0],
      ],
      best: { accuracy: l.best[0], layer: l.best[1], head: l.best[2] },
    })),
    weightedAccuracy: [
      [0, 0],
      [0, 0],
    ],
    bestHead: { layer: 0, head: 0, accuracy: 0 },
    macroBestAccuracy: 0,
    baselines: [
      { name: 'previous word', accuracy: 0.3, labels: {} },
      ...(withOffsets
        ? [
            {
              name: 'best fixed offset per label',
              accuracy: 0.5,
              labels: Object.fromEntries(entries.map(([label, l]) => [label, l.offset])),
              offsets: Object.fromEntries(entries.map(([label]) => [label, -1])),
            },
          ]
        : []),
    ],
  };
}

describe('stem probe output: heads beyond position', () => {
  const probe = result({
    det: { count: 30, best: [0.8, 0, 1], offset: 0.5 },
    amod: { count: 30, best: [0.55, 1, 1], offset: 0.5 },
    orphan: { count: 5, best: [1, 0, 0], offset: 0 },
    obj: { count: 25, best: [0.6, 1, 0], offset: 0.5 },
  });

  it('lists labels of 20+ items whose best head is 10+ points above their best offset, largest first', () => {
    const beyond = beyondPosition(probe, positionalRow(probe)!);
    expect(beyond.map((b) => b.label)).toEqual(['det', 'obj']);
    expect(beyond[0]!.margin).toBeCloseTo(0.3, 12);
    expect(formatProbeResult(probe)).toContain(
      'labels (of 20+ items) with a head 10+ points above their best fixed offset: det L1H2 (+30.0), obj L2H1 (+10.0)',
    );
    // Per-label rows carry the reference and its offset.
    expect(formatProbeResult(probe)).toMatch(/det\s+30\s+L1H2\s+80\.00\s+50\.00 \(-1\)/);
  });

  it('says so when no label clears it, and says nothing without the per-label reference', () => {
    const flat = result({ det: { count: 30, best: [0.55, 0, 1], offset: 0.5 } });
    expect(formatProbeResult(flat)).toContain(
      'no label (of 20+ items) has a head 10+ points above its best fixed offset',
    );
    const old = result({ det: { count: 30, best: [0.8, 0, 1], offset: 0.5 } }, false);
    expect(positionalRow(old)).toBeUndefined();
    expect(formatProbeResult(old)).not.toContain('fixed offset');
  });
});

describe('stem probe output: ROOT-excluded accuracy', () => {
  const labels = {
    det: { count: 30, best: [0.8, 0, 1] as [number, number, number], offset: 0.5 },
    root: { count: 10, best: [0.6, 1, 0] as [number, number, number], offset: 0 },
  };
  /** As stem probe writes it now: 30 of the 40 arcs have a word as head. */
  const withRootExcluded = (): ProbeResult => {
    const probe = result(labels);
    probe.bestHead = { layer: 1, head: 0, accuracy: 0.45 };
    probe.rootExcluded = {
      items: 30,
      weightedAccuracy: [
        [0.2, 0.8],
        [0.4, 0.1],
      ],
      bestHead: { layer: 0, head: 1, accuracy: 0.8 },
    };
    probe.baselines![0]!.rootExcludedAccuracy = 0.4;
    probe.baselines![1]!.rootExcludedAccuracy = 0.5;
    return probe;
  };

  it('prints the best head and each baseline over the arcs whose head is a word', () => {
    const text = formatProbeResult(withRootExcluded());
    expect(text).toContain('best head overall: L2H1 45.00%');
    expect(text).toContain('ROOT excluded (30 arcs whose head is a word): best head L1H2 80.00%');
    expect(text).toContain('baseline "previous word": 30.00% (ROOT excluded: 40.00%)');
    expect(text).toContain(
      'baseline "best fixed offset per label": 50.00% (ROOT excluded: 50.00%)',
    );
  });

  it('still reads and prints a result written before the ROOT-excluded fields', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stem-old-probe-'));
    const file = join(folder, 'probe-dep.json');
    await writeFile(file, JSON.stringify(result(labels)));
    const old = await readProbeResult(file);
    expect(old.rootExcluded).toBeUndefined();
    const text = formatProbeResult(old);
    expect(text).toContain('baseline "previous word": 30.00%\n');
    expect(text).not.toContain('ROOT excluded');
  });

  it('stem probe compare: best head over all items and without ROOT, "-" for an old result', () => {
    const comparison = compareProbeResults([
      { name: 'old', result: result(labels) },
      { name: 'new', result: withRootExcluded() },
    ]);
    expect(comparison.bestHead).toEqual([0, 0.45]);
    expect(comparison.rootExcluded).toEqual([null, 0.8]);
    const lines = formatComparison(comparison).split('\n');
    expect(lines[0]).toContain('no ROOT = over the arcs whose head is a word');
    // Label column 9 wide ("best head"), count 7, each result's column 9.
    expect(lines).toContain('best head                0.00      45.00');
    expect(lines).toContain('no ROOT                     -      80.00');
    // Results without the field at all: no such row.
    const plain = compareProbeResults([{ name: 'old', result: result(labels) }]);
    expect(plain.rootExcluded).toBeUndefined();
    expect(formatComparison(plain)).not.toContain('no ROOT');
  });
});
