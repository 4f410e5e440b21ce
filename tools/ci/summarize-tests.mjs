// Sums every project's vitest JSON report (written by vitest.shared.ts) into the one line
// CI reads: "N passed, N failed, N skipped". Exits non-zero when a report is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const projects = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const project of projects) {
  const report = join(project, '.vitest-results.json');
  if (!existsSync(report)) {
    missing.push(project);
    continue;
  }
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + (results.numTodoTests ?? 0);
}
if (missing.length > 0) console.error(`no test report in: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
