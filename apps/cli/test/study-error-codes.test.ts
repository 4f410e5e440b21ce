/**
 * The codes `@stem/study` raises (the study, its queue and `stem worker`) belong to the CLI's
 * documented `--json` codes: a code added there without ERROR_CODES and the README's table
 * would reach users without a fallback hint or documentation.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/base-command.js';
import { repositoryRoot } from './run-stem.js';

const STUDY_SOURCES = join(repositoryRoot, 'packages/study/src');

/** Every error code a StemError of the study package's sources is raised with. */
async function raisedCodes(): Promise<Set<string>> {
  const codes = new Set<string>();
  const files = (await readdir(STUDY_SOURCES, { recursive: true })).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const file of files) {
    const source = await readFile(join(STUDY_SOURCES, file), 'utf8');
    // A StemError's code is its last argument: `'CODE',` then the closing parenthesis.
    for (const match of source.matchAll(/new StemError\([\s\S]*?'([A-Z]+(?:_[A-Z]+)+)',?\s*\)/g))
      codes.add(match[1]!);
  }
  return codes;
}

describe('error codes of the study and its queue', () => {
  it('are documented codes of the CLI and rows of the README table', async () => {
    const codes = await raisedCodes();
    // The queue's own codes are among them (the scan itself works).
    for (const code of ['QUEUE_UNREACHABLE', 'STUDY_MISMATCH', 'STUDY_UNIT_FAILED'])
      expect(codes).toContain(code);
    const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
    for (const code of codes) {
      expect(Object.keys(ERROR_CODES), code).toContain(code);
      expect(readme, code).toContain(`| \`${code}\``);
    }
  });
});
