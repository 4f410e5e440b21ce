/**
 * @stem/study/queue: a study across machines on BullMQ and Redis. `queueExecutor` is the
 * executor of `stem study --queue` (the coordinator), `runStudyWorker` the loop of
 * `stem worker`. A separate entry point, so `@stem/study` alone never loads bullmq.
 */
export { checkRedisReachable, checkRedisUrl, redactedUrl } from './queue-connection.js';
export {
  QUEUE_LEDGER_FILE,
  queueExecutor,
  type QueueExecutor,
  type QueueExecutorOptions,
} from './queue-executor.js';
export {
  identityMismatch,
  studyConfigHash,
  studyIdentity,
  studyQueueName,
  type StudyIdentity,
} from './study-identity.js';
export {
  runStudyWorker,
  type StudyWorkerOptions,
  type StudyWorkerOutcome,
} from './study-worker.js';
export type { UnitJobData, UnitJobProgress, UnitJobResult, UnitStepResult } from './unit-job.js';
export { connectedWorkers, type WorkerDescription } from './worker-registry.js';
export { recordCompletion, type UnitCompletion } from './unit-completion.js';
export {
  formatQueueStatus,
  queueStatus,
  type QueueStatus,
  type UnitQueueState,
  type UnitStatus,
} from './queue-status.js';
