import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeModel, writeOverlap, writeProbe, probeResult, writeRun } from './study-fixtures.js';

// Gates of the pruning runs, [layer][head] for 4 layers x 2 heads (1e-3 is the keep threshold).
// A gate strictly between 0 and 1 is undecided: the run did not converge.
const GATES: Record<string, number[][][]> = {
  // Kept: L2H1 + L3H1 (0.0011 > 1e-3), then L2H1 only (0.0009 is not kept): 2/8 and 1/8.
  // Both runs have one undecided gate: pos has no converged run.
  pos: [
    [
      [0, 0],
      [1, 0],
      [0.0011, 0],
      [0, 0],
    ],
    [
      [0, 0],
      [1, 0],
      [0.0009, 0],
      [0, 0],
    ],
  ],
  // L1H1 + L2H1 + L3H1 twice, L2H1 + L3H1 + L4H1 once: 3/8 each; L1H1 kept by 2 of 3 runs.
  dep: [
    [
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 0],
    ],
    [
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 0],
    ],
    [
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ],
  ],
  // L2H1 + L3H1 in both runs: 2/8; the first run has one undecided gate (0.0005, not kept).
  ner: [
    [
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 0.0005],
    ],
    [
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 0],
    ],
  ],
};
const MTL_DP_GATES = [
  [1, 0],
  [1, 1],
  [1, 0],
  [0, 0],
];

/**
 * A complete small study on an encoder that passed its gates: STL runs (pos 2 seeds, dep 2,
 * ner 1 finished + 1 unfinished), MTL-3 (2 seeds), STL-DP per task, one MTL-DP run, static /
 * STL / MTL probes, overlap.json, and a study.json that raises NER's learning floor to 0.75.
 */
export async function writeFullStudy(root: string): Promise<string> {
  await writeModel(join(root, 'models', 'good'), { passed: [true, true, true] });
  // Relative, as a config names it: found from the folders above the runs.
  const encoder = { path: 'models/good', weights: 'pretrained' };
  const study = join(root, 'study');
  await mkdir(study, { recursive: true });
  await writeFile(
    join(study, 'study.json'),
    JSON.stringify({ format: 1, name: 'test', config: { learningFloors: { ner: 0.75 } } }),
  );
  const runs = join(study, 'runs');
  const run = (name: string) => join(runs, name);
  const stl: Array<[string, number, Record<string, number>]> = [
    ['pos-s1', 1, { pos: 0.9 }],
    ['pos-s2', 2, { pos: 0.94 }],
    ['dep-s1', 1, { dep: 0.8 }],
    ['dep-s2', 2, { dep: 0.84 }],
    ['ner-s1', 1, { ner: 0.7 }],
    ['mtl-s1', 1, { pos: 0.88, ner: 0.6, dep: 0.83 }],
    ['mtl-s2', 2, { pos: 0.9, ner: 0.64, dep: 0.85 }],
  ];
  for (const [name, seed, scores] of stl)
    await writeRun({ directory: run(name), seed, scores, encoder });
  await writeRun({
    directory: run('ner-s2'),
    seed: 2,
    scores: { ner: undefined },
    encoder,
    finished: false,
  });
  const pruning: Array<{ source: string; tasks: string[]; seed: number; gates: number[][] }> = [];
  for (const [task, runsOfTask] of Object.entries(GATES))
    for (const [k, gates] of runsOfTask.entries()) {
      const directory = run(`${task}-dp-s${k + 1}`);
      // Pruning runs score low: they must not count as STL.
      await writeRun({ directory, seed: k + 1, scores: { [task]: 0.1 }, encoder, gates });
      pruning.push({ source: directory, tasks: [task], seed: k + 1, gates });
    }
  const mtlDp = run('mtl-dp-s1');
  await writeRun({
    directory: mtlDp,
    seed: 1,
    scores: { pos: 0.1, ner: 0.1, dep: 0.1 },
    encoder,
    gates: MTL_DP_GATES,
  });
  pruning.push({ source: mtlDp, tasks: ['pos', 'ner', 'dep'], seed: 1, gates: MTL_DP_GATES });
  await writeOverlap(join(study, 'overlap', 'overlap.json'), pruning);

  const inRun = (name: string, task: string, folder = 'probe') =>
    join(run(name), 'analyses', folder, `probe-${task}.json`);
  const ofRun = (name: string) => ({
    model: run(name),
    kind: 'run',
    dataset: 'stem.dataset.ud-ewt.v1',
  });
  const staticSource = { model: 'models/good', kind: 'static', dataset: 'stem.dataset.ud-ewt.v1' };
  await writeProbe(
    join(study, 'probes', 'static', 'probe-pos.json'),
    probeResult('pos', { NN: 0.5, DT: 0.7 }, staticSource),
  );
  await writeProbe(
    join(study, 'probes', 'static', 'probe-dep.json'),
    probeResult('dep', { root: 0.4, nsubj: 0.4 }, staticSource),
  );
  await writeProbe(
    inRun('pos-s1', 'pos'),
    probeResult('pos', { NN: 0.95, DT: 0.85 }, ofRun('pos-s1')),
  );
  // The same run probed by its config's analyzer too: counted once (stem probe's result).
  await writeProbe(inRun('pos-s1', 'pos', 'probe-pos'), probeResult('pos', { NN: 0.1, DT: 0.1 }));
  // Outside the run, naming it relative to the study folder (as stem study does).
  await writeProbe(
    join(study, 'probes', 'pos-s2', 'probe-pos.json'),
    probeResult('pos', { NN: 0.9, DT: 0.82 }, { model: 'runs/pos-s2', kind: 'run' }),
  );
  await writeProbe(
    inRun('mtl-s1', 'pos'),
    probeResult('pos', { NN: 0.6, DT: 0.8 }, ofRun('mtl-s1')),
  );
  await writeProbe(
    inRun('mtl-s2', 'pos'),
    probeResult('pos', { NN: 0.64, DT: 0.84 }, ofRun('mtl-s2')),
  );
  await writeProbe(
    inRun('dep-s1', 'dep'),
    probeResult('dep', { root: 0.5, nsubj: 0.4 }, ofRun('dep-s1')),
  );
  // A probe of a pruning run is not an STL probe.
  await writeProbe(
    inRun('pos-dp-s1', 'pos'),
    probeResult('pos', { NN: 0.99, DT: 0.99 }, ofRun('pos-dp-s1')),
  );
  return study;
}
