import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ewt5ReportFile, type buildEwt5 } from '@stem/data';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareData, type DataNeeds } from '../src/study/study-data.js';

describe('ewt-5 prepared by several workers sharing one data home', () => {
  let home: string | undefined;
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('is built once: the others wait for the build lock and find it built', async () => {
    home = await mkdtemp(join(tmpdir(), 'stem-data-lock-'));
    const needs: DataNeeds = {
      ewt5Tasks: ['pos'],
      ewt5Built: false,
      ewt5Directory: join(home, 'ewt-5'),
      ewt5Source: join(home, 'propbank'),
    };
    let builds = 0;
    let release: () => void = () => {};
    const building = new Promise<void>((resolve) => (release = resolve));
    // A build that stays under way until the test lets it finish, then writes the report.
    const build = (async (options) => {
      builds++;
      await building;
      const report = ewt5ReportFile(options.out!);
      await mkdir(dirname(report), { recursive: true });
      await writeFile(report, '{}');
      return { out: options.out! };
    }) as typeof buildEwt5;
    const lines: string[][] = [[], [], []];
    const prepared = lines.map((log) =>
      prepareData(needs, (line) => log.push(line), { build, waitMs: 20 }),
    );
    // Every preparer has either started the build or is waiting for its lock.
    while (lines.filter((log) => log.some((l) => /^(building|waiting)/.test(l))).length < 3)
      await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all(prepared);
    expect(builds).toBe(1);
    const waited = lines.filter((log) => log.some((l) => l.startsWith('waiting for another')));
    expect(waited).toHaveLength(2);
    for (const log of waited) expect(log.join('\n')).toMatch(/ewt-5 was built meanwhile/);
  });
});
