import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { skipUnless } from '@stem/testing/requirements';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The committed quick study's report, opened in Debian's chromium at two widths: the panels a
 * reader compares side by side are there, drawn and laid out as they should be. At 1280 px it
 * takes the README's screenshots; they replace docs/images/report-top.png and
 * report-task-row.png only with STEM_UPDATE_SCREENSHOTS=1 (pixels differ from one chromium
 * build to the next, so an ordinary run must not leave the tree modified).
 */
const CHROMIUM = process.env['STEM_CHROMIUM'] ?? '/usr/bin/chromium';
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const study = join(repositoryRoot, 'docs', 'study-quick');
const index = join(study, 'report', 'index.html');
const images =
  process.env['STEM_UPDATE_SCREENSHOTS'] === '1'
    ? join(repositoryRoot, 'docs', 'images')
    : mkdtempSync(join(tmpdir(), 'stem-report-screenshots-'));
/** A screenshot small enough to commit. */
const MAX_SCREENSHOT_BYTES = 300 * 1024;

// What the report must show, read from the study's own files rather than from the page.
const tasks = readdirSync(join(study, 'probes', 'static'))
  .map((name) => /^probe-([a-z]+)\.json$/.exec(name)?.[1])
  .filter((task): task is string => task !== undefined);
const runs = readdirSync(join(study, 'runs'));
const allTasksRuns = runs.filter((name) => name.startsWith('mtl5-')).length;
const overlap = JSON.parse(
  readFileSync(join(study, 'analyses', 'overlap', 'overlap.json'), 'utf8'),
) as { tasks: unknown[]; stemCells: unknown[]; correlation: { tasks: string[] } };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const missingChromium = !existsSync(CHROMIUM);

describe.skipIf(
  skipUnless(
    !missingChromium,
    `no browser at ${CHROMIUM}: apt-get install chromium, or set STEM_CHROMIUM (.ci/run installs Debian's chromium)`,
  ),
)('the report in headless chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (width: number): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    // file:// with no server: the page must stand on its own.
    await page.goto(pathToFileURL(index).href, { waitUntil: 'load' });
    return page;
  };

  it('finds the study the report is drawn from', () => {
    expect(tasks.length).toBeGreaterThan(1);
    expect(allTasksRuns).toBeGreaterThan(0);
    expect(existsSync(index)).toBe(true);
  });

  for (const width of [1280, 800])
    it(`at ${width} px: a row of four panels per task, the bar chart, the overlap, the claims`, async () => {
      const page = await open(width);
      try {
        // One row per task: static, STL, MTL-5 and the difference, each drawn with a size.
        const rows = await page.$$eval('section.task-row', (sections) =>
          sections.map((section) => ({
            task: section.getAttribute('data-task'),
            panels: [...section.querySelectorAll('figure.panel')].map((figure) => {
              const svg = figure.querySelector('svg.grid');
              const box = svg?.getBoundingClientRect();
              return {
                kind: figure.getAttribute('data-panel'),
                top: figure.getBoundingClientRect().y,
                cells: svg?.querySelectorAll('rect').length ?? 0,
                box: box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null,
              };
            }),
          })),
        );
        expect(rows.map((r) => r.task).sort()).toEqual([...tasks].sort());
        for (const row of rows) {
          expect(
            row.panels.map((p) => p.kind),
            row.task!,
          ).toEqual(['static', 'stl', 'mtl', 'difference']);
          for (const panel of row.panels) {
            const box = panel.box as Box;
            expect(box, `${row.task} ${panel.kind}`).not.toBeNull();
            expect(box.width).toBeGreaterThan(50);
            expect(box.height).toBeGreaterThan(20);
            expect(panel.cells).toBeGreaterThan(0);
            // Nothing runs off the page at either width.
            expect(box.x + box.width).toBeLessThanOrEqual(width);
          }
          const tops = row.panels.map((p) => Math.round(p.top));
          if (width === 1280) expect(new Set(tops).size, `${row.task} in one row`).toBe(1);
        }
        // Every panel of a row shares the legend of its scale: two legends per row.
        expect(await page.locator('section.task-row svg.legend').count()).toBe(2 * rows.length);

        // The bar chart: a bar per setting per task, a dot per run.
        const bars = await page.$$eval('svg.score-bars rect.bar', (all) =>
          all.map((bar) => ({
            task: bar.getAttribute('data-task'),
            setting: bar.getAttribute('data-setting'),
            height: bar.getBoundingClientRect().height,
          })),
        );
        for (const task of tasks)
          expect(
            bars
              .filter((b) => b.task === task)
              .map((b) => b.setting)
              .sort(),
            task,
          ).toEqual(['mtl', 'stl']);
        expect(bars).toHaveLength(2 * tasks.length);
        for (const bar of bars) expect(bar.height).toBeGreaterThan(0);
        const stlRuns = runs.filter((name) => tasks.some((t) => name.startsWith(`stl-${t}-`)));
        expect(await page.locator('svg.score-bars circle.seed-dot').count()).toBe(
          stlRuns.length + allTasksRuns * tasks.length,
        );

        // The overlap: an RGB map per task, the mean-gate map, the Pearson heat map and the
        // stem-cell list beside them.
        expect(await page.locator('#overlap figure[data-map="rgb"] svg').count()).toBe(
          overlap.tasks.length,
        );
        expect(await page.locator('#overlap figure[data-map="mean-gates"] svg.grid').count()).toBe(
          1,
        );
        const pearson = page.locator('#overlap figure[data-map="pearson"] svg.grid');
        expect(await pearson.locator('rect').count()).toBe(overlap.correlation.tasks.length ** 2);
        expect(await page.locator('#overlap .stem-cell-list li').count()).toBe(
          overlap.stemCells.length,
        );
        for (const selector of ['#overlap .overlap-maps', '#overlap .stem-cells']) {
          const box = await page.locator(selector).first().boundingBox();
          expect(box?.width, selector).toBeGreaterThan(100);
        }

        // The headline: a card per claim with its verdict badge, the encoder's gates.
        expect(await page.locator('.claim-card .badge.verdict').count()).toBe(3);
        expect(await page.locator('.encoder-card').count()).toBe(1);

        if (width === 1280) {
          await mkdir(images, { recursive: true });
          const top = join(images, 'report-top.png');
          const row = join(images, 'report-task-row.png');
          await page.screenshot({ path: top });
          await page.locator('section.task-row').first().screenshot({ path: row });
          for (const file of [top, row]) {
            expect(statSync(file).size, file).toBeGreaterThan(1000);
            expect(statSync(file).size, file).toBeLessThan(MAX_SCREENSHOT_BYTES);
          }
        }
      } finally {
        await page.close();
      }
    }, 60_000);
});
