import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectStudy, formatHeadline, studyHeadline, type StudyHeadline } from '@stem/study';
import { beforeAll, describe, expect, it } from 'vitest';
// The library's fixture of a complete small study (runs, gates, probes, overlap, study.json).
import { writeFullStudy } from '../../../packages/study/test/full-study-fixture.js';
import { envelope, isolatedHome, runStem } from './run-stem.js';

describe('stem report', () => {
  let root: string;
  let study: string;
  let headline: StudyHeadline;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stem-report-headline-'));
    study = await writeFullStudy(root);
    headline = studyHeadline(await collectStudy([study]));
  });

  it('stem report prints the headline, puts it first in index.html and in --json', async () => {
    const env = await isolatedHome();
    const out = join(root, 'report');
    const plain = await runStem(['report', study, '--out', out], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.split('\n')).toEqual(expect.arrayContaining(formatHeadline(headline)));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html.indexOf('<section class="headline">')).toBeGreaterThan(0);
    expect(html.indexOf('<section class="headline">')).toBeLessThan(html.indexOf('<h2>Heat maps'));
    expect(html).toContain('MTL-3 scores below STL: INCONCLUSIVE');
    // The verdicts also stand as a list above the headline text.
    expect(html).toContain(
      '<li>2. a shared set of heads is claimed by most tasks, in the middle layers: <span class="verdict verdict-not-enough-data">NOT ENOUGH DATA</span></li>',
    );
    const json = await runStem(['report', study, '--out', out, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const result = envelope<{ headline: StudyHeadline }>(json).result;
    expect(result.headline.claims.map((c) => c.verdict)).toEqual([
      'inconclusive',
      'not enough data',
      'inconclusive',
    ]);
    expect(result.headline.sharing!.test.stemCells).toHaveLength(2);
  }, 120_000);
});
