import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stemMiniDirectory, stemMiniQualityGatesFile } from '../index.js';

interface Gate {
  id: string;
  requirement: string;
  passed: boolean;
  result: string;
  measured: Record<string, number>;
}

interface QualityGates {
  format: string;
  model: string;
  passed: boolean;
  weights: { file: string; sha256: string };
  gates: Gate[];
}

const packageFile = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));
const card = readFileSync(packageFile('MODEL_CARD.md'), 'utf8');
const json = JSON.parse(readFileSync(stemMiniQualityGatesFile, 'utf8')) as QualityGates;
const gate = (id: string): Gate => {
  const found = json.gates.find((g) => g.id === id);
  if (!found) throw new Error(`quality-gates.json has no gate (${id})`);
  return found;
};

/** The card's row of gate `id` in its "Quality gates" table. */
function cardRow(id: string): string {
  const row = card.split('\n').find((line) => line.startsWith(`| (${id}) `));
  if (!row) throw new Error(`MODEL_CARD.md has no row for gate (${id})`);
  return row;
}

/** The numbers a card row states after `pattern`'s words, in order. */
function numbersIn(text: string, pattern: RegExp): number[] {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${pattern} in: ${text.slice(0, 200)}`);
  return match.slice(1).map((v) => Number(v.replace(/,/g, '')));
}

const cardVerdict = (id: string): boolean => {
  const row = cardRow(id);
  if (row.includes('**passes')) return true;
  if (row.includes('**fails')) return false;
  throw new Error(`MODEL_CARD.md's row of gate (${id}) says neither passes nor fails`);
};

interface ProbeFile {
  items: number;
  labels: Array<{
    label: string;
    count: number;
    best: { layer: number; head: number; accuracy: number };
  }>;
  bestHead: { layer: number; head: number; accuracy: number };
  baselines: Array<{
    name: string;
    accuracy: number;
    rootExcludedAccuracy?: number;
    labels: Record<string, number>;
    offsets?: Record<string, number>;
  }>;
  rootExcluded?: { items: number; bestHead: { layer: number; head: number; accuracy: number } };
}

/** Gate (c): 10 points over both references on 5 relations of 100+ EWT test arcs. */
const GATE_C_MARGIN_POINTS = 10;
const GATE_C_RELATIONS = 5;
const GATE_C_MIN_ARCS = 100;

const probeFile = (name: string) =>
  JSON.parse(readFileSync(packageFile(`training/${name}`), 'utf8')) as ProbeFile;
const model = probeFile('probe-dep-ewt-test.json');
const random = probeFile('probe-dep-ewt-test-random-twin.json');
const offsetRow = (file: ProbeFile) =>
  file.baselines.find((b) => b.name === 'best fixed offset per label')!;

/**
 * Per relation of GATE_C_MIN_ARCS+ arcs (most frequent first): stem-mini's best head minus the
 * larger of the relation's best fixed offset and the random twin's best head, in points.
 */
function relationMargins(): Array<{ label: string; gain: number }> {
  const offsets = offsetRow(model);
  const twin = new Map(random.labels.map((l) => [l.label, l.best.accuracy]));
  return model.labels
    .filter((l) => l.count >= GATE_C_MIN_ARCS)
    .map((l) => ({
      label: l.label,
      gain: 100 * (l.best.accuracy - Math.max(offsets.labels[l.label]!, twin.get(l.label)!)),
    }));
}

