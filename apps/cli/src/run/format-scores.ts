import type { MetricResult } from '@stem/core';

/** `test  pos accuracy 0.9412 (tokens 25094)`: one line per task, primary score first. */
export function formatScores(split: string, results: Record<string, MetricResult>): string {
  return Object.entries(results)
    .map(([task, result]) => {
      const primary = result.scores[result.primary];
      const others = Object.entries(result.scores).filter(([name]) => name !== result.primary);
      const extra = others.length
        ? ` (${others.map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(4)}`).join(', ')})`
        : '';
      return `${split.padEnd(5)} ${task} ${result.primary} ${primary === undefined ? '-' : primary.toFixed(4)}${extra}`;
    })
    .join('\n');
}
