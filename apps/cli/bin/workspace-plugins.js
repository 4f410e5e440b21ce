// In the stem repository (not an npm installation), the CLI also loads the first-party
// plugins a published CLI leaves to `stem plugins:add` (package.json `stem.workspacePlugins`,
// kept as devDependencies), so `pnpm stem train` and the tests find every task of the
// workspace. They are promoted to core plugins here rather than declared as oclif devPlugins:
// oclif loads those only under NODE_ENV=development|test, also switching to TypeScript sources,
// and an installed CLI under such a NODE_ENV would warn about devDependencies it does not have.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function workspaceLoadOptions(binUrl) {
  const root = dirname(dirname(fileURLToPath(binUrl)));
  const inWorkspace =
    !root.split(sep).includes('node_modules') &&
    existsSync(join(root, '..', '..', 'pnpm-workspace.yaml'));
  if (!inWorkspace || process.env.STEM_WORKSPACE_PLUGINS === '0') return undefined;
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const workspacePlugins = pjson.stem?.workspacePlugins ?? [];
  if (workspacePlugins.length === 0) return undefined;
  // oclif matches its `plugins` globs (@stem/task-*, ...) against `dependencies` only.
  const promoted = Object.fromEntries(
    workspacePlugins.map((name) => [name, pjson.devDependencies?.[name] ?? 'workspace:^']),
  );
  return { root, pjson: { ...pjson, dependencies: { ...pjson.dependencies, ...promoted } } };
}
