import type { HeadAttention } from '@stem/encoder-transformer';
import { headGridSvg, legendSvg, sharedDomain, type ColourScale } from '@stem/study';
import {
  gatesSetting,
  probeSetting,
  type HeadExplorer,
  type ViewSetting,
} from './head-explorer.js';

type Matrix = Array<Array<number | null>>;

/** An inline SVG map with its legend and what its colours measure. */
export interface DrawnGrid {
  what: string;
  svg: string;
  legend: string;
}

const emptyMatrix = (layers: number, heads: number): Matrix =>
  Array.from({ length: layers }, () => Array.from({ length: heads }, () => null));

function meanOf(matrices: readonly number[][][], layers: number, heads: number): Matrix {
  return emptyMatrix(layers, heads).map((row, l) =>
    row.map((_, h) => {
      const values = matrices
        .map((m) => m[l]?.[h])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    }),
  );
}

/**
 * The heads of one setting as the report draws them (layer rows, head columns, counted from 1):
 * coloured by the mean probe accuracy over the tasks probed there, else by the pruning gates,
 * else grey. The page picks a head by clicking its cell.
 */
export function settingGrid(explorer: HeadExplorer, setting: ViewSetting): DrawnGrid {
  const { layers, heads, study, directory } = explorer;
  const probes = study.probes.filter((p) => probeSetting(directory.root, p) === setting.id);
  const gates = study.gates.find((g) => gatesSetting(directory.root, g) === setting.id);
  let matrix: Matrix;
  let scale: ColourScale;
  let what: string | undefined;
  if (probes.length > 0) {
    matrix = meanOf(
      probes.map((p) => p.result.weightedAccuracy),
      layers,
      heads,
    );
    // The legend is narrow: the tasks averaged go in `what`, beside it.
    scale = { kind: 'sequential', domain: sharedDomain([matrix]), label: 'probe accuracy (mean)' };
    what = `probe accuracy, mean over ${probes.map((p) => p.result.task).join(', ')}`;
  } else if (gates) {
    matrix = meanOf([gates.gates], layers, heads);
    scale = { kind: 'greys', domain: [0, 1], label: 'pruning gate (black = kept)' };
  } else {
    matrix = emptyMatrix(layers, heads);
    scale = { kind: 'sequential', domain: [0, 1], label: 'no per-head results here' };
  }
  return {
    what: what ?? scale.label,
    svg: headGridSvg({ label: `${setting.name}: ${what ?? scale.label}`, matrix, scale, cell: 26 }),
    legend: legendSvg(scale, 'setting'),
  };
}

/**
 * One head's word-level attention as a map: rows are the query words, columns the words they
 * attend to (numbered, the word in each cell's tooltip), each cell annotated with its weight.
 */
export function attentionGrid(units: readonly string[], head: HeadAttention): DrawnGrid {
  const scale: ColourScale = {
    kind: 'sequential',
    domain: [0, 1],
    label: 'attention weight (query row to key column)',
  };
  const label = `layer ${head.layer + 1} head ${head.head + 1}: attention of each word (row) to each word (column)`;
  return {
    what: scale.label,
    svg: headGridSvg({
      label,
      matrix: head.attention,
      scale,
      rowLabels: units.map((unit, i) => `${i} ${unit}`),
      columnLabels: units.map((_, i) => `${i}`),
      tooltip: (_, key) => `to ${units[key] ?? ''}`,
      annotate: true,
      cell: 30,
    }),
    legend: legendSvg(scale, 'attention'),
  };
}
