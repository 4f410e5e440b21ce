/**
 * @stem/study: a whole Stem Cell study (He & Choi 2021) as a library. The CLI's `stem study`,
 * `stem study plan` and `stem report` are thin wrappers over this API, and so can a worker or a
 * user's script be:
 *
 *   const study = await resolveStudy({ config: 'examples/study-quick.yaml' });
 *   const plan = planStudy(study, session.registry);                 // the grid, validated
 *   const outcome = await runStudy(study, {
 *     executor: inProcessExecutor({ session, environment }),         // or a queue executor
 *     progress: (event) => console.error(event),
 *   });
 *   await renderReport([outcome.directory], { out: 'report' });      // `stem report`
 *
 * Nothing here prints: progress and warnings are events, failures are `StemError`s with a
 * code (`CONFIG_INVALID`, `STUDY_LOCKED`, `STUDY_ABORTED`, `NOTHING_TO_REPORT`, ...).
 */

// The study config and its grid.
export {
  loadStudyConfig,
  parseStudyConfig,
  studyConfigSchema,
  type LoadedStudyConfig,
  type StudyConfig,
} from './study/study-config.js';
export {
  STUDY_SETTINGS,
  expandGrid,
  type GridProbe,
  type GridRun,
  type GridSelection,
  type StudyGrid,
  type StudySetting,
} from './study/study-grid.js';
export { resolveStudy, type ResolvedStudy, type StudySelection } from './study/study-setup.js';
export {
  conflictComponent,
  GRADIENT_CONFLICT_TYPE,
  runExperimentConfig,
  runConfigYaml,
} from './study/run-config.js';

// Planning and running.
export { formatPlan, planStudy, type PlannedState, type StudyPlan } from './study/study-plan.js';
export {
  runStudy,
  type RunStudyOptions,
  type StudyEvent,
  type StudyOutcome,
} from './study/run-study.js';
export {
  UnitFailedError,
  type StudyExecutor,
  type StudyScope,
  type StudyUnit,
  type UnitEvents,
} from './study/study-executor.js';
export { inProcessExecutor, type InProcessExecutorOptions } from './study/in-process-executor.js';
export {
  processPoolExecutor,
  type ProcessPoolExecutor,
  type ProcessPoolExecutorOptions,
} from './study/process-pool-executor.js';
export {
  processChannel,
  serveUnit,
  type ServeUnitOptions,
  type UnitChannel,
  type UnitMessage,
  type UnitRequest,
} from './study/unit-process.js';
export type { StudySession } from './study/study-session.js';
export {
  STUDY_LOCK_FILE,
  lockStudy,
  studyLockHolder,
  type StudyLock,
  type StudyLockOwner,
} from './study/study-lock.js';
export {
  STUDY_MANIFEST_FILE,
  readStudyManifest,
  type StepRecord,
  type StudyManifest,
} from './study/study-manifest.js';
export { formatDuration } from './study/study-progress.js';
export { computePath } from './study/compute-path.js';

// The pieces of a study that `stem prune` and `stem probe` run on their own.
export { PRUNING_ENCODER_LEARNING_RATE } from './study/pruning-learning-rate.js';
export { gatesSectionOf, summarisePruningRun } from './study/summarise-pruning.js';
export { isAttentionTask, probeEncoder, type ProbeOptions } from './study/probe-encoder.js';

// The report.
export {
  renderReport,
  type RenderReportOptions,
  type StudyReport,
} from './report/render-report.js';
export { writeReport, type ReportFiles } from './report/write-report.js';
export { collectStudy, type Study } from './report/study-files.js';
export { formatHeadline, studyHeadline, type StudyHeadline } from './report/study-headline.js';
export { offsetCell, positionalRow } from './report/probe-offsets.js';
// The report's head maps, for other pages that draw heads (`stem view`).
export { headGridSvg, legendSvg, type HeadGridInput } from './report/head-grid-svg.js';
export { sharedDomain, type ColourScale } from './report/colour-scales.js';

// The numbers README.md quotes from a committed study (apps/cli/scripts/readme-study-numbers.mjs).
export {
  replaceBlock,
  studyReadmeNumbers,
  type StudyReadmeNumbers,
} from './study/readme-numbers.js';