describe('quality-gates.json agrees with MODEL_CARD.md and the files the gates were measured from', () => {
  it('names the card and the format the report reads, and its overall verdict is every gate passing', () => {
    expect(json.format).toBe('stem.quality-gates.v1');
    expect(json.model).toBe('stem-mini');
    expect(json.gates.map((g) => g.id)).toEqual(['a', 'b', 'c']);
    expect(json.passed).toBe(json.gates.every((g) => g.passed));
    expect(card).toContain('model/quality-gates.json');
  });

  it('gate (a): the dev loss, unigram entropy and masked accuracy of the card and of run 2', () => {
    const [loss, entropy, accuracy] = numbersIn(
      cardRow('a'),
      /([\d.]+) nats vs ([\d.]+) \(unigram entropy\); masked accuracy ([\d.]+)%/,
    );
    const measured = gate('a').measured;
    expect(measured['devLossNats']).toBe(loss);
    expect(measured['unigramEntropyNats']).toBe(entropy);
    expect(measured['devMaskedAccuracyPercent']).toBe(accuracy);
    expect(gate('a').passed).toBe(cardVerdict('a'));
    // Rounded from the pretraining run's own summary (the shipped run, 2).
    const summary = JSON.parse(
      readFileSync(packageFile('training/run-2.summary.json'), 'utf8'),
    ) as {
      unigram_entropy: number;
      best: { dev_loss: number; dev_accuracy: number };
    };
    expect(loss).toBe(Number(summary.best.dev_loss.toFixed(3)));
    expect(entropy).toBe(Number(summary.unigram_entropy.toFixed(3)));
    expect(accuracy).toBe(Number((100 * summary.best.dev_accuracy).toFixed(1)));
  });

  it('gate (b): the four POS accuracies of the card, and pass = both margins reach 2 points', () => {
    const [miniDev, miniTest, randomDev, randomTest] = numbersIn(
      cardRow('b'),
      /stem-mini ([\d.]+) dev \/ ([\d.]+) test vs random ([\d.]+) \/ ([\d.]+)/,
    );
    const measured = gate('b').measured;
    expect(measured).toMatchObject({
      stemMiniDevPercent: miniDev,
      stemMiniTestPercent: miniTest,
      randomDevPercent: randomDev,
      randomTestPercent: randomTest,
      requiredMarginPoints: 2,
    });
    const required = measured['requiredMarginPoints']!;
    const passes = miniDev! - randomDev! >= required && miniTest! - randomTest! >= required;
    expect(gate('b').passed).toBe(passes);
    expect(gate('b').passed).toBe(cardVerdict('b'));
  });

  it('gate (c): recomputed per relation from the two probe files, under the ROOT rule', () => {
    const measured = gate('c').measured;
    expect(measured).toMatchObject({
      requiredMarginPoints: GATE_C_MARGIN_POINTS,
      requiredRelations: GATE_C_RELATIONS,
      minimumArcs: GATE_C_MIN_ARCS,
    });
    // Both files were scored under the ROOT rule: they carry the ROOT-excluded scores, and no
    // offset reaches [CLS], so the per-label positional row finds no root arc.
    for (const file of [model, random]) {
      expect(file.rootExcluded).toBeDefined();
      expect(offsetRow(file).labels['root']).toBe(0);
    }
    const margins = relationMargins();
    const clearing = margins.filter((m) => m.gain >= GATE_C_MARGIN_POINTS);
    expect(measured).toMatchObject({
      arcs: model.items,
      relationsWithAtLeast100Arcs: margins.length,
      relationsBeyondPositionAndRandom: clearing.length,
      relationsBeyondPositionAndRandomList: clearing.map((m) => m.label),
    });
    const passes = clearing.length >= GATE_C_RELATIONS;
    expect(gate('c').passed).toBe(passes);
    expect(gate('c').passed).toBe(cardVerdict('c'));
    const [cleared, of, required] = numbersIn(
      cardRow('c'),
      /\*\*passes on (\d+) of the (\d+) relations\*\* \((\d+) required\)/,
    );
    expect([cleared, of, required]).toEqual([clearing.length, margins.length, GATE_C_RELATIONS]);
    // The margins the card and the JSON quote, in the table's order.
    const signed = (gain: number) => `${gain >= 0 ? '+' : ''}${gain.toFixed(1)}`;
    expect(cardRow('c')).toContain(
      clearing.map((m) => `\`${m.label}\` ${signed(m.gain)}`).join(', '),
    );
    expect(gate('c').result).toContain(
      clearing.map((m) => `${m.label} ${signed(m.gain)}`).join(', '),
    );
    const withoutRoot = clearing.filter((m) => m.label !== 'root').length;
    expect(cardRow('c')).toContain(`${withoutRoot} relations without \`root\``);
  });

  it('gate (c): the all-arcs and ROOT-excluded numbers of the card, the JSON and the probe file', () => {
    const [arcs, best, layer, head, previous, bestRootExcluded, previousRootExcluded, wordArcs] =
      numbersIn(
        cardRow('c'),
        /over all ([\d,]+) arcs of EWT test the best head finds ([\d.]+)% \(layer (\d+), head (\d+)\) against the previous word's ([\d.]+)% \(([\d.]+)% vs ([\d.]+)% on the ([\d,]+) arcs whose head is a word\)/,
      );
    const pct = (value: number) => Number((100 * value).toFixed(2));
    const baseline = (name: string) => model.baselines.find((b) => b.name === name)!;
    expect(arcs).toBe(model.items);
    expect(best).toBe(pct(model.bestHead.accuracy));
    expect([layer, head]).toEqual([model.bestHead.layer, model.bestHead.head]);
    expect(previous).toBe(pct(baseline('previous word').accuracy));
    expect(bestRootExcluded).toBe(pct(model.rootExcluded!.bestHead.accuracy));
    expect(previousRootExcluded).toBe(pct(baseline('previous word').rootExcludedAccuracy!));
    expect(wordArcs).toBe(model.rootExcluded!.items);
    // The card counts layers and heads from 0 (as probe-result files do); the JSON from 1.
    expect(gate('c').measured).toMatchObject({
      bestHeadPercent: best,
      bestHeadLayer: layer! + 1,
      bestHeadHead: head! + 1,
      previousWordBaselinePercent: previous,
      nextWordBaselinePercent: pct(baseline('next word').accuracy),
      rootExcludedArcs: wordArcs,
      rootExcludedBestHeadPercent: bestRootExcluded,
      rootExcludedPreviousWordPercent: previousRootExcluded,
    });
  });

  it('belongs to the shipped weights: their sha256 is the one it records', () => {
    const weights = readFileSync(join(stemMiniDirectory, json.weights.file));
    expect(createHash('sha256').update(weights).digest('hex')).toBe(json.weights.sha256);
  });
});

