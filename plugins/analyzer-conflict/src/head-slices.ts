import { StemError } from '@stem/core';

/** A gradient read off the device: row-major values with their shape. */
export interface GradientArray {
  shape: readonly number[];
  values: Float32Array;
}

/** Where a head's parameters live among the gradients (keys as `TaskGradients.gradients`). */
export interface HeadLayout {
  layers: number;
  heads: number;
  /** Key templates of the projections, `{layer}` for the layer index, `.weight` / `.bias` appended. */
  names: { query: string; key: string; value: string; output: string };
  /** Keys of [layers, heads] gate weights whose entry (layer, head) joins the slice. */
  gateKeys: readonly string[];
  /** Prefix of config field names in errors, e.g. `trainingComponents.conflict.weights`. */
  configPath: string;
}

/**
 * The gradient keys a layer's slices read: the kernels must exist, biases are taken when
 * present. Used to read only what slicing needs off the device.
 */
export function layoutKeys(layout: HeadLayout): string[] {
  const keys: string[] = [...layout.gateKeys];
  for (let layer = 0; layer < layout.layers; layer++)
    for (const template of Object.values(layout.names)) {
      const base = template.replaceAll('{layer}', String(layer));
      keys.push(`${base}.weight`, `${base}.bias`);
    }
  return keys;
}

/**
 * One head's part of a task gradient, as one vector: the head's output columns of the query,
 * key and value kernels (held [in, heads x headSize]) and of their biases, its input rows of
 * the attention output kernel ([heads x headSize, out]; the output bias is shared by all
 * heads and left out), then its gate entries. The head size is the kernel width / heads.
 */
export function headSlice(
  gradients: Readonly<Record<string, GradientArray>>,
  layout: HeadLayout,
  layer: number,
  head: number,
): Float32Array {
  const parts: Float32Array[] = [];
  for (const projection of ['query', 'key', 'value'] as const) {
    const base = layout.names[projection].replaceAll('{layer}', String(layer));
    const kernel = requireKernel(gradients, layout, projection, base);
    const [rows, width] = kernel.shape as [number, number];
    const size = headSize(layout, projection, base, width);
    const columns = new Float32Array(rows * size);
    for (let r = 0; r < rows; r++)
      columns.set(
        kernel.values.subarray(r * width + head * size, r * width + (head + 1) * size),
        r * size,
      );
    parts.push(columns);
    const bias = gradients[`${base}.bias`];
    if (bias) parts.push(bias.values.slice(head * size, (head + 1) * size));
  }
  const base = layout.names.output.replaceAll('{layer}', String(layer));
  const output = requireKernel(gradients, layout, 'output', base);
  const [inputs, width] = output.shape as [number, number];
  const size = headSize(layout, 'output', base, inputs);
  parts.push(output.values.slice(head * size * width, (head + 1) * size * width));
  for (const key of layout.gateKeys) {
    const gate = gradients[key];
    if (gate) parts.push(Float32Array.of(gate.values[layer * layout.heads + head] as number));
  }
  const slice = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    slice.set(part, offset);
    offset += part.length;
  }
  return slice;
}

function requireKernel(
  gradients: Readonly<Record<string, GradientArray>>,
  layout: HeadLayout,
  projection: keyof HeadLayout['names'],
  base: string,
): GradientArray {
  const kernel = gradients[`${base}.weight`];
  if (!kernel) {
    const known = Object.keys(gradients).slice(0, 6).join(', ');
    throw new StemError(
      `${layout.configPath}.${projection}: the encoder has no trainable weight "${base}.weight" (gradients include: ${known}${Object.keys(gradients).length > 6 ? ', ...' : ''})`,
      `set ${layout.configPath}.${projection} to the key of this encoder's ${projection} projection, "{layer}" standing for the layer index`,
      'CONFIG_INVALID',
    );
  }
  if (kernel.shape.length !== 2)
    throw new StemError(
      `${layout.configPath}.${projection}: "${base}.weight" has shape [${kernel.shape}], expected a matrix`,
      'point the field at the projection kernel, not another weight',
      'CONFIG_INVALID',
    );
  return kernel;
}

function headSize(
  layout: HeadLayout,
  projection: string,
  base: string,
  headsTimesSize: number,
): number {
  if (headsTimesSize % layout.heads !== 0)
    throw new StemError(
      `${layout.configPath}.${projection}: "${base}.weight" spans ${headsTimesSize} head units, not a multiple of the encoder's ${layout.heads} heads`,
      'point the field at the attention projection whose heads are split (query/key/value output, attention output input)',
      'CONFIG_INVALID',
    );
  return headsTimesSize / layout.heads;
}
