import { describe, it } from 'vitest';
import { missingScorers } from './official-scorers.js';

const missing = await missingScorers();

/**
 * A describe block that needs the official scorers. Where they (or python3 / perl / make / a
 * C compiler) are missing, its tests are skipped with the reason; in CI (`CI` set) a missing
 * scorer fails instead, so the agreement is never silently untested there.
 */
export function describeWithScorers(title: string, body: () => void): void {
  if (missing === undefined) {
    describe(title, body);
  } else if (process.env.CI) {
    describe(title, () => {
      it('has the official scorers', () => {
        throw new Error(`${missing}: CI must run the scorer agreement`);
      });
    });
  } else {
    process.stderr.write(`skipped: ${title}: ${missing}\n`);
    describe(title, () => {
      it.skip(`skipped: ${missing}`, () => {});
    });
  }
}
