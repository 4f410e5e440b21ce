import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { skipUnless } from '@stem/testing/requirements';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliNotBuilt,
  cliRoot,
  envelope,
  isolatedHome,
  repositoryRoot,
  runStem,
} from './run-stem.js';

/**
 * `stem view` on a real run with a checkpoint: a short pruning run (gates, some undecided) with a
 * POS probe, served by the built CLI. The page is driven in Debian's chromium as the report's
 * layout test drives it; the attention it shows is checked against `stem model attend` on the
 * same run. The screenshot replaces docs/images/view.png only with STEM_UPDATE_SCREENSHOTS=1.
 */
const CHROMIUM = process.env['STEM_CHROMIUM'] ?? '/usr/bin/chromium';
/**
 * A few pruning steps on stem-mini (4 x 8 heads, committed): a real encoder, so the attention on
 * the screenshot is a trained model's, with a checkpoint and gates the run left undecided.
 */
const PRUNE_CONFIG = `name: view-mini
seed: 7
encoder:
  type: stem.encoder.transformer.v1
  path: packages/model-stem-mini/model
tasks:
  pos:
    type: stem.task.pos.softmax.v1
    dataset: { type: stem.dataset.ud-ewt.v1 }
    limit: { train: 32, dev: 16, test: 16 }
trainer:
  epochs: 1
  maxSentencesPerBatch: 16
  maxSubwordsPerBatch: 640
  headLearningRate: 0.01
`;
const images =
  process.env['STEM_UPDATE_SCREENSHOTS'] === '1'
    ? join(repositoryRoot, 'docs', 'images')
    : mkdtempSync(join(tmpdir(), 'stem-view-screenshots-'));
