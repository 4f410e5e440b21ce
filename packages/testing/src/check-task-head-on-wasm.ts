import { checkTaskHead, type TaskHeadCheckInput, type TaskHeadReport } from './check-task-head.js';
import { ConformanceError } from './conformance-error.js';
import { tinyAnnotatedSentences } from './tiny-annotated-sentences.js';

export type TaskHeadOnWasmCheckInput = Omit<TaskHeadCheckInput, 'backend' | 'sentences'> & {
  /** Default: `tinyAnnotatedSentences()`. */
  sentences?: TaskHeadCheckInput['sentences'];
};

/**
 * What is wrong with the kernels that served a wasm check, given the environment:
 * `STEM_NATIVE=0` must give plain wasm; otherwise `STEM_REQUIRE_NATIVE=1` demands the native
 * kernels. (CI exports `STEM_REQUIRE_NATIVE=1` once and adds `STEM_NATIVE=0` for its second
 * pass: the switch-off wins.)
 */
export function nativeKernelProblems(
  report: Pick<TaskHeadReport, 'backend' | 'nativeKernels'>,
  env: Record<string, string | undefined>,
): string[] {
  const problems: string[] = [];
  if (report.backend !== 'wasm') problems.push(`ran on ${report.backend}, not wasm`);
  if (env['STEM_NATIVE'] === '0') {
    if (report.nativeKernels)
      problems.push('STEM_NATIVE=0 but the native kernels served the check');
  } else if (env['STEM_REQUIRE_NATIVE'] === '1' && !report.nativeKernels)
    problems.push('STEM_REQUIRE_NATIVE=1 but the native kernels did not load');
  return problems;
}

/**
 * `checkTaskHead` on the backend users train on: wasm, with the native kernels where the addon
 * is built. Also fails when the kernels that served it contradict the environment:
 * `STEM_NATIVE=0` must give plain wasm, `STEM_REQUIRE_NATIVE=1` the native kernels (CI sets one
 * or the other per pass). Core picks a backend once per process, so call it from a test file of
 * its own (each task plugin has a `conformance-wasm.test.ts`).
 */
export async function checkTaskHeadOnWasm(
  input: TaskHeadOnWasmCheckInput,
): Promise<TaskHeadReport> {
  const report = await checkTaskHead({
    steps: 20,
    ...input,
    sentences: input.sentences ?? tinyAnnotatedSentences(),
    backend: 'wasm',
  });
  const problems = nativeKernelProblems(report, process.env);
  if (problems.length > 0) throw new ConformanceError(input.taskId, problems);
  return report;
}
