import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pnpmPack, publishablePackages, type WorkspacePackage } from './workspace-packages.js';

/** What a tarball must never carry: tests, fixtures, build caches, test reports. */
const NOT_SHIPPED = [
  /(^|\/)test\//,
  /(^|\/)__tests__\//,
  /\.test\.[cm]?[jt]s(\.map)?$/,
  /\.spec\.[cm]?[jt]s(\.map)?$/,
  /(^|\/)fixtures\//,
  /\.tsbuildinfo$/,
  /\.vitest-results\.json$/,
  /(^|\/)vitest\.config\./,
  /(^|\/)tsconfig(\.build)?\.json$/,
];
const TEXT = /\.(js|mjs|cjs|ts|mts|json|md|map|gyp|cc|h|yaml|txt)$/;

interface Packed {
  pkg: WorkspacePackage;
  root: string;
  files: string[];
  pjson: Record<string, unknown> & {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
}

function walk(directory: string, root = directory): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path, root) : [relative(root, path)];
  });
}

describe('packed packages (pnpm pack, as pnpm publish -r packs them)', () => {
  const work = mkdtempSync(join(tmpdir(), 'stem-packed-'));
  const packed: Packed[] = [];

  beforeAll(async () => {
    for (const pkg of publishablePackages()) {
      const tarball = await pnpmPack(pkg.directory, work);
      const root = join(work, pkg.name.replace('/', '__'));
      execFileSync('mkdir', ['-p', root]);
      execFileSync('tar', ['xzf', tarball, '-C', root, '--strip-components=1']);
      packed.push({
        pkg,
        root,
        files: walk(root),
        pjson: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
      });
    }
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs every publishable package of the workspace', () => {
    const names = packed.map((p) => p.pkg.name);
    expect(names).toEqual(expect.arrayContaining(['@stem/cli', '@stem/core', '@stem/task-srl']));
    expect(names).not.toContain('@stem/example-task-plugin');
  });

  it('ships no tests, fixtures, configs or build caches', () => {
    const shipped = packed.flatMap(({ pkg, files }) =>
      files
        .filter((f) => NOT_SHIPPED.some((pattern) => pattern.test(f)))
        .map((f) => `${pkg.name}: ${f}`),
    );
    expect(shipped).toEqual([]);
  });

  it('ships a license, a README, publishConfig and real versions instead of workspace: ranges', () => {
    for (const { pkg, files, pjson } of packed) {
      expect(files, pkg.name).toEqual(
        expect.arrayContaining(['LICENSE', 'README.md', 'package.json']),
      );
      expect(pjson.license, pkg.name).toBe('Apache-2.0');
      expect(pjson.publishConfig, pkg.name).toEqual({ access: 'public' });
      const ranges = {
        ...pjson.dependencies,
        ...pjson.peerDependencies,
        ...pjson.optionalDependencies,
      };
      for (const [dependency, range] of Object.entries(ranges)) {
        expect(range, `${pkg.name} -> ${dependency}`).not.toMatch(/^workspace:/);
      }
    }
  });

  it('resolves every entry point, bin and oclif hook inside the tarball', () => {
    for (const { pkg, root, pjson } of packed) {
      const targets: string[] = [];
      const collect = (value: unknown): void => {
        if (typeof value === 'string') targets.push(value);
        else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      collect(pjson.main);
      collect(pjson.types);
      collect(pjson.exports);
      collect(pjson.bin);
      collect((pjson.oclif as { hooks?: unknown } | undefined)?.hooks);
      for (const target of targets) {
        // A subpath pattern ("./model/*") needs its folder.
        const path = target.includes('*') ? dirname(target) : target;
        expect(existsSync(join(root, path)), `${pkg.name}: ${target}`).toBe(true);
      }
    }
  });

  it('has source maps only where their sources ship too', () => {
    const broken: string[] = [];
    for (const { pkg, root, files } of packed) {
      for (const map of files.filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as {
          sources: string[];
        };
        for (const source of sources) {
          const path = join(root, dirname(map), source);
          if (relative(root, path).startsWith('..') || !existsSync(path))
            broken.push(`${pkg.name}: ${map} -> ${source}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('never refers to a data folder outside the package (../shared)', () => {
    const hits: string[] = [];
    for (const { pkg, root, files } of packed) {
      for (const file of files.filter((f) => TEXT.test(f))) {
        const text = readFileSync(join(root, file), 'utf8');
        if (/\.\.\/shared\b|\/work\/shared\b/.test(text)) hits.push(`${pkg.name}: ${file}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('ships the CLI with its oclif manifest of every command', () => {
    const cli = packed.find((p) => p.pkg.name === '@stem/cli');
    expect(cli?.files).toEqual(expect.arrayContaining(['bin/run.js', 'oclif.manifest.json']));
    const manifest = JSON.parse(readFileSync(join(cli!.root, 'oclif.manifest.json'), 'utf8')) as {
      version: string;
      commands: Record<string, unknown>;
    };
    expect(manifest.version).toBe(cli!.pkg.version);
    const commandFiles = cli!.files.filter((f) => /^dist\/commands\/.+\.js$/.test(f));
    expect(Object.keys(manifest.commands)).toHaveLength(commandFiles.length);
    expect(Object.keys(manifest.commands)).toEqual(
      expect.arrayContaining(['train', 'info', 'data:build']),
    );
    // The repository itself never keeps one (it would hide commands added since).
    expect(existsSync(new URL('../../../apps/cli/oclif.manifest.json', import.meta.url))).toBe(
      false,
    );
  });
});
