import type { SrlFrame } from '@stem/core';

/**
 * The arguments of a frame as the CoNLL-2005 scorer (srl-eval.pl) counts them, one key each:
 * a continuation `C-X` is joined to the closest `X` before it into one discontinuous argument
 * (all its pieces must match), a `C-X` with no `X` before it counts as a plain `X`, and
 * reference arguments `R-X` stay arguments of their own. The predicate (`V`, `C-V`) is not
 * an argument. Keys are `<role> <start>-<end>[,<start>-<end>...]`.
 */
export function conll05ArgumentKeys(frame: SrlFrame): string[] {
  const joined: { role: string; pieces: string[] }[] = [];
  const lastOfRole = new Map<string, { role: string; pieces: string[] }>();
  const inOrder = [...frame.arguments].sort((a, b) => a.start - b.start);
  for (const argument of inOrder) {
    const piece = `${argument.start}-${argument.end}`;
    const continued = argument.role.startsWith('C-') ? argument.role.slice(2) : undefined;
    const head = continued === undefined ? undefined : lastOfRole.get(continued);
    if (head) {
      head.pieces.push(piece);
      continue;
    }
    const started = { role: continued ?? argument.role, pieces: [piece] };
    joined.push(started);
    lastOfRole.set(started.role, started);
  }
  return joined
    .filter((argument) => argument.role !== 'V')
    .map((argument) => `${argument.role} ${argument.pieces.join(',')}`);
}

/**
 * The frames srl-eval.pl scores for a sentence, by predicate position: one per position
 * (a later frame of the same position replaces an earlier one, as its `$G[position]`).
 */
export function framesByPredicate(frames: readonly SrlFrame[]): Map<number, SrlFrame> {
  return new Map(frames.map((frame) => [frame.predicate, frame]));
}
