import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '@stem/testing/requirements';
import { envelope, isolatedHome, runStem } from './run-stem.js';

const CHROMIUM = process.env['STEM_CHROMIUM'] ?? '/usr/bin/chromium';

interface ProbeOut {
  file: string;
  result: {
    task: string;
    probe: string;
    split: string;
    fit?: string;
    layers: number;
    heads: number;
    items: number;
    sentences: number;
    labels: Array<{
      label: string;
      count: number;
      accuracy: number[][];
      best: { accuracy: number };
    }>;
    weightedAccuracy: number[][];
    baselines?: Array<{ name: string; accuracy: number; labels: Record<string, number> }>;
    source?: { kind?: string };
  };
}

async function firstWords(split: 'train' | 'test', n: number): Promise<number> {
  const file = udFile('en_ewt', split);
  const sentences = parseConllu(await readFile(file, 'utf8'), file).sentences.slice(0, n);
  return sentences.map((s) => conlluToSentence(s)).reduce((sum, s) => sum + s.words.length, 0);
}

describe('stem probe / probe compare / report', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let model: string;
  let run: string;
  let staticPos: ProbeOut;
  let runPos: ProbeOut;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-probe-cli-'));
    // A random 2 x 2 BERT whose vocabulary is trained on EWT text.
    const corpus = join(work, 'corpus.txt');
    const file = udFile('en_ewt', 'train');
    const text = parseConllu(await readFile(file, 'utf8'), file)
      .sentences.slice(0, 300)
      .map((s) => conlluToSentence(s).words.join(' '))
      .join('\n');
    await writeFile(corpus, text);
    model = join(work, 'model');
    const init = await runStem(
      [
        'model',
        'init',
        '--layers',
        '2',
        '--heads',
        '2',
        '--hidden',
        '16',
        '--vocab-from',
        corpus,
        '--out',
        model,
        '--json',
      ],
      env,
    );
    expect(init.code, init.stderr).toBe(0);
    // A trained POS run (1 layer x 2 heads, a few steps).
    const train = await runStem(
      [
        'train',
        '-c',
        join(import.meta.dirname, 'fixtures', 'configs', 'pos-tiny.yaml'),
        '--set',
        `output.directory=${join(work, 'runs')}`,
        '--set',
        'trainer.epochs=1',
        '--set',
        'tasks.pos.limit.train=48',
        '--set',
        'tasks.pos.limit.dev=8',
        '--set',
        'tasks.pos.limit.test=8',
        // The config's analyzers run after training, each into analyses/<name>/.
        '--set',
        'analyzers.probe-pos.type=stem.analyzer.probe.centroid.v1',
        '--set',
        'analyzers.probe-pos.task=pos',
        '--json',
      ],
      env,
    );
    expect(train.code, train.stderr).toBe(0);
    run = envelope<{ runDirectory: string }>(train).result.runDirectory;
  }, 240_000);

  it('probes DEP on a static model, with positional baselines, streaming batches', async () => {
    const out = join(work, 'static');
    const probe = await runStem(
      [
        'probe',
        model,
        '--task',
        'dep',
        '--data',
        'ud-ewt',
        '--limit',
        '20',
        '--batch-sentences',
        '8',
        '--out',
        out,
        '--json',
      ],
      env,
    );
    expect(probe.code, probe.stderr).toBe(0);
    const { result, file } = envelope<ProbeOut>(probe).result;
    expect(file).toBe(join(out, 'probe-dep.json'));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(result);
    // One arc per word of the first 20 EWT test sentences, each under its relation.
    expect(result.items).toBe(await firstWords('test', 20));
    expect(result.labels.reduce((n, l) => n + l.count, 0)).toBe(result.items);
    expect([result.layers, result.heads, result.weightedAccuracy.length]).toEqual([2, 2, 2]);
    expect(result.baselines?.map((b) => b.name)).toEqual([
      'previous word',
      'next word',
      'best fixed offset per label',
    ]);
    // The per-label positional row is at least as good as either adjacent row on every label.
    const [previous, next, offset] = result.baselines!;
    for (const label of result.labels) {
      const best = offset!.labels[label.label]!;
      expect(best).toBeGreaterThanOrEqual(previous!.labels[label.label]!);
      expect(best).toBeGreaterThanOrEqual(next!.labels[label.label]!);
    }
    expect(result.source?.kind).toBe('static');
    // Progress on stderr: 20 sentences in batches of at most 8.
    expect(probe.stderr).toMatch(/batch 3\/3, 20\/20 sentences/);
  });

  it('probes POS on a trained run into its analyses folder, and fits centroids on train when asked', async () => {
    const onRun = await runStem(['probe', run, '--task', 'pos', '--limit', '20', '--json'], env);
    expect(onRun.code, onRun.stderr).toBe(0);
    runPos = envelope<ProbeOut>(onRun).result;
    expect(runPos.file).toBe(join(run, 'analyses', 'probe', 'probe-pos.json'));
    expect(runPos.result).toMatchObject({
      probe: 'centroid',
      split: 'test',
      fit: 'test',
      layers: 1,
      heads: 2,
    });
    expect(runPos.result.source?.kind).toBe('run');

    const out = join(work, 'static');
    const fitted = await runStem(
      [
        'probe',
        model,
        '--task',
        'pos',
        '--fit',
        'train',
        '--limit',
        '20',
        '--out',
        join(work, 'fit'),
        '--json',
      ],
      env,
    );
    expect(fitted.code, fitted.stderr).toBe(0);
    expect(envelope<ProbeOut>(fitted).result.result.fit).toBe('train');
    expect(fitted.stderr).toMatch(/fitting on train/);

    const same = await runStem(
      ['probe', model, '--task', 'pos', '--limit', '20', '--out', out, '--json'],
      env,
    );
    expect(same.code, same.stderr).toBe(0);
    staticPos = envelope<ProbeOut>(same).result;
    expect(staticPos.result.items).toBe(await firstWords('test', 20));
  });

  it('ran the analyzer named in the training config on the trained model', async () => {
    const written = JSON.parse(
      await readFile(join(run, 'analyses', 'probe-pos', 'probe-pos.json'), 'utf8'),
    ) as ProbeOut['result'];
    expect(written).toMatchObject({ task: 'pos', split: 'test', layers: 1, heads: 2 });
    // The run's 8 test sentences (limit.test) are what it probed.
    expect(written.items).toBe(await firstWords('test', 8));
    expect(
      JSON.parse(await readFile(join(run, 'analyses', 'probe-pos', 'result.json'), 'utf8')),
    ).toEqual(written);
  });

  it('refuses what it cannot do, with the reason', async () => {
    const notModel = await runStem(['probe', work, '--task', 'pos', '--json'], env);
    expect(envelope(notModel).error?.code).toBe('NOT_A_MODEL');
    const fitDep = await runStem(
      ['probe', model, '--task', 'dep', '--fit', 'train', '--json'],
      env,
    );
    expect(envelope(fitDep).error?.message).toMatch(/--fit applies to centroid probes/);
  });

  it('compares per-label best-head accuracy between results', async () => {
    const compare = await runStem(
      [
        'probe',
        'compare',
        staticPos.file,
        runPos.file,
        '--name',
        'static',
        '--name',
        'STL',
        '--json',
      ],
      env,
    );
    expect(compare.code, compare.stderr).toBe(0);
    const { result } = envelope<{
      columns: string[];
      rows: Array<{ label: string; accuracy: Array<number | null>; delta: Array<number | null> }>;
    }>(compare);
    expect(result.columns).toEqual(['static', 'STL']);
    const stl = new Map(runPos.result.labels.map((l) => [l.label, l.best.accuracy]));
    for (const label of staticPos.result.labels) {
      const row = result.rows.find((r) => r.label === label.label)!;
      expect(row.accuracy[0]).toBe(label.best.accuracy);
      expect(row.accuracy[1]).toBe(stl.get(label.label) ?? null);
      if (row.accuracy[1] !== null)
        expect(row.delta[1]).toBeCloseTo(row.accuracy[1]! - label.best.accuracy, 12);
    }
    const human = await runStem(['probe', 'compare', staticPos.file, runPos.file], env);
    expect(human.stdout).toMatch(/below static on \d+ of \d+ labels/);
  });

  describe('report', () => {
    let index: string;
    let figures: string[];

    beforeAll(async () => {
      // A pruning run as `stem prune` leaves it (pruning/gates.json) and an overlap analysis.
      const pruned = join(work, 'pruned-pos-s1');
      await mkdir(join(pruned, 'pruning'), { recursive: true });
      const gates = [
        [0.9, 0],
        [0.0005, 0.4],
      ];
      await writeFile(
        join(pruned, 'pruning', 'gates.json'),
        JSON.stringify({
          format: 1,
          component: 'gates',
          tasks: ['pos'],
          seed: 1,
          final: { gates },
          evaluations: [],
        }),
      );
      await writeFile(
        join(work, 'overlap.json'),
        JSON.stringify({
          layers: 2,
          heads: 2,
          tasks: [{ task: 'pos', meanGates: gates, keptFraction: 0.5 }],
          meanGates: gates,
          correlation: {
            tasks: ['pos', 'dep'],
            r: [
              [0.9, 0.2],
              [0.2, null],
            ],
          },
        }),
      );
      const report = await runStem(
        [
          'report',
          run,
          pruned,
          join(work, 'overlap.json'),
          staticPos.file,
          '--out',
          join(work, 'report'),
          '--json',
        ],
        env,
      );
      expect(report.code, report.stderr).toBe(0);
      ({ index, figures } = envelope<{ index: string; figures: string[] }>(report).result);
    }, 120_000);

    it('writes heat maps, Markdown and LaTeX tables and one index.html', async () => {
      // Probe accuracy of the run (stem probe and the config's analyzer) and of the static
      // model, the gates, 3 overlap maps.
      expect(figures).toHaveLength(7);
      for (const figure of figures) {
        const svg = await readFile(figure, 'utf8');
        expect(svg).toMatch(/^<svg/);
        // Labelled axes (layer x head, or task x task for correlations) and a colour legend.
        expect(svg).toMatch(/>(layer|task)</);
        expect(svg).toMatch(/class="mark-group role-legend/);
      }
      const tables = await readdir(join(work, 'report', 'tables'));
      expect(tables.sort()).toEqual(
        ['gate-correlation-1', 'kept-heads', 'probe-pos', 'task-scores']
          .flatMap((t) => [`${t}.md`, `${t}.tex`])
          .sort(),
      );
      const kept = await readFile(join(work, 'report', 'tables', 'kept-heads.md'), 'utf8');
      // 0.9 and 0.4 are above 1e-3, 0 and 0.0005 are not: 2 of 4 heads.
      expect(kept).toContain('| pos | 1 | 2.0 | 4 | 50.00 |');
      const probe = await readFile(join(work, 'report', 'tables', 'probe-pos.md'), 'utf8');
      const analyzerLabels = (
        JSON.parse(
          await readFile(join(run, 'analyses', 'probe-pos', 'probe-pos.json'), 'utf8'),
        ) as ProbeOut['result']
      ).labels;
      expect(probe.split('\n').filter((l) => l.startsWith('| ')).length).toBe(
        1 +
          new Set(
            [...staticPos.result.labels, ...runPos.result.labels, ...analyzerLabels].map(
              (l) => l.label,
            ),
          ).size +
          1,
      );
      const html = await readFile(index, 'utf8');
      expect(html).not.toMatch(/<script|https?:\/\//);
      for (const figure of figures) expect(html).toContain(`figures/${figure.split('/').pop()}`);
    });

    it.skipIf(
      skipUnless(
        existsSync(CHROMIUM),
        `no browser at ${CHROMIUM}: apt-get install chromium, or set STEM_CHROMIUM (.ci/run installs Debian's chromium)`,
      ),
    )(
      'renders in headless chromium: every image loads, every table has rows',
      async () => {
        const { chromium } = await import('playwright-core');
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        });
        try {
          const page = await browser.newPage();
          await page.goto(pathToFileURL(index).href, { waitUntil: 'load' });
          const images = await page.$$eval('img', (all) =>
            all.map((img) => ({
              src: img.getAttribute('src'),
              loaded: img.complete && img.naturalWidth > 0,
            })),
          );
          expect(images).toHaveLength(figures.length);
          for (const image of images)
            expect(image, image.src ?? '').toMatchObject({ loaded: true });
          const rows = await page.$$eval('table', (all) =>
            all.map((t) => t.querySelectorAll('tbody tr').length),
          );
          expect(rows).toHaveLength(4);
          for (const count of rows) expect(count).toBeGreaterThan(0);
          if (process.env['STEM_REPORT_SCREENSHOT'])
            await page.screenshot({ path: process.env['STEM_REPORT_SCREENSHOT'], fullPage: true });
        } finally {
          await browser.close();
        }
      },
      60_000,
    );
  });
});
