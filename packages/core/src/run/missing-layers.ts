import type { Sentence } from '../contracts/annotations.js';
import { StemError } from '../errors.js';

/**
 * Layer names are open strings (a plugin may bring its own), so a misspelt or unprovided layer
 * cannot be caught by a type or an enum: it shows only when no sentence carries it. This
 * error then says which layers the data does carry and the likely intended one.
 */
export function missingLayersError(options: {
  task: string;
  datasetType: string;
  requires: readonly string[];
  /** Layers the dataset declares (`DatasetReader.layers`). */
  declared: readonly string[];
  /** The training sentences as read, before any was dropped. */
  train: readonly Sentence[];
}): StemError {
  const { task, datasetType, requires, declared, train } = options;
  const where = `tasks.${task}.dataset (${datasetType})`;
  if (train.length === 0) {
    return new StemError(
      `task "${task}": ${where} has no training sentences`,
      `check the dataset's train file, or point tasks.${task}.dataset at a corpus with a training split`,
    );
  }
  const carried = layersCarried(train);
  const missing = requires.filter((layer) => !carried.has(layer));
  const available = [...new Set([...declared, ...carried.keys()])].sort();
  const guesses = missing
    .map((layer) => [layer, closestName(layer, available)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  const guessText = guesses.map(([layer, guess]) => `"${guess}" instead of "${layer}"`).join(', ');
  return new StemError(
    `task "${task}": no training sentence carries the layers it needs (${requires.join(', ')}); ` +
      (missing.length > 0
        ? `none carries ${missing.join(', ')}`
        : 'no sentence carries all of them at once') +
      `; the sentences of ${where} carry ${available.length > 0 ? available.join(', ') : 'no annotation layer'}`,
    guesses.length > 0
      ? `a layer name looks misspelt: did you mean ${guessText}? (the task's config or plugin names it)`
      : `point tasks.${task}.dataset at a corpus with those annotations, or install the plugin whose dataset provides them`,
  );
}

/** Every annotation key with a value in some sentence, and in how many sentences. */
export function layersCarried(sentences: readonly Sentence[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences)
    for (const [layer, value] of Object.entries(sentence.annotations))
      if (value !== undefined) counts.set(layer, (counts.get(layer) ?? 0) + 1);
  return counts;
}

/** The candidate within two edits (or differing only in case or a plural s), if one is. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && distance < name.length && (!best || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
