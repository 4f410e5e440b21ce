/** Flat entity spans: helpers shared by the NER readers. */
import type { LabeledSpan } from '@stem/core';

/** True when no two spans overlap (touching is fine). */
export function isFlat(spans: readonly LabeledSpan[]): boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  for (let k = 1; k < sorted.length; k++) if (sorted[k]!.start < sorted[k - 1]!.end) return false;
  return true;
}

/**
 * Keeps the outermost spans: a span inside (or equal to) an earlier-kept longer span is
 * dropped. Crossing spans (neither contains the other) keep the one that starts first,
 * then the longer one, so the result is always flat.
 */
export function outermostSpans(spans: readonly LabeledSpan[]): LabeledSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: LabeledSpan[] = [];
  let end = -1;
  for (const s of sorted) {
    if (s.start >= end) {
      out.push({ start: s.start, end: s.end, label: s.label });
      end = s.end;
    }
  }
  return out;
}
