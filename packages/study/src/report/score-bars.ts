import { intervalText } from './claim-verdict.js';
import { meanInterval, type MeanInterval } from './mean-interval.js';
import type { Study } from './study-files.js';
import type { StudyHeadline } from './study-headline.js';
import { htmlEscape } from './table.js';

/** One setting of one task: its runs' scores (fractions) by seed and their mean with interval. */
export interface SettingScores {
  setting: 'stl' | 'mtl';
  label: string;
  values: Array<{ seed: number | undefined; run: string; value: number }>;
  interval?: MeanInterval;
}

const sameTasks = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t) => b.includes(t));

/**
 * Per task of the headline, the STL and all-tasks scores of the runs the headline counted
 * (training runs, not pruning runs), each with its mean and 95% Student-t interval over runs.
 */
export function settingScores(
  study: Study,
  headline: StudyHeadline,
): Array<{ task: string; settings: SettingScores[] }> {
  const trained = study.runs.filter((r) => !r.pruned);
  const all = headline.allTasks;
  return headline.scores.map(({ task }) => {
    const of = (setting: 'stl' | 'mtl', label: string, tasks: readonly string[]) => {
      const values = trained
        .filter((r) => sameTasks(r.tasks, tasks) && r.scores[task])
        .map((r) => ({ seed: r.seed, run: r.name, value: r.scores[task]!.value }));
      const scores: SettingScores = { setting, label, values };
      if (values.length > 0) scores.interval = meanInterval(values.map((v) => v.value));
      return scores;
    };
    const settings = [of('stl', 'STL', [task])];
    if (all) settings.push(of('mtl', all.label, all.tasks));
    return { task, settings };
  });
}

const FILL: Record<SettingScores['setting'], string> = { stl: '#9ecae1', mtl: '#fdae6b' };
const INK: Record<SettingScores['setting'], string> = { stl: '#08519c', mtl: '#a63603' };

/**
 * STL vs the all-tasks setting per task as one SVG bar chart (0 to 100%): a bar per setting at
 * its mean over runs, a dot per run (seed), whiskers at the 95% interval where there are two
 * runs or more, and under each task the paired difference the headline computed.
 */
export function scoreBarsSvg(study: Study, headline: StudyHeadline): string {
  const groups = settingScores(study, headline);
  const bar = 30;
  const group = 2 * bar + 70;
  const left = 44;
  const top = 12;
  const plot = 180;
  const width = left + Math.max(1, groups.length) * group + 8;
  const height = top + plot + 46;
  const y = (fraction: number) => top + plot * (1 - Math.min(1, Math.max(0, fraction)));
  const label = `Task scores, STL vs ${headline.allTasks?.label ?? 'MTL'}: bars are means over runs, dots single runs, whiskers 95% intervals`;
  const parts = [
    `<svg class="score-bars" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${htmlEscape(label)}" font-family="sans-serif" font-size="10">`,
    `<title>${htmlEscape(label)}</title>`,
  ];
  for (let tick = 0; tick <= 100; tick += 20)
    parts.push(
      `<line x1="${left}" x2="${width - 8}" y1="${y(tick / 100)}" y2="${y(tick / 100)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 4}" y="${y(tick / 100) + 3}" text-anchor="end">${tick}</text>`,
    );
  parts.push(
    `<text transform="translate(10 ${top + plot / 2}) rotate(-90)" text-anchor="middle">score (%)</text>`,
  );
  groups.forEach(({ task, settings }, g) => {
    const x0 = left + g * group + 20;
    settings.forEach((s, k) => {
      const x = x0 + k * (bar + 6);
      const mean = s.interval?.mean;
      if (mean !== undefined)
        parts.push(
          `<rect class="bar" data-task="${htmlEscape(task)}" data-setting="${s.setting}" x="${x}" y="${y(mean)}" width="${bar}" height="${(top + plot - y(mean)).toFixed(2)}" fill="${FILL[s.setting]}"><title>${htmlEscape(`${task} ${s.label}: mean ${(100 * mean).toFixed(2)}% over ${s.values.length} run(s)`)}</title></rect>`,
          `<text x="${x + bar / 2}" y="${y(mean) - 3}" text-anchor="middle" font-size="8">${(100 * mean).toFixed(1)}</text>`,
        );
      const { low, high } = s.interval ?? {};
      if (low !== undefined && high !== undefined)
        parts.push(
          `<path class="interval" d="M${x + bar / 2} ${y(low)}V${y(high)}M${x + bar / 2 - 5} ${y(low)}h10M${x + bar / 2 - 5} ${y(high)}h10" stroke="${INK[s.setting]}" stroke-width="1.5"><title>${htmlEscape(`95% interval ${(100 * low).toFixed(2)} to ${(100 * high).toFixed(2)}`)}</title></path>`,
        );
      s.values.forEach((v, i) => {
        // Spread the dots across the bar so equal scores stay visible.
        const dx = s.values.length === 1 ? bar / 2 : 6 + ((bar - 12) * i) / (s.values.length - 1);
        parts.push(
          `<circle class="seed-dot" data-setting="${s.setting}" cx="${(x + dx).toFixed(2)}" cy="${y(v.value).toFixed(2)}" r="3" fill="${INK[s.setting]}" stroke="#fff" stroke-width="0.8"><title>${htmlEscape(`${v.run}${v.seed !== undefined ? ` (seed ${v.seed})` : ''}: ${(100 * v.value).toFixed(2)}%`)}</title></circle>`,
        );
      });
    });
    const difference = headline.scores.find((s) => s.task === task)?.difference;
    parts.push(
      `<text x="${x0 + bar + 3}" y="${top + plot + 14}" text-anchor="middle" font-size="11" font-weight="bold">${htmlEscape(task)}</text>`,
      `<text x="${x0 + bar + 3}" y="${top + plot + 27}" text-anchor="middle" font-size="8">${htmlEscape(difference ? `Δ ${intervalText(difference).replace(/ \[95%.*\]/, '')}` : 'Δ n/a')}</text>`,
    );
  });
  const legendY = height - 8;
  settingsLegend(parts, left, legendY, headline.allTasks?.label);
  parts.push('</svg>');
  return parts.join('');
}

function settingsLegend(parts: string[], x: number, y: number, allLabel: string | undefined): void {
  const entries: Array<[SettingScores['setting'], string]> = [['stl', 'STL']];
  if (allLabel) entries.push(['mtl', allLabel]);
  entries.forEach(([setting, name], k) => {
    const at = x + k * 90;
    parts.push(
      `<rect x="${at}" y="${y - 8}" width="10" height="10" fill="${FILL[setting]}"/><text x="${at + 14}" y="${y}">${htmlEscape(name)}</text>`,
    );
  });
  parts.push(
    `<circle cx="${x + 190}" cy="${y - 3}" r="3" fill="#555"/><text x="${x + 196}" y="${y}">one run</text>`,
  );
}
