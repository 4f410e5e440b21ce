import { skipUnless } from '@stem/testing/requirements';
import { describe, expect, it } from 'vitest';
import { findNativeInstall } from '../src/backend/native-tensorflow.js';
import { envelope, isolatedHome, runStem } from './run-stem.js';

const cpu = findNativeInstall('@tensorflow/tfjs-node');
const built = cpu.installed && cpu.binding !== undefined;

describe('stem backend install', () => {
  // Runs tfjs-node's real build step against an address that refuses connections, so the
  // test never downloads libtensorflow (nor needs the network) and fails the same way an
  // offline machine does. Skipped where the binding is already built: it would be rebuilt.
  it.skipIf(
    skipUnless(cpu.installed, 'the optional @tensorflow/tfjs-node is not installed') ||
      skipUnless(
        !built,
        "@tensorflow/tfjs-node's binding is built here: the test would rebuild it",
      ),
  )(
    'turns a failed libtensorflow download into one line, without a stack trace',
    async () => {
      const env = { ...(await isolatedHome()), TFJS_NODE_BASE_URI: 'https://127.0.0.1:9/' };
      const json = await runStem(['backend', 'install', 'cpu', '--json'], env);
      expect(json.code).not.toBe(0);
      const error = envelope(json).error;
      expect(error?.message).toBe(
        '@tensorflow/tfjs-node: its build step failed (connect ECONNREFUSED 127.0.0.1:9)',
      );
      expect(error?.hint).toMatch(/storage\.googleapis\.com/);

      const text = await runStem(['backend', 'install', 'cpu'], env);
      expect(text.code).toBe(1);
      expect(text.stderr).toContain('error: @tensorflow/tfjs-node: its build step failed');
      expect(text.stderr).not.toMatch(/^\s+at .*:\d+:\d+/m);
      expect(text.stderr).not.toContain("Unhandled 'error' event");
      // --verbose passes the script's own output through, stack trace included.
      const verbose = await runStem(['backend', 'install', 'cpu', '--verbose'], env);
      expect(verbose.stderr).toContain("Unhandled 'error' event");
    },
    120_000,
  );

  it('refuses a device it cannot build', async () => {
    const run = await runStem(['backend', 'install', 'tpu'], await isolatedHome());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Expected tpu to be one of: gpu, cpu/);
  });
});
