/**
 * Which first-party npm package provides the components whose ids start with a prefix. A
 * published `@stem/cli` bundles only some plugins (see ARCHITECTURE.md, "Distribution"), so a
 * config naming a component nobody registered is answered with the command that adds it.
 */
const FIRST_PARTY_PACKAGES: ReadonlyArray<readonly [prefix: string, packageName: string]> = [
  ['stem.task.pos.', '@stem/task-pos'],
  ['stem.task.ner.', '@stem/task-ner'],
  ['stem.task.dep.', '@stem/task-dep'],
  ['stem.task.con.', '@stem/task-con'],
  ['stem.task.srl.', '@stem/task-srl'],
  ['stem.task.mlm.', '@stem/task-mlm'],
  ['stem.encoder.transformer.', '@stem/encoder-transformer'],
  ['stem.analyzer.probe.', '@stem/analyzer-probe'],
  ['stem.training.head-gates.', '@stem/analyzer-pruning'],
  ['stem.training.gradient-conflict.', '@stem/analyzer-conflict'],
  ['stem.dataset.', '@stem/data'],
];

/** The first-party package that provides component `id`, or undefined for any other id. */
export function packageProviding(id: string): string | undefined {
  return FIRST_PARTY_PACKAGES.find(([prefix]) => id.startsWith(prefix))?.[1];
}

/** "it is provided by <package>: run `stem plugins:add <package>`" for a first-party id. */
export function installHint(id: string): string | undefined {
  const packageName = packageProviding(id);
  return packageName && `it is provided by ${packageName}: run \`stem plugins:add ${packageName}\``;
}
