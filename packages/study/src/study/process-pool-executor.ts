import type { ChildProcess } from 'node:child_process';
import { StemError, type TrainingProgress } from '@stem/core';
import { estimatedSteps } from './estimated-steps.js';
import { runExperimentConfig } from './run-config.js';
import { dataNeeds, prepareData } from './study-data.js';
import {
  UnitFailedError,
  type StudyExecutor,
  type StudyScope,
  type StudyUnit,
  type UnitEvents,
} from './study-executor.js';
import type { UnitMessage, UnitRequest } from './unit-process.js';

export interface ProcessPoolExecutorOptions {
  /** Units run at once (each in its own process). */
  jobs: number;
  /**
   * Starts the process of one unit, with an IPC channel (`child_process.fork`): the CLI starts
   * `stem study unit` (hidden), which answers a `UnitRequest` with `serveUnit`. Its stderr, when
   * piped, is passed on to this process's and its last lines name a crash.
   */
  start(unit: StudyUnit): ChildProcess;
  /**
   * ms between the lines that say where each unit under way is (default 30000): the study's
   * own progress follows only the unit it waits for, in grid order, and the longest units run
   * first.
   */
  statusEveryMs?: number;
}

export interface ProcessPoolExecutor extends StudyExecutor {
  /** Stops the unit processes still running (their runs resume from their checkpoints). */
  close(): Promise<void>;
}

interface Slot {
  unit: StudyUnit;
  /** Estimated mini-batch steps: the longest units start first. */
  cost: number;
  /** Events not relayed yet (the study awaits units in grid order; this one may run ahead). */
  pending: UnitMessage[];
  /** Where `execute` relays this unit's events, once the study has reached it. */
  relay?: UnitEvents;
  /** Relays in order. */
  chain: Promise<void>;
  child?: ChildProcess;
  /** The process's end: undefined = done, else why the unit failed. */
  ended: Promise<UnitFailedError | undefined>;
  end(error: UnitFailedError | undefined): void;
  stderrTail: string[];
  /** The step this unit started last (recorded as failed when the unit fails). */
  lastStarted?: string;
  /** Its trainer's latest progress, for the status line. */
  training?: TrainingProgress;
}

const STDERR_LINES = 20;

/**
 * The executor of `stem study --jobs N`: `schedule` starts up to N unit processes (the longest
 * units by estimated steps first, so the study ends with short ones) and a new one as each
 * ends; every unit runs in its own process, so units share no memory or tensors and a unit's
 * crash is its own. The processes write into the study directory itself (each unit only its own
 * files); their events come back over IPC and are relayed in grid order as `execute` reaches
 * each unit (a step's seconds are the unit process's own). When a unit fails, no further unit
 * starts and `execute` rejects at once, naming the failed unit; `close` then stops the units
 * still running, which resume from their checkpoints when the study is run again.
 */
