import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where skip reasons go: one JSON line per skip, in the project vitest runs in. */
export const SKIP_REASONS_FILE = '.vitest-skip-reasons.ndjson';

export interface TestRequirementOptions {
  /**
   * Why this requirement may legitimately fail in CI too (e.g. a pass that deliberately runs
   * without it). Without it, a requirement that does not hold in CI fails the test file:
   * CI installs, builds and carries everything the tests need, so a skip there hides a defect.
   */
  allowedInCI?: string;
}

/** A requirement that does not hold where it must (CI): the test file fails with this. */
export class TestRequirementError extends Error {
  override readonly name = 'TestRequirementError';
}

/**
 * For `it.skipIf(...)` / `describe.skipIf(...)`: true (skip) when `holds` is false. The skip
 * always states its reason (on stderr and in `.vitest-skip-reasons.ndjson`, which
 * `tools/ci/summarize-tests.mjs` reads), and in CI (`CI` set) it throws instead, unless
 * `allowedInCI` says why CI may skip too.
 */
export function skipUnless(
  holds: boolean,
  reason: string,
  options: TestRequirementOptions = {},
): boolean {
  if (holds) return false;
  const file = callingTestFile();
  if (process.env['CI'] && options.allowedInCI === undefined) {
    throw new TestRequirementError(
      `${file ?? 'a test file'}: ${reason}. CI must not skip this: it installs, builds and ` +
        'carries everything the tests need, so the requirement not holding there is a defect.',
    );
  }
  const line = { file, reason, allowedInCI: options.allowedInCI ?? null };
  try {
    appendFileSync(join(process.cwd(), SKIP_REASONS_FILE), `${JSON.stringify(line)}\n`);
  } catch {
    // A read-only project folder loses only the record; the reason still goes to stderr.
  }
  process.stderr.write(`skipped${file ? ` in ${file}` : ''}: ${reason}\n`);
  return true;
}

/** The first stack frame in a `*.test.*` file: the test that asked. */
function callingTestFile(): string | undefined {
  const stack = new Error().stack ?? '';
  const match = /((?:file:\/\/)?\/[^\s():]+\.test\.[cm]?[jt]s)/.exec(stack);
  return match?.[1]?.replace(/^file:\/\//, '');
}
