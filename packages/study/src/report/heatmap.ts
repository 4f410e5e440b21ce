import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface HeatmapInput {
  title: string;
  /** [row][column] values; null cells are left blank. */
  matrix: Array<Array<number | null>>;
  legend: string;
  domain: [number, number];
  rowTitle: string;
  columnTitle: string;
  /** Default: 1..n (layers and heads counted from 1, as in the paper's figures). */
  rowLabels?: string[];
  columnLabels?: string[];
  /** Print each value in its cell (small matrices such as correlation tables). */
  annotate?: boolean;
  scheme?: 'viridis' | 'blues' | 'redblue' | 'greys';
}

/**
 * An SVG heat map through Vega-Lite and Vega's headless SVG renderer (no browser, no canvas,
 * no network: the SVG is self-contained). Rows top to bottom, a colour legend, labelled axes.
 */
export async function heatmapSvg(input: HeatmapInput): Promise<string> {
  const rows = input.rowLabels ?? input.matrix.map((_, i) => String(i + 1));
  const columns = input.columnLabels ?? (input.matrix[0] ?? []).map((_, j) => String(j + 1));
  const values = input.matrix.flatMap((row, i) =>
    row.map((value, j) => ({ row: rows[i], column: columns[j], value })),
  );
  const cell = columns.length > 16 ? 14 : 24;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: input.title,
    width: Math.max(120, cell * columns.length),
    height: Math.max(60, cell * rows.length),
    data: { values },
    encoding: {
      x: {
        field: 'column',
        type: 'ordinal',
        sort: columns,
        title: input.columnTitle,
        axis: { labelAngle: 0 },
      },
      y: { field: 'row', type: 'ordinal', sort: rows, title: input.rowTitle },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            title: input.legend,
            scale: { domain: input.domain, scheme: input.scheme ?? 'viridis' },
          },
          tooltip: [
            { field: 'row', title: input.rowTitle },
            { field: 'column', title: input.columnTitle },
            { field: 'value', format: '.3f' },
          ],
        },
      },
      ...(input.annotate
        ? [
            {
              mark: { type: 'text' as const, fontSize: 10 },
              transform: [{ filter: 'isValid(datum.value)' }],
              encoding: {
                text: { field: 'value', type: 'quantitative' as const, format: '.2f' },
                color: { value: 'black' },
              },
            },
          ]
        : []),
    ],
    config: { font: 'sans-serif' },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
