import { expect } from 'vitest';

/** Official scorers print percentages with two decimals: agreement means within 0.01. */
export const TOLERANCE = 0.01;

/** One line of the agreement report: a stem score beside the official one (percent). */
export interface Comparison {
  task: string;
  metric: string;
  stem: number;
  official: number;
  /** Set where the two count differently on purpose: the convention that differs. */
  convention?: string;
}

const reported: Comparison[] = [];

/** Asserts that stem's number is the official scorer's, to 0.01, and reports both. */
export function expectAgreement(
  task: string,
  metric: string,
  stem: number,
  official: number,
): void {
  reported.push({ task, metric, stem, official });
  expect(
    Math.abs(stem - official),
    `${task} ${metric}: stem ${stem.toFixed(4)} vs official ${official.toFixed(2)}`,
  ).toBeLessThanOrEqual(TOLERANCE);
}

/**
 * Reports a stem variant that counts by another, named convention beside the official number
 * (not asserted equal: the convention is what differs).
 */
export function reportConvention(
  task: string,
  metric: string,
  stem: number,
  official: number,
  convention: string,
): void {
  reported.push({ task, metric, stem, official, convention });
}

/** The report so far, one line per comparison, printed by the suites after their tests. */
export function agreementReport(): string {
  return reported
    .map(
      (c) =>
        `${c.task.padEnd(22)} ${c.metric.padEnd(26)} stem ${c.stem.toFixed(2).padStart(6)}  official ${c.official.toFixed(2).padStart(6)}` +
        (c.convention ? `  (differs by convention: ${c.convention})` : ''),
    )
    .join('\n');
}
