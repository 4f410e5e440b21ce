import type { TrainingProgress } from '@stem/core';

/**
 * Training progress on stderr: one line redrawn in place on a terminal, or a plain line
 * every `intervalMs` when stderr is a file or pipe (CI logs stay readable). Silent under
 * --json so stdout and stderr stay machine-friendly.
 */
export function progressLine(
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 5000,
): (status: TrainingProgress) => void {
  if (!enabled) return () => {};
  let lastPrinted = 0;
  return (status) => {
    const losses = Object.entries(status.losses)
      .map(([task, loss]) => `${task} ${loss.toFixed(4)}`)
      .join('  ');
    const percent = Math.floor((100 * status.stepInEpoch) / Math.max(1, status.stepsPerEpoch));
    const bar = '#'.repeat(Math.floor(percent / 5)).padEnd(20, '.');
    const line = `epoch ${status.epoch}/${status.epochs} [${bar}] ${status.stepInEpoch}/${status.stepsPerEpoch}  loss ${losses}  ${Math.round(status.subwordsPerSecond)} sub-words/s`;
    if (stream.isTTY) {
      stream.write(
        `\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd((stream.columns ?? 120) - 1)}`,
      );
      if (status.stepInEpoch === status.stepsPerEpoch) stream.write('\n');
      return;
    }
    const now = Date.now();
    if (now - lastPrinted >= intervalMs || status.stepInEpoch === status.stepsPerEpoch) {
      lastPrinted = now;
      stream.write(`${line}\n`);
    }
  };
}
