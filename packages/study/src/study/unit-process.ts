import { StemError, type LineOf, type TrainingProgress } from '@stem/core';
import type { StudyConfig } from './study-config.js';
import type { StudyExecutor, StudyScope, StudyUnit, UnitEvents } from './study-executor.js';
import type { StudyGrid } from './study-grid.js';

/**
 * The messages between `stem study --jobs N` and the unit processes it starts (one process per
 * unit, over Node's IPC channel): the coordinator sends one `UnitRequest`; the unit process
 * answers with the unit's events, then `done` or `failed`, and exits.
 */
export interface UnitRequest {
  type: 'run';
  unit: StudyUnit;
  /** The coordinator's resolved study config (after --set), its grid and study directory. */
  config: StudyConfig;
  grid: StudyGrid;
  directory: string;
}

export type UnitMessage =
  | { type: 'started'; step: string }
  /** `seconds`: the step's time in the unit process (the coordinator relays it later). */
  | { type: 'finished'; step: string; updates?: number; seconds: number }
  | { type: 'training'; status: TrainingProgress }
  | { type: 'log'; message: string }
  | { type: 'warn'; message: string }
  | { type: 'done' }
  | { type: 'failed'; message: string; hint?: string; code?: string };

/** Both ends of the channel, as the unit process sees them (`process.send` / `process.on`). */
export interface UnitChannel {
  /** The coordinator's request; rejects when the channel closes first. */
  request(): Promise<UnitRequest>;
  send(message: UnitMessage): Promise<void>;
}

export interface ServeUnitOptions {
  channel: UnitChannel;
  /** Runs the unit here: `inProcessExecutor` with a session for the request's device. */
  executor(request: UnitRequest): Promise<StudyExecutor>;
  /** The study config's file and the lines of its fields, for errors in generated run configs. */
  source?: { file: string; lineOf: LineOf };
}

/**
 * The unit process's side: takes the request, runs the unit with the executor in the study
 * directory itself (units write only their own run directory and probe files, so processes
 * share the directory safely; the coordinator alone writes study.json), reports every event
 * and ends with `done`, or `failed` with the error's message, hint and code. Resolves true
 * when the unit finished.
 */
export async function serveUnit(options: ServeUnitOptions): Promise<boolean> {
  const { channel } = options;
  const request = await channel.request();
  const scope: StudyScope = {
    config: request.config,
    grid: request.grid,
    directory: request.directory,
    ...(options.source ? { source: options.source } : {}),
  };
  const began = new Map<string, number>();
  // Sent in order; training updates are not awaited (the trainer's hook is synchronous).
  let sending: Promise<void> = Promise.resolve();
  const send = (message: UnitMessage) => (sending = sending.then(() => channel.send(message)));
  const events: UnitEvents = {
    async started(step) {
      began.set(step, Date.now());
      await send({ type: 'started', step });
    },
    async finished(step, result) {
      const seconds = (Date.now() - (began.get(step) ?? Date.now())) / 1000;
      await send({
        type: 'finished',
        step,
        seconds,
        ...(result?.updates !== undefined ? { updates: result.updates } : {}),
      });
    },
    training: (status) => void send({ type: 'training', status }),
    log: (message) => void send({ type: 'log', message }),
    warn: (message) => void send({ type: 'warn', message }),
  };
  try {
    const executor = await options.executor(request);
    await executor.execute(request.unit, scope, events);
  } catch (error) {
    const failure = error as Partial<StemError> & Error;
    await send({
      type: 'failed',
      message: failure.message ?? String(error),
      ...(failure.hint ? { hint: failure.hint } : {}),
      ...(failure instanceof StemError || typeof failure.code === 'string'
        ? { code: failure.code as string }
        : {}),
    });
    return false;
  }
  await send({ type: 'done' });
  return true;
}

/** The channel of a process started with an IPC channel (`child_process.fork`). */
export function processChannel(proc: NodeJS.Process = process): UnitChannel {
  return {
    request: () =>
      new Promise<UnitRequest>((resolve, reject) => {
        if (!proc.send) {
          reject(
            new StemError(
              'this command runs one unit of `stem study --jobs N` and needs its IPC channel',
              'run `stem study --jobs N` instead',
              'STUDY_UNIT_FAILED',
            ),
          );
          return;
        }
        const onMessage = (message: unknown) => {
          if ((message as UnitRequest | undefined)?.type !== 'run') return;
          proc.off('disconnect', onClose);
          resolve(message as UnitRequest);
        };
        const onClose = () => reject(new Error('the coordinator went away before the request'));
        proc.on('message', onMessage);
        proc.once('disconnect', onClose);
      }),
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        if (!proc.connected) {
          reject(new Error('the coordinator went away'));
          return;
        }
        proc.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
      }),
  };
}
