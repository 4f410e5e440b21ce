// Draws stem-mini's masked-LM loss curves (train loss every 50 updates, dev loss at each
// evaluation) against tokens seen, with the corpus's unigram entropy as the plateau line.
// Usage: node plot-loss.mjs <out.svg> <label>=<log.jsonl>... [--entropy 7.21]
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const out = args.shift();
let entropy;
const runs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--entropy') entropy = Number(args[++i]);
  else {
    const [label, file] = args[i].split('=');
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    runs.push({ label, records });
  }
}
const width = 760;
const height = 420;
const margin = { left: 60, right: 20, top: 30, bottom: 50 };
const maxTokens = Math.max(...runs.flatMap((r) => r.records.map((x) => x.tokens)));
const maxLoss = 10;
const minLoss = 2;
const x = (t) => margin.left + (t / maxTokens) * (width - margin.left - margin.right);
const y = (l) =>
  margin.top +
  ((maxLoss - Math.min(Math.max(l, minLoss), maxLoss)) / (maxLoss - minLoss)) *
    (height - margin.top - margin.bottom);
const colours = ['#1b6ca8', '#c0392b', '#27ae60', '#8e44ad'];
const parts = [];
parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
for (let l = minLoss; l <= maxLoss; l++) {
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(l)}" y2="${y(l)}" stroke="#eee"/>`,
  );
  parts.push(
    `<text x="${margin.left - 8}" y="${y(l) + 4}" font-size="11" text-anchor="end">${l}</text>`,
  );
}
for (let k = 0; k <= 5; k++) {
  const t = (maxTokens * k) / 5;
  parts.push(
    `<text x="${x(t)}" y="${height - margin.bottom + 18}" font-size="11" text-anchor="middle">${(t / 1e6).toFixed(0)}M</text>`,
  );
}
parts.push(
  `<text x="${(width + margin.left) / 2}" y="${height - 10}" font-size="12" text-anchor="middle">sub-word tokens seen</text>`,
);
parts.push(
  `<text x="16" y="${height / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${height / 2})">MLM loss (nats per masked sub-word)</text>`,
);
if (entropy) {
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(entropy)}" y2="${y(entropy)}" stroke="#555" stroke-dasharray="6 4"/>`,
  );
  parts.push(
    `<text x="${width - margin.right - 4}" y="${y(entropy) - 6}" font-size="11" text-anchor="end">unigram entropy ${entropy.toFixed(2)}</text>`,
  );
}
runs.forEach((run, i) => {
  const colour = colours[i % colours.length];
  const train = run.records.filter((r) => r.loss !== undefined);
  const dev = run.records.filter((r) => r.dev_loss !== undefined);
  parts.push(
    `<polyline fill="none" stroke="${colour}" stroke-opacity="0.5" stroke-width="1" points="${train.map((r) => `${x(r.tokens).toFixed(1)},${y(r.loss).toFixed(1)}`).join(' ')}"/>`,
  );
  parts.push(
    `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${dev.map((r) => `${x(r.tokens).toFixed(1)},${y(r.dev_loss).toFixed(1)}`).join(' ')}"/>`,
  );
  for (const r of dev)
    parts.push(
      `<circle cx="${x(r.tokens).toFixed(1)}" cy="${y(r.dev_loss).toFixed(1)}" r="3" fill="${colour}"/>`,
    );
  parts.push(
    `<text x="${margin.left + 12}" y="${margin.top + 16 + i * 16}" font-size="12" fill="${colour}">${run.label} (thin: train, thick: dev)</text>`,
  );
});
writeFileSync(
  out,
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">\n${parts.join('\n')}\n</svg>\n`,
);
