// Runs once per vitest invocation, in the project's folder: the skip reasons of the previous
// run go, so tools/ci/summarize-tests.mjs reads only this run's (see @stem/testing/requirements).
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export default function resetSkipReasons(): void {
  rmSync(join(process.cwd(), '.vitest-skip-reasons.ndjson'), { force: true });
}
