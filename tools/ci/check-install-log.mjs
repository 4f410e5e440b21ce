// Fails when the log of README command 1 (install, build, main job) shows what a new user
// reads as a broken install: a stack trace (an optional package's build step dying, as
// tfjs-node's libtensorflow download did offline), or pnpm's "Ignored build scripts" box
// (a new dependency with a build script: list it in pnpm-workspace.yaml, onlyBuiltDependencies
// to run it or ignoredBuiltDependencies to skip it). Usage: node check-install-log.mjs <log>
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Why a line is a problem, or undefined. Lines may carry pnpm's "<package> install: " prefix. */
export function problemOf(line) {
  if (line.includes("Unhandled 'error' event")) return "an unhandled 'error' event";
  // A V8 stack frame: "    at fn (file.js:12:3)" or "    at file.js:12:3", the last one of
  // an error with properties followed by " {".
  if (/(^|: )\s+at \S.*:\d+:\d+\)?( \{)?$/.test(line)) return 'a stack frame';
  if (line.includes('Ignored build scripts:')) return 'a dependency build script nobody decided on';
  return undefined;
}

/** Every problem line of a log, numbered from 1. */
export function checkInstallLog(text) {
  return text
    .split('\n')
    .map((line, index) => ({ line: index + 1, text: line, problem: problemOf(line) }))
    .filter((entry) => entry.problem !== undefined);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node tools/ci/check-install-log.mjs <install log>');
    process.exit(2);
  }
  const problems = checkInstallLog(readFileSync(file, 'utf8'));
  for (const p of problems.slice(0, 20))
    console.error(`${file}:${p.line}: ${p.problem}: ${p.text.trim()}`);
  if (problems.length > 0) {
    console.error(
      `${problems.length} line(s) of ${file} would make a new user think the install is broken`,
    );
    process.exit(1);
  }
  console.log(`${file}: no stack trace, no undecided build script`);
}
