/** Thrown by the conformance checks; lists every problem found, not just the first. */
export class ConformanceError extends Error {
  constructor(
    readonly plugin: string,
    readonly problems: string[],
  ) {
    super(
      `${plugin} is not a conforming stem plugin:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConformanceError';
  }
}