export function processPoolExecutor(options: ProcessPoolExecutorOptions): ProcessPoolExecutor {
  if (!Number.isInteger(options.jobs) || options.jobs < 1)
    throw new StemError(`--jobs must be a whole number of 1 or more, not ${options.jobs}`);
  const slots = new Map<string, Slot>();
  const waiting: Slot[] = [];
  const running = new Set<Slot>();
  let failure: UnitFailedError | undefined;
  let onFailure: ((error: UnitFailedError) => void) | undefined;
  const failed = new Promise<UnitFailedError>((resolve) => (onFailure = resolve));
  let scopeOf: StudyScope | undefined;
  let studyEvents: UnitEvents | undefined;
  let closing = false;

  const deliver = (slot: Slot, message: UnitMessage) => {
    // Log lines and warnings need no order with the steps: they go out at once.
    if (message.type === 'log' || message.type === 'warn') {
      const line = `${slot.unit.id}: ${message.message}`;
      if (message.type === 'log') studyEvents?.log(line);
      else studyEvents?.warn(line);
      return;
    }
    if (message.type === 'started') {
      slot.lastStarted = message.step;
      delete slot.training;
    }
    if (message.type === 'training') slot.training = message.status;
    if (!slot.relay) {
      // Only the latest training status of a unit the study has not reached matters.
      if (message.type === 'training') {
        const at = slot.pending.findIndex((m) => m.type === 'training');
        if (at >= 0) slot.pending.splice(at, 1);
      }
      slot.pending.push(message);
      return;
    }
    const relay = slot.relay;
    slot.chain = slot.chain.then(() => relayMessage(relay, message));
  };

  const fail = (slot: Slot, why: string, hint?: string, code?: string) => {
    const error = new UnitFailedError(
      `unit ${slot.unit.id} failed: ${why}`,
      hint ??
        'fix the cause and run the same command again: finished units are kept, interrupted runs resume from their checkpoints',
      slot.unit.id,
      slot.lastStarted,
      code,
    );
    if (!failure && !closing) {
      failure = error;
      onFailure?.(error);
      const others = [...running].filter((s) => s !== slot).map((s) => s.unit.id);
      studyEvents?.warn(
        `unit ${slot.unit.id} failed; no further unit starts${others.length > 0 ? ` (${others.join(', ')} under way stop with the study and resume from their checkpoints on the next run)` : ''}`,
      );
    }
    return error;
  };

  const launch = (slot: Slot) => {
    running.add(slot);
    const child = options.start(slot.unit);
    slot.child = child;
    let outcome: UnitMessage | undefined;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      process.stderr.write(chunk);
      slot.stderrTail.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
      slot.stderrTail.splice(0, Math.max(0, slot.stderrTail.length - STDERR_LINES));
    });
    child.on('message', (raw) => {
      const message = raw as UnitMessage;
      if (message.type === 'done' || message.type === 'failed') outcome = message;
      else deliver(slot, message);
    });
    child.once('error', (error) => {
      running.delete(slot);
      slot.end(fail(slot, `its process did not start: ${error.message}`));
    });
    // 'close', not 'exit': it comes after the last IPC message has been read.
    child.once('close', (code, signal) => {
      running.delete(slot);
      if (outcome?.type === 'done' && code === 0) {
        finishedUnits++;
        slot.end(undefined);
      } else if (outcome?.type === 'failed')
        slot.end(fail(slot, outcome.message, outcome.hint, outcome.code));
      else {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const tail = slot.stderrTail.slice(-5).join(' | ');
        slot.end(fail(slot, `its process ${how}${tail ? `: ${tail}` : ''}`));
      }
      next();
    });
    child.send({
      type: 'run',
      unit: slot.unit,
      config: scopeOf!.config,
      grid: scopeOf!.grid,
      directory: scopeOf!.directory,
    } satisfies UnitRequest);
  };

  let finishedUnits = 0;
  let statusTimer: NodeJS.Timeout | undefined;
  const next = () => {
    while (!failure && !closing && running.size < options.jobs && waiting.length > 0)
      launch(waiting.shift()!);
    if (running.size === 0 && statusTimer) clearInterval(statusTimer);
  };
  const statusLine = () => {
    const under = [...running].map((slot) => {
      const t = slot.training;
      const where = t
        ? ` epoch ${t.epoch}/${t.epochs} step ${t.stepInEpoch}/${t.stepsPerEpoch}`
        : slot.lastStarted && slot.lastStarted !== slot.unit.id
          ? ` ${slot.lastStarted}`
          : '';
      return `${slot.unit.id}${where}`;
    });
    return `units: ${finishedUnits} of ${slots.size} done, ${waiting.length} waiting; under way: ${under.join(', ')}`;
  };

  return {
    etaNote: `ETA: not measured (up to ${options.jobs} units at once)`,
    prepare: (scope, events) =>
      prepareData(dataNeeds(scope.config, scope.grid.tasks), (line) => events.log(line)),

    async schedule(units, scope, events) {
      scopeOf = scope;
      studyEvents = events;
      const cost = (unit: StudyUnit) =>
        unit.run ? estimatedSteps(runExperimentConfig(scope.config, unit.run, scope.directory)) : 0;
      const added = units.map((unit, order) => ({ order, slot: newSlot(unit, cost(unit)) }));
      for (const { slot } of added) slots.set(slot.unit.id, slot);
      added.sort((a, b) => b.slot.cost - a.slot.cost || a.order - b.order);
      waiting.push(...added.map(({ slot }) => slot));
      events.log(
        `${units.length} units, up to ${Math.min(options.jobs, units.length)} at once, each in its own process`,
      );
      next();
      statusTimer ??= setInterval(() => {
        if (running.size > 0) studyEvents?.log(statusLine());
      }, options.statusEveryMs ?? 30_000).unref();
      return added.map(({ slot }) => slot.unit.id);
    },

    async execute(unit, scope, events) {
      let slot = slots.get(unit.id);
      if (!slot) {
        // Not scheduled (a caller without `schedule`): run it now.
        await this.schedule!([unit], scope, events);
        slot = slots.get(unit.id)!;
      }
      // Relay what happened before the study reached this unit, then the rest as it comes.
      const relay = events;
      slot.relay = relay;
      for (const message of slot.pending.splice(0))
        slot.chain = slot.chain.then(() => relayMessage(relay, message));
      // Its own end, or the first failure of any unit (this one's, or one that ran ahead).
      const error = await Promise.race([slot.ended, failed]);
      // What the unit did so far is on record before the study hears of the end.
      await slot.chain;
      if (error) throw error;
    },

    async close() {
      closing = true;
      waiting.length = 0;
      if (statusTimer) clearInterval(statusTimer);
      const children = [...running].map((slot) => slot.child).filter((c) => c !== undefined);
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('close', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

function newSlot(unit: StudyUnit, cost: number): Slot {
  let end!: (error: UnitFailedError | undefined) => void;
  const ended = new Promise<UnitFailedError | undefined>((resolve) => (end = resolve));
  return { unit, cost, pending: [], chain: Promise.resolve(), stderrTail: [], ended, end };
}

async function relayMessage(events: UnitEvents, message: UnitMessage): Promise<void> {
  switch (message.type) {
    case 'started':
      return events.started(message.step);
    case 'finished':
      return events.finished(message.step, {
        seconds: message.seconds,
        ...(message.updates !== undefined ? { updates: message.updates } : {}),
      });
    case 'training':
      return events.training(message.status);
    default:
      return undefined;
  }
}
