import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/index.js';
import { studyDirectoryReportPaths } from '../src/study/report-paths.js';
import { repositoryRoot } from './paths.js';

const committed = join(repositoryRoot, 'docs', 'study-quick');
const scratch = mkdtempSync(join(tmpdir(), 'stem-report-study-dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const filesUnder = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();

describe('stem report on a study directory', () => {
  it('reads it in grid order and writes the report stem study wrote, byte for byte', async () => {
    const copy = join(scratch, 'study-quick');
    cpSync(committed, copy, { recursive: true });
    const out = join(copy, 'report-again');
    await renderReport([copy], { out });
    const expected = join(committed, 'report');
    expect(filesUnder(out)).toEqual(filesUnder(expected));
    for (const file of filesUnder(expected))
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(
        readFileSync(join(expected, file), 'utf8'),
      );
  });

  it('lists static probes first, then STL, MTL-5, the pruning runs and the overlap', async () => {
    const paths = (await studyDirectoryReportPaths(committed))!.map((p) => relative(committed, p));
    expect(paths[0]).toBe(join('probes', 'static', 'probe-pos.json'));
    const firstPruning = paths.findIndex((p) => p.startsWith('pruning'));
    expect(paths.indexOf(join('runs', 'mtl5-s1'))).toBeLessThan(firstPruning);
    expect(paths.indexOf(join('runs', 'stl-srl-s1'))).toBeLessThan(
      paths.indexOf(join('runs', 'mtl5-s1')),
    );
    expect(paths.at(-1)).toBe(join('analyses', 'overlap', 'overlap.json'));
  });

  it('falls back to walking a folder without study.json', async () => {
    expect(await studyDirectoryReportPaths(join(committed, 'runs'))).toBeUndefined();
  });
});
