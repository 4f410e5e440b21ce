import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { skipUnless } from '@stem/testing/requirements';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatStat } from '../src/report/study-headline.js';
import {
  normaliseMarkdown,
  numberBlocks,
  replaceBlock,
  studyReadmeNumbers,
  unsourcedNumbers,
  type StudyReadmeNumbers,
} from '../src/study/readme-numbers.js';
import { repositoryRoot } from './paths.js';

// README.md publishes the numbers of the committed studies (docs/study-*): each sits between
// `<!-- numbers: <directory> -->` and `<!-- /numbers -->`, and every number the section around
// it quotes must be one the report's own code computes from that directory's files.

const README = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
const blocks = numberBlocks(README);
// The script stays with the CLI's other maintenance scripts; it imports this package's build.
const SCRIPT = join(repositoryRoot, 'apps', 'cli', 'scripts', 'readme-study-numbers.mjs');
const COPY = 'node apps/cli/scripts/copy-study-docs.mjs';

describe('README.md marks the numbers of its study sections', () => {
  it('has a numbers block for the quick study and for study-cpu, each inside its own section', () => {
    expect(blocks.map((b) => b.directory)).toEqual(['docs/study-quick', 'docs/study-cpu']);
    expect(blocks[0]!.section).toMatch(/^### What the quick study found/);
    expect(blocks[1]!.section).toMatch(/^### What the study-cpu run found/);
  });

  it('links only to files of docs/ that exist', () => {
    const links = [...README.matchAll(/\]\((docs\/[^)\s#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !existsSync(join(repositoryRoot, link)))).toEqual([]);
  });
});

for (const block of blocks) {
  const directory = join(repositoryRoot, block.directory);
  // Where the study is not committed, this section's numbers have no source: a skip that says
  // so, and a failure in CI.
  const uncommitted = skipUnless(
    existsSync(join(directory, 'study.json')),
    `${block.directory}/study.json is not committed, so the README section's numbers have no source yet: rerun the study, then \`${COPY} <study> ${block.directory} --replace\``,
  );

  describe(`README.md's numbers of ${block.directory}`, () => {
    let numbers: StudyReadmeNumbers;
    beforeAll(async () => {
      if (!uncommitted) numbers = await studyReadmeNumbers(directory);
    });

    it.skipIf(uncommitted)(
      `the table and head counts between the markers are the ones the report computes`,
      () => {
        expect(numbers.study.problems).toEqual([]);
        expect(normaliseMarkdown(block.content)).toBe(normaliseMarkdown(numbers.block));
      },
    );

    it.skipIf(uncommitted)(
      `the report's task-score table and its headline give the same STL and MTL scores`,
      () => {
        // Two paths through the report code (scoreTable for the block, studyHeadline for the
        // printed headline) must agree on every task's scores.
        const rows = numbers.block.split('\n').filter((l) => /^\| [A-Z]+ /.test(l));
        const lines = numbers.headline.scores;
        expect(rows).toHaveLength(lines.length);
        lines.forEach((line, k) => {
          const cells = rows[k]!.split('|')
            .slice(1, -1)
            .map((c) => c.trim());
          expect(cells[1]).toBe(formatStat(line.stl).replace(/ \(n=\d+\)$/, ''));
          expect(cells[2]).toBe(formatStat(line.mtl).replace(/ \(n=\d+\)$/, ''));
        });
      },
    );

    it.skipIf(uncommitted)(
      `every decimal, duration and run or probe count of the section comes from the study`,
      () => {
        expect(unsourcedNumbers(block.section, numbers, block.unsourced)).toEqual([]);
      },
    );

    for (const phrase of block.unsourced)
      it.todo(`"${phrase}" (README.md, ${block.directory} section) has no committed source yet`);
  });
}

describe('the checks fail when README.md and the files drift apart', () => {
  const cpu = blocks.find((b) => b.directory === 'docs/study-cpu')!;
  let numbers: StudyReadmeNumbers;
  beforeAll(async () => {
    numbers = await studyReadmeNumbers(join(repositoryRoot, cpu.directory));
  });

  it('a changed score in the block no longer equals the generated block', () => {
    const score = /\d+\.\d+ ± \d+\.\d+/.exec(cpu.content)![0];
    const changed = cpu.content.replace(
      score,
      score.replace(/\d(?= ±)/, (d) => String((Number(d) + 1) % 10)),
    );
    expect(changed).not.toBe(cpu.content);
    expect(normaliseMarkdown(changed)).not.toBe(normaliseMarkdown(numbers.block));
  });

  it('prose with a number the study does not give, a wrong wall time or probe count is flagged', () => {
    const wall = numbers.wallTime!;
    const section = `${cpu.section}\nMTL-5 is below STL by 12.34 here. It took 9 h 59 min wall and ${numbers.probes + 1} probes.`;
    const problems = unsourcedNumbers(section, numbers, cpu.unsourced);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^12\.34: /);
    expect(problems[1]).toContain(wall);
    expect(problems[2]).toContain(`${numbers.probes} probes`);
    // A signed difference must have its sign: DEP's MTL - STL is negative in study-cpu.
    const dep = numbers.headline.scores.find((s) => s.task === 'dep')!;
    const difference = (100 * (dep.mtl!.mean - dep.stl!.mean)).toFixed(2);
    expect(unsourcedNumbers(`(${difference})`, numbers)).toEqual([]);
    expect(unsourcedNumbers(`(+${difference.replace('-', '')})`, numbers)).toHaveLength(1);
    // A phrase listed as unsourced is exempt; without the exemption it is flagged.
    const listed = `${cpu.section}\nIt also took 7.77 s of CPU.`;
    expect(unsourcedNumbers(listed, numbers, ['7.77 s of CPU'])).toEqual([]);
    expect(unsourcedNumbers(listed, numbers)).toHaveLength(1);
  });

  it('replaceBlock swaps exactly one block and keeps its markers', () => {
    const replaced = replaceBlock(README, cpu.directory, 'NEW');
    const again = numberBlocks(replaced).find((b) => b.directory === cpu.directory)!;
    expect(again.content).toBe('NEW');
    expect(
      replaced.replace(/<!-- numbers: docs\/study-cpu -->[\s\S]*?<!-- \/numbers -->/, ''),
    ).toBe(README.replace(/<!-- numbers: docs\/study-cpu -->[\s\S]*?<!-- \/numbers -->/, ''));
  });
});

describe('apps/cli/scripts/readme-study-numbers.mjs', () => {
  it('prints the block README.md holds for docs/study-cpu (the built report code, the same functions)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, 'docs/study-cpu'], {
      cwd: repositoryRoot,
    });
    const printed = numberBlocks(stdout);
    expect(printed.map((b) => b.directory)).toEqual(['docs/study-cpu']);
    const cpu = blocks.find((b) => b.directory === 'docs/study-cpu')!;
    expect(normaliseMarkdown(printed[0]!.content)).toBe(normaliseMarkdown(cpu.content));
  });
});
