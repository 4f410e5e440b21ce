// Writes oclif.manifest.json (every command's flags and arguments) at pack time, so an
// installed CLI lists and routes commands without importing each command module.
// `postpack` removes it again: in the repository, oclif reads the commands themselves and
// a stale manifest would hide a command added since.
import { writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = new URL('../oclif.manifest.json', import.meta.url);

if (process.argv[2] === 'remove') {
  rmSync(target, { force: true });
} else {
  const plugin = new Plugin({
    root,
    type: 'core',
    isRoot: true,
    ignoreManifest: true,
    errorOnManifestCreate: true,
  });
  await plugin.load();
  const commands = Object.keys(plugin.manifest.commands);
  if (commands.length === 0) throw new Error('no commands found: run `pnpm build` before packing');
  writeFileSync(target, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  console.error(`oclif.manifest.json: ${commands.length} commands`);
}
