import { checkTaskHead, type TaskHeadCheckInput, type TaskHeadReport } from './check-task-head.js';
import { ConformanceError } from './conformance-error.js';
import { tinyAnnotatedSentences } from './tiny-annotated-sentences.js';

export type TaskHeadOnWasmCheckInput = Omit<TaskHeadCheckInput, 'backend' | 'sentences'> & {
  /** Default: `tinyAnnotatedSentences()`. */
  sentences?: TaskHeadCheckInput['sentences'];
};

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
  const problems: string[] = [];
  if (report.backend !== 'wasm') problems.push(`ran on ${report.backend}, not wasm`);
  if (process.env['STEM_NATIVE'] === '0' && report.nativeKernels)
    problems.push('STEM_NATIVE=0 but the native kernels served the check');
  if (process.env['STEM_REQUIRE_NATIVE'] === '1' && !report.nativeKernels)
    problems.push('STEM_REQUIRE_NATIVE=1 but the native kernels did not load');
  if (problems.length > 0) throw new ConformanceError(input.taskId, problems);
  return report;
}
