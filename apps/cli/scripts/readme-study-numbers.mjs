#!/usr/bin/env node
// Prints the numbers block README.md should hold for a committed study directory, made by the
// report's own code (@stem/study, packages/study/src/study/readme-numbers.ts, built into its
// dist: run `pnpm build` first). packages/study/test/readme-study-numbers.test.ts checks
// README.md against the same function.
//   node apps/cli/scripts/readme-study-numbers.mjs docs/study-quick            # print it
//   node apps/cli/scripts/readme-study-numbers.mjs docs/study-quick --write    # replace it in README.md
// The directory is named relative to the repository root, as the README's marker names it.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { replaceBlock, studyReadmeNumbers } from '@stem/study';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { write: { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  console.error(
    'usage: readme-study-numbers.mjs <study directory, e.g. docs/study-quick> [--write]',
  );
  process.exit(2);
}
const directory = relative(repositoryRoot, resolve(positionals[0]));
if (!existsSync(join(repositoryRoot, directory, 'study.json'))) {
  console.error(
    `${directory}: no study.json (copy the study there first: apps/cli/scripts/copy-study-docs.mjs)`,
  );
  process.exit(1);
}

const numbers = await studyReadmeNumbers(join(repositoryRoot, directory));
const readmeFile = join(repositoryRoot, 'README.md');
const options = { ...(await prettier.resolveConfig(readmeFile)), parser: 'markdown' };
// Formatted as prettier formats README.md, so the pasted block passes format:check as is.
const block = (await prettier.format(numbers.block, options)).trim();

if (numbers.study.problems.length > 0)
  console.error(`files the report could not use:\n  ${numbers.study.problems.join('\n  ')}`);
console.error(
  `for the prose around it: wall time ${numbers.wallTime ?? 'unknown'} (study.json createdAt to updatedAt), all ${numbers.runs} runs, ${numbers.probes} probes; decimals must be ones the report prints (stem report's headline and tables)`,
);
if (values.write) {
  const readme = readFileSync(readmeFile, 'utf8');
  writeFileSync(readmeFile, await prettier.format(replaceBlock(readme, directory, block), options));
  console.error(`replaced the <!-- numbers: ${directory} --> block of README.md`);
} else console.log(`<!-- numbers: ${directory} -->\n\n${block}\n\n<!-- /numbers -->`);