describe("MODEL_CARD.md's per-relation view of gate (c)", () => {
  const section = card.slice(card.indexOf('### Gate (c) per relation'));
  const rows = section
    .slice(0, section.indexOf('\n### ', 5))
    .split('\n')
    .filter((line) => /^\| \**[a-z]/.test(line) && !line.startsWith('| relation'));
  const bold = rows.map((line) => line.startsWith('| **'));
  const cells = rows.map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/\*\*/g, '')),
  );

  it('lists every relation with 100+ arcs, each row recomputed from the two probe files', () => {
    const offsets = offsetRow(model);
    const twin = new Map(random.labels.map((l) => [l.label, l.best.accuracy]));
    const frequent = model.labels.filter((l) => l.count >= GATE_C_MIN_ARCS);
    expect(cells.map((r) => r[0])).toEqual(frequent.map((l) => l.label));
    let clearing = 0;
    frequent.forEach((label, k) => {
      const [, arcs, best, offset, randomBest, margin] = cells[k]!;
      const reference = Math.max(offsets.labels[label.label]!, twin.get(label.label)!);
      const gain = 100 * (label.best.accuracy - reference);
      if (gain >= GATE_C_MARGIN_POINTS) clearing += 1;
      expect(Number(arcs!.replace(/,/g, ''))).toBe(label.count);
      expect(best).toBe(
        `${(100 * label.best.accuracy).toFixed(1)} (layer ${label.best.layer}, head ${label.best.head})`,
      );
      const shift = offsets.offsets![label.label]!;
      expect(offset).toBe(
        `${(100 * offsets.labels[label.label]!).toFixed(1)} (${shift > 0 ? '+' : ''}${shift})`,
      );
      expect(randomBest).toBe((100 * twin.get(label.label)!).toFixed(1));
      expect(Number(margin)).toBeCloseTo(gain, 1);
      // Bold exactly where the margin is 10 points or more.
      expect(bold[k]).toBe(gain >= GATE_C_MARGIN_POINTS);
    });
    expect(section).toContain(`${clearing} of the ${frequent.length} relations clear both`);
    // quality-gates.json (which every report quotes) carries the same counts.
    expect(gate('c').measured).toMatchObject({
      relationsWithAtLeast100Arcs: frequent.length,
      relationsBeyondPositionAndRandom: clearing,
    });
    expect(gate('c').result).toContain(
      `${clearing} of the ${frequent.length} relations with 100+ arcs have a head 10+ points above both`,
    );
  });

  it('says how often the random twin clears its own offset reference', () => {
    const offsets = offsetRow(random);
    const clearing = random.labels.filter(
      (l) =>
        l.count >= GATE_C_MIN_ARCS &&
        100 * (l.best.accuracy - offsets.labels[l.label]!) >= GATE_C_MARGIN_POINTS,
    );
    // root's offset reference is 0 by construction (no offset points at [CLS]).
    expect(clearing.map((l) => l.label)).toEqual(['root', 'list']);
    expect(offsets.labels['root']).toBe(0);
    expect(section.replace(/\s+/g, ' ')).toContain(
      'two relations only: `root` (by construction) and `list`',
    );
  });
});

describe("MODEL_CARD.md's check that the probe sees heads that training makes", () => {
  it('quotes the study-cpu run: static and STL DEP best heads against the previous word', () => {
    const probeOf = (path: string) =>
      JSON.parse(readFileSync(packageFile(`../../docs/study-cpu/${path}`), 'utf8')) as {
        items: number;
        sentences: number;
        bestHead: { layer: number; head: number; accuracy: number };
        baselines: Array<{ name: string; accuracy: number }>;
      };
    const pct = (v: number) => (100 * v).toFixed(1);
    const stl = [1, 2, 3].map((s) => probeOf(`runs/stl-dep-s${s}/analyses/probe/probe-dep.json`));
    const start = probeOf('probes/static/probe-dep.json');
    const previous = stl[0]!.baselines.find((b) => b.name === 'previous word')!.accuracy;
    const text = card.replace(/\s+/g, ' ');
    expect(text).toContain(
      `${start.sentences} EWT test sentences, ${start.items.toLocaleString('en-US')} arcs`,
    );
    expect(text).toContain(
      `from ${pct(start.bestHead.accuracy)}% (layer ${start.bestHead.layer}, head ${start.bestHead.head}, as here)`,
    );
    expect(text).toContain(
      `to ${stl.map((p) => pct(p.bestHead.accuracy)).join(' / ')}% (layer ${stl[0]!.bestHead.layer}, head ${stl[0]!.bestHead.head}; seeds 1 / 2 / 3) against the previous word's ${pct(previous)}%`,
    );
    // Every seed's best head is the same one.
    for (const p of stl)
      expect(p.bestHead).toMatchObject({
        layer: stl[0]!.bestHead.layer,
        head: stl[0]!.bestHead.head,
      });
    const margins = stl.map((p) => 100 * (p.bestHead.accuracy - previous));
    const [low, high] = [Math.min(...margins), Math.max(...margins)].map(Math.round);
    expect(low).toBeGreaterThan(0);
    expect(text).toContain(`${low}-${high} points over that baseline`);
  });
});
