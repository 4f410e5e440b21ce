import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SKIP_REASONS_FILE, TestRequirementError, skipUnless } from '../src/test-requirement.js';

describe('skipUnless', () => {
  const savedCI = process.env['CI'];
  const savedCwd = process.cwd();
  let scratch: string;

  beforeEach(() => {
    // The reasons file goes to the working directory: a scratch one, not this project's.
    scratch = mkdtempSync(join(tmpdir(), 'stem-skip-'));
    process.chdir(scratch);
  });
  afterEach(() => {
    process.chdir(savedCwd);
    rmSync(scratch, { recursive: true, force: true });
    if (savedCI === undefined) delete process.env['CI'];
    else process.env['CI'] = savedCI;
  });

  it('does not skip when the requirement holds, and records nothing', () => {
    process.env['CI'] = 'true';
    expect(skipUnless(true, 'never said')).toBe(false);
    expect(existsSync(join(scratch, SKIP_REASONS_FILE))).toBe(false);
  });

  it('outside CI skips and records the reason with the calling test file', () => {
    delete process.env['CI'];
    expect(skipUnless(false, 'the widget is not built: run pnpm build')).toBe(true);
    const lines = readFileSync(join(scratch, SKIP_REASONS_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as { file: string; reason: string; allowedInCI: null };
    expect(record.reason).toBe('the widget is not built: run pnpm build');
    expect(record.file).toMatch(/packages\/testing\/test\/test-requirement\.test\.ts$/);
    expect(record.allowedInCI).toBeNull();
  });

  it('in CI fails instead of skipping, naming the reason', () => {
    process.env['CI'] = 'true';
    expect(() => skipUnless(false, 'the widget is not built')).toThrow(TestRequirementError);
    expect(() => skipUnless(false, 'the widget is not built')).toThrow(/the widget is not built/);
    expect(existsSync(join(scratch, SKIP_REASONS_FILE))).toBe(false);
  });

  it('in CI skips when the test says why CI may skip too', () => {
    process.env['CI'] = 'true';
    expect(skipUnless(false, 'slow tests are off', { allowedInCI: 'the second pass' })).toBe(true);
    const record = JSON.parse(readFileSync(join(scratch, SKIP_REASONS_FILE), 'utf8')) as {
      allowedInCI: string;
    };
    expect(record.allowedInCI).toBe('the second pass');
  });
});
