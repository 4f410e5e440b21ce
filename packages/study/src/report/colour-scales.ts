/**
 * Colour scales of the report's inline SVG maps, as plain functions of a value (no charting
 * dependency, so the page needs nothing but itself). Each returns a CSS colour.
 */

type Rgb = [number, number, number];

/** Viridis at five stops: dark for low, yellow for high, readable in grey and by most colour-blind readers. */
const SEQUENTIAL: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
/** Blue (negative) through near-white (zero) to red (positive). */
const DIVERGING: Rgb[] = [
  [33, 102, 172],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [178, 24, 43],
];
/** White (0) to black (1): the overlap views' "black = kept". */
const GREYS: Rgb[] = [
  [255, 255, 255],
  [0, 0, 0],
];

export type ScaleKind = 'sequential' | 'diverging' | 'greys';

export interface ColourScale {
  kind: ScaleKind;
  domain: [number, number];
  /** What the colour measures, shown beside the legend. */
  label: string;
}

const hex = (rgb: Rgb) =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

function interpolate(stops: readonly Rgb[], t: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(position));
  const f = position - k;
  const [a, b] = [stops[k]!, stops[k + 1]!];
  return hex([0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * f) as Rgb);
}

const STOPS: Record<ScaleKind, Rgb[]> = {
  sequential: SEQUENTIAL,
  diverging: DIVERGING,
  greys: GREYS,
};

/** The colour of `value` on the scale; a missing value is light grey. */
export function colourOf(scale: ColourScale, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '#e0e0e0';
  const [low, high] = scale.domain;
  const t = high === low ? 0.5 : (value - low) / (high - low);
  return interpolate(STOPS[scale.kind], t);
}

/** A text colour that stays readable on `colourOf(scale, value)`. */
export function inkOn(scale: ColourScale, value: number | null | undefined): string {
  if (value === null || value === undefined) return '#222';
  const [low, high] = scale.domain;
  const t = high === low ? 0.5 : (value - low) / (high - low);
  if (scale.kind === 'diverging') return Math.abs(t - 0.5) > 0.35 ? '#fff' : '#222';
  if (scale.kind === 'greys') return t > 0.55 ? '#fff' : '#222';
  return t < 0.45 ? '#fff' : '#222';
}

/** `count` colours from low to high, for a legend's gradient. */
export function legendStops(scale: ColourScale, count = 9): string[] {
  return Array.from({ length: count }, (_, k) => interpolate(STOPS[scale.kind], k / (count - 1)));
}

/**
 * One scale for several matrices: their smallest to largest value, widened to a step of 0.05 so
 * the legend's ends are round numbers; [0, 1] when there are no values.
 */
export function sharedDomain(
  matrices: ReadonlyArray<ReadonlyArray<ReadonlyArray<number | null>>>,
): [number, number] {
  const values = matrices.flat(2).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return [0, 1];
  const step = 0.05;
  const low = Math.floor(Math.min(...values) / step) * step;
  let high = Math.ceil(Math.max(...values) / step) * step;
  if (high <= low) high = low + step;
  return [Number(low.toFixed(2)), Number(high.toFixed(2))];
}

/** A domain symmetric around zero holding every value (at least ±0.01), for differences. */
export function symmetricDomain(
  matrices: ReadonlyArray<ReadonlyArray<ReadonlyArray<number | null>>>,
): [number, number] {
  const values = matrices.flat(2).filter((v): v is number => v !== null && Number.isFinite(v));
  const largest = Math.max(0.01, ...values.map(Math.abs));
  const rounded = Math.ceil(largest * 100) / 100;
  return [-rounded, rounded];
}
