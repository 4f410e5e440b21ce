// Sums every project's vitest JSON report (written by vitest.shared.ts) into the one line
// CI reads: "N passed, N failed, N skipped", and lists every skip with its stated reason
// (recorded by @stem/testing/requirements' skipUnless). Exits non-zero when a report is
// missing, a test or a test file failed, or (with CI set) a test was skipped without a
// reason that allows CI to skip it: CI has everything the tests need, so such a skip hides
// a defect.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIPPED = new Set(['skipped', 'pending', 'todo']);
const inCI = Boolean(process.env.CI);
const projects = process.argv.slice(2);
let passed = 0;
let failed = 0;
let failedFiles = 0;
let skipped = 0;
const missing = [];
const unexplained = [];
const explained = [];

for (const project of projects) {
  const report = join(project, '.vitest-results.json');
  if (!existsSync(report)) {
    missing.push(project);
    continue;
  }
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  // A file that throws while it is collected (e.g. a requirement failing in CI) fails as a
  // suite with no failed test: count it too.
  failedFiles += (results.testResults ?? []).filter((file) => file.status === 'failed').length;
  skipped += results.numPendingTests + (results.numTodoTests ?? 0);
  const reasons = skipReasons(project);
  for (const file of results.testResults ?? []) {
    const count = file.assertionResults.filter((test) => SKIPPED.has(test.status)).length;
    if (count === 0) continue;
    const stated = reasons.get(file.name) ?? [];
    const where = relative(process.cwd(), file.name);
    if (stated.length === 0) unexplained.push(`${where}: ${count} skipped without a stated reason`);
    else {
      const allowed = stated.every((reason) => reason.allowedInCI !== null);
      const line = `${where}: ${count} skipped: ${stated.map((reason) => reason.reason).join('; ')}`;
      (allowed || !inCI ? explained : unexplained).push(line);
    }
  }
}

for (const line of explained) console.log(`skip  ${line}`);
for (const line of unexplained) console.error(`${inCI ? 'FAIL' : 'warn'}  ${line}`);
if (missing.length > 0) console.error(`no test report in: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const skipsFail = inCI && unexplained.length > 0;
process.exit(failed > 0 || failedFiles > 0 || missing.length > 0 || skipsFail ? 1 : 0);

/** The project's recorded skip reasons, by absolute test file path. */
function skipReasons(project) {
  const byFile = new Map();
  const file = join(project, '.vitest-skip-reasons.ndjson');
  if (!existsSync(file)) return byFile;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const reason = JSON.parse(line);
    if (!reason.file) continue;
    byFile.set(reason.file, [...(byFile.get(reason.file) ?? []), reason]);
  }
  return byFile;
}
