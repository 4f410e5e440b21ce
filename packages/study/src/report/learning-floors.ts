/**
 * Learning floors: the STL score (a fraction, like the stored scores) a task must reach before
 * its STL vs MTL comparison can test claim 1 of He & Choi 2021 ("MTL-5 scores below STL"). An
 * STL run that has barely learned its task is no reference point: MTL can beat it by giving the
 * encoder more updates, which says nothing about interference between tasks. A floor means
 * "the task has learned something substantial": far above a trivial system, yet well below
 * what stem-mini reaches after one full epoch on the full data, so short CPU studies can pass.
 *
 * - pos 0.80 (accuracy): the majority tag scores about 0.13-0.17; one epoch reaches ~0.9+.
 *   At 0.80 the tagger knows the tags of most words, not just the frequent ones.
 * - ner 0.20 (F1): a trivial tagger scores ~0; one full epoch reached 0.244. NER learns
 *   late (entities are sparse), so the floor sits at ~80% of that epoch.
 * - dep 0.50 (LAS): attaching every word to a neighbour with the commonest label scores about
 *   0.1-0.2 LAS; one full epoch reached 0.796. 0.50 means most arcs and labels are learned.
 * - con 0.50 (labelled F1): trivial bracketings (flat or right-branching trees with the
 *   commonest labels) score well under that; one full epoch reached 0.809.
 * - srl 0.30 (F1): a trivial labeller scores ~0; one full epoch reached 0.519, so 0.30 is
 *   ~60% of it: predicates' arguments are found, not only guessed.
 *
 * A task with no floor here (a third-party task) and none in the study config is always tested.
 */
export const DEFAULT_LEARNING_FLOORS: Readonly<Record<string, number>> = {
  pos: 0.8,
  ner: 0.2,
  dep: 0.5,
  con: 0.5,
  srl: 0.3,
};

/** The defaults with the study config's `learningFloors` over them. */
export function learningFloors(
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return { ...DEFAULT_LEARNING_FLOORS, ...overrides };
}