const MAX_SCREENSHOT_BYTES = 300 * 1024;
const SENTENCE = 'The cat sat on the mat .';
/** The head the page is asked about (from 0): the second layer's first head. */
const LAYER = 1;
const HEAD = 0;

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `stem view --json` and waits for its one-line envelope with the URL. */
function serve(directory: string, env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(
    process.execPath,
    [join(cliRoot, 'bin', 'run.js'), 'view', directory, '--json'],
    {
      cwd: repositoryRoot,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) {
        const { ok, result } = JSON.parse(line) as { ok: boolean; result: { url: string } };
        if (ok) resolve({ child, url: result.url, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) =>
      reject(new Error(`stem view exited ${code}:\n${stdout}\n${stderr}`)),
    );
  });
}

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += String(chunk)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(cliNotBuilt('commands/view.js'))('stem view', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let run: string;
  let served: Served;
  let gates: number[][];
  let probeAccuracy: number[][];

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-view-'));
    const config = join(work, 'prune-mini.yaml');
    await writeFile(config, PRUNE_CONFIG);
    const pruned = await runStem(
      ['prune', '-c', config, '--set', `output.directory=${join(work, 'runs')}`, '--json'],
      env,
    );
    expect(pruned.code, pruned.stderr).toBe(0);
    run = envelope<{ runDirectory: string }>(pruned).result.runDirectory;
    const probed = await runStem(['probe', run, '--task', 'pos', '--limit', '16', '--json'], env);
    expect(probed.code, probed.stderr).toBe(0);
    gates = JSON.parse(await readFile(join(run, 'pruning', 'gates.json'), 'utf8')).final.gates;
    probeAccuracy = JSON.parse(
      await readFile(join(run, 'analyses', 'probe', 'probe-pos.json'), 'utf8'),
    ).weightedAccuracy;
    // A file beside the run, and a link inside the run that leads to it.
    await writeFile(join(work, 'secret.json'), '{"secret": true}\n');
    await symlink(join(work, 'secret.json'), join(run, 'leak.json'));
    await mkdir(join(work, 'neither'));
    served = await serve(run, env);
  }, 300_000);

  afterAll(() => {
    if (served && served.child.exitCode === null) served.child.kill('SIGKILL');
  });

  it('refuses a folder that is neither a study nor a run with RUN_INVALID', async () => {
    const result = await runStem(['view', join(work, 'neither'), '--json'], env);
    expect(result.code).not.toBe(0);
    const { ok, error } = envelope(result);
    expect(ok).toBe(false);
    expect(error?.code).toBe('RUN_INVALID');
    expect(error?.message).toContain(join(work, 'neither'));
    expect(error?.message).toMatch(/neither a study directory .* nor a run directory/);
  });

  it('listens on 127.0.0.1 and serves the run files, nothing outside the run', async () => {
    expect(new URL(served.url).hostname).toBe('127.0.0.1');
    const inside = await fetch(`${served.url}api/file?path=manifest.json`);
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe(await readFile(join(run, 'manifest.json'), 'utf8'));
    for (const path of [
      '../secret.json',
      '..%2Fsecret.json',
      '%2e%2e/secret.json',
      'pruning/../../secret.json',
      encodeURIComponent(join(work, 'secret.json')),
      'leak.json',
    ]) {
      const response = await fetch(`${served.url}api/file?path=${path}`);
      expect(response.status, path).toBe(403);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, path).toBe('INPUT_INVALID');
      expect(body.error.message, path).toMatch(/outside the viewed directory/);
    }
    // The same traversal in the URL's path, sent as written, reaches no file either.
    for (const path of ['/../secret.json', '/api/file/%2e%2e/%2e%2e/secret.json']) {
      const response = await rawGet(served.url, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('"secret": true');
      expect(JSON.parse(response.body).error.code, path).toBeTruthy();
    }
    // A setting outside the run is refused the same way.
    const attention = await fetch(
      `${served.url}api/attention?setting=..&layer=0&head=0&text=${encodeURIComponent(SENTENCE)}`,
    );
    expect(attention.status).toBe(403);
  });

  it("the API reports the head's gate and probe accuracy as the run's files hold them", async () => {
    const record = (await (
      await fetch(`${served.url}api/head?layer=${LAYER}&head=${HEAD}`)
    ).json()) as {
      probes: Array<{ task: string; accuracy: number }>;
      gates: Array<{ gate: number; undecided: boolean }>;
    };
    const gate = gates[LAYER]![HEAD]!;
    expect(record.gates).toEqual([
      expect.objectContaining({ gate, undecided: gate > 0 && gate < 1 }),
    ]);
    expect(record.probes).toEqual([
      expect.objectContaining({ task: 'pos', accuracy: probeAccuracy[LAYER]![HEAD] }),
    ]);
  });

  describe.skipIf(
    skipUnless(
      existsSync(CHROMIUM),
      `no browser at ${CHROMIUM}: apt-get install chromium, or set STEM_CHROMIUM (.ci/run installs Debian's chromium)`,
    ),
  )('in headless chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('click a head, type a sentence: the page shows that head and its attention as stem model attend computes it', async () => {
      const attend = await runStem(
        [
          'model',
          'attend',
          run,
          '--text',
          SENTENCE,
          '--layer',
          `${LAYER}`,
          '--head',
          `${HEAD}`,
          '--json',
        ],
        env,
      );
      expect(attend.code, attend.stderr).toBe(0);
      const expected = envelope<{ units: string[]; heads: Array<{ attention: number[][] }> }>(
        attend,
      ).result;
      const matrix = expected.heads[0]!.attention;

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      try {
        await page.goto(served.url, { waitUntil: 'load' });
        await page.waitForSelector('body[data-ready="true"]');
        // The run's heads as a layers x heads grid of cells to click.
        expect(await page.locator('#head-grid svg.grid rect').count()).toBe(
          gates.length * gates[0]!.length,
        );
        await page.click(`#head-grid rect[data-layer="${LAYER}"][data-head="${HEAD}"]`);
        await page.waitForSelector('#gates table');
        expect(await page.textContent('#head-title')).toBe(`Layer ${LAYER + 1}, head ${HEAD + 1}`);
        const gate = gates[LAYER]![HEAD]!;
        expect(await page.textContent(`#gates [data-setting="."]`)).toBe(gate.toFixed(3));
        expect(await page.locator('#gates .badge.undecided').count()).toBe(
          gate > 0 && gate < 1 ? 1 : 0,
        );
        expect((await page.textContent('#probes [data-task="pos"]'))?.split(' ')[0]).toBe(
          probeAccuracy[LAYER]![HEAD]!.toFixed(3),
        );

        await page.fill('#sentence', SENTENCE);
        await page.press('#sentence', 'Enter');
        await page.waitForSelector('#attention svg.grid');
        expect(await page.getAttribute('#attention', 'data-layer')).toBe(`${LAYER}`);
        expect(await page.getAttribute('#attention', 'data-head')).toBe(`${HEAD}`);
        // One cell per (query word, key word), <root> first; each shows its weight.
        const shown = await page.$$eval('#attention svg.grid text[fill]', (cells) =>
          cells.map((c) => c.textContent),
        );
        expect(shown).toEqual(matrix.flat().map((v) => v.toFixed(2)));
        const tips = await page.$$eval('#attention svg.grid rect > title', (titles) =>
          titles.map((t) => /: ([0-9.]+)/.exec(t.textContent ?? '')?.[1]),
        );
        expect(tips).toEqual(matrix.flat().map((v) => v.toFixed(3)));
        expect(matrix).toHaveLength(SENTENCE.split(' ').length + 1);
        // The page asked nothing of any other host.
        const origin = new URL(served.url).origin;
        expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);

        await mkdir(images, { recursive: true });
        const file = join(images, 'view.png');
        await page.screenshot({ path: file, fullPage: true });
        expect(statSync(file).size).toBeGreaterThan(1000);
        expect(statSync(file).size).toBeLessThan(MAX_SCREENSHOT_BYTES);
      } finally {
        await page.close();
      }
    }, 120_000);
  });

  it('Ctrl-C stops the server cleanly', async () => {
    served.child.kill('SIGINT');
    expect(await served.exited).toBe(0);
    expect(served.stderr()).toMatch(/^stopped$/m);
    await expect(fetch(served.url)).rejects.toThrow();
  }, 30_000);
});
