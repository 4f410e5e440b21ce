import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const changeset = join(root, 'node_modules', '.bin', 'changeset');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `changeset version` in a folder (no git needed), then every package manifest below it. */
async function version(folder: string, packages: string[]): Promise<Map<string, Manifest>> {
  await run(changeset, ['version'], { cwd: folder });
  const manifests = new Map<string, Manifest>();
  for (const dir of packages) {
    const manifest = JSON.parse(await readFile(join(folder, dir, 'package.json'), 'utf8'));
    manifests.set(manifest.name, manifest);
  }
  return manifests;
}

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('release plan of changesets', () => {
  it('bumps a 0.x peer dependent by a minor, keeping its own changeset; 1.x and above by a major', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stem-release-fixture-'));
    const config = JSON.parse(await readFile(join(root, '.changeset', 'config.json'), 'utf8'));
    await write(
      join(folder, '.changeset', 'config.json'),
      JSON.stringify({ ...config, ignore: [] }),
    );
    await write(join(folder, 'package.json'), '{ "name": "fixture", "private": true }\n');
    await write(join(folder, 'pnpm-workspace.yaml'), "packages:\n  - '*'\n");
    const manifest = (name: string, version: string, peer?: string) =>
      write(
        join(folder, name, 'package.json'),
        JSON.stringify({ name, version, ...(peer ? { peerDependencies: { foo: peer } } : {}) }),
      );
    await manifest('foo', '0.1.0');
    await manifest('bar', '0.1.0', '^0.1.0');
    await manifest('baz', '1.2.0', '^0.1.0');
    await write(join(folder, '.changeset', 'feature.md'), "---\n'foo': minor\n---\n\nA feature.\n");
    await write(join(folder, '.changeset', 'fix.md'), "---\n'bar': patch\n---\n\nA bar fix.\n");

    const after = await version(folder, ['foo', 'bar', 'baz']);
    expect(after.get('foo')!.version).toBe('0.2.0');
    // Stock changesets gives 1.0.0 here (the patch is missing or upstream changed).
    expect(after.get('bar')!.version).toBe('0.2.0');
    expect(after.get('bar')!.peerDependencies).toEqual({ foo: '^0.2.0' });
    expect(await readFile(join(folder, 'bar', 'CHANGELOG.md'), 'utf8')).toContain('A bar fix.');
    expect(after.get('baz')!.version).toBe('2.0.0');
  });

  it("versions this repository's pending changesets without a 1.0.0 and with every internal range held", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stem-release-repo-'));
    await cp(join(root, '.changeset'), join(folder, '.changeset'), { recursive: true });
    await cp(join(root, 'package.json'), join(folder, 'package.json'));
    await cp(join(root, 'pnpm-workspace.yaml'), join(folder, 'pnpm-workspace.yaml'));
    const packages: string[] = [];
    for (const group of ['packages', 'plugins', 'apps', 'tools', 'examples'])
      for (const name of await readdir(join(root, group))) {
        const file = join(root, group, name, 'package.json');
        const text = await readFile(file, 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        packages.push(join(group, name));
        await write(join(folder, group, name, 'package.json'), text);
      }
    const before = new Map<string, string>();
    for (const dir of packages) {
      const manifest = JSON.parse(await readFile(join(folder, dir, 'package.json'), 'utf8'));
      before.set(manifest.name, manifest.version);
    }
    const after = await version(folder, packages);
    for (const [name, manifest] of after) {
      const old = before.get(name)!;
      if (semver.major(old) === 0)
        expect(semver.major(manifest.version), `${name} ${old} -> ${manifest.version}`).toBe(0);
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const)
        for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
          const target = after.get(dependency);
          if (!target || range.startsWith('workspace:')) continue;
          expect(
            semver.satisfies(target.version, range),
            `${name} ${field} ${dependency}@${range} vs ${target.version}`,
          ).toBe(true);
        }
    }
  });
});
