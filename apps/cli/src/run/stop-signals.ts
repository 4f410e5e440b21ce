/** The signals that stop a long command (Ctrl-C, `kill`), with the exit code a shell reports. */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

export interface StopSignals {
  /** Aborts on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, once one was. */
  received(): StopSignal | undefined;
  /** Removes the handlers. */
  dispose(): void;
  /** Writes `message` as one line to stderr and exits 130 (SIGINT) or 143 (SIGTERM). */
  exit(message: string): never;
}

/**
 * Turns the first SIGINT/SIGTERM into an abort, so the command can hand its work back and close
 * its connections before it exits. The handlers are `once`: a second Ctrl-C kills the process
 * at once, as node does by default.
 */
export function stopOnSignals(onStop: (name: StopSignal) => void = () => {}): StopSignals {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => {
      if (received) return;
      received = name;
      onStop(name);
      controller.abort();
    };
    process.once(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
    exit(message) {
      process.stderr.write(`${message}\n`);
      // Exit now: a unit handed back may still be training in this process.
      process.exit(STOP_SIGNALS[received ?? 'SIGINT']);
    },
  };
}
