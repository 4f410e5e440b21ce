// In the stem repository (not an npm installation), the CLI also loads the first-party
// plugins a published CLI leaves to `stem plugins:add` (oclif.devPlugins, kept as
// devDependencies), so `pnpm stem train` and the tests find every task of the workspace.
// oclif itself loads devPlugins only under NODE_ENV=development|test, which also switches it
// to TypeScript sources; promoting them to core plugins here keeps the built dist in use.
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
  const devPlugins = pjson.oclif?.devPlugins ?? [];
  if (devPlugins.length === 0) return undefined;
  return {
    root,
    pjson: {
      ...pjson,
      dependencies: { ...pjson.devDependencies, ...pjson.dependencies },
      oclif: { ...pjson.oclif, plugins: [...(pjson.oclif.plugins ?? []), ...devPlugins] },
    },
  };
}
