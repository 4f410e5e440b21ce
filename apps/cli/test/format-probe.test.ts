import type { ProbeResult } from '@stem/analyzer-probe';
import { describe, expect, it } from 'vitest';
import { beyondPosition, formatProbeResult, positionalRow } from '../src/probe/format-probe.js';

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
