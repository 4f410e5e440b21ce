// stem study --queue with 1 and 2 `stem worker` processes on this machine: wall time, the time
// of every unit (from the coordinator's queue-ledger.ndjson), and a projection to N machines
// from those unit times (projection.mjs). Starts its own redis-server (Debian's) on a free
// loopback port in a temporary directory. Not a test. See README.md.
//
//   node tools/bench/study-queue/bench-study-queue.mjs [--workers 1,2] [--threads 1]
//     [--config examples/study-cpu.yaml] [-- <stem study flags: --only stl --tasks pos,dep --seeds 1>]
//   node tools/bench/study-queue/bench-study-queue.mjs --project <study directory>   (no run:
//     the projection from a finished study's study.json step times)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectionTable } from './projection.mjs';
import { inRepository, repositoryRoot } from '../repository.mjs';

const separator = process.argv.indexOf('--');
const own = separator < 0 ? process.argv.slice(2) : process.argv.slice(2, separator);
const studyArgs = separator < 0 ? [] : process.argv.slice(separator + 1);
const { values } = parseArgs({
  args: own,
  options: {
    config: { type: 'string', default: 'examples/study-cpu.yaml' },
    workers: { type: 'string', default: '1,2' },
    threads: { type: 'string', default: '1' },
    project: { type: 'string' },
    machines: { type: 'string', default: '1,2,4,8,16' },
  },
});
const machines = values.machines.split(',').map(Number);
const bin = inRepository('apps/cli/bin/run.js');

if (values.project) {
  // Unit time = the sum of its steps' seconds (a run and its probes; the static probes).
  const manifest = JSON.parse(await readFile(join(values.project, 'study.json'), 'utf8'));
  const units = new Map();
  for (const [id, step] of Object.entries(manifest.steps)) {
    if (step.seconds === undefined || id === 'overlap' || id === 'report') continue;
    const unit = step.kind === 'probe' ? probeUnit(id, manifest.steps) : id;
    units.set(unit, (units.get(unit) ?? 0) + step.seconds);
  }
  console.log(
    `projection from ${values.project}/study.json (steps without a recorded time left out)`,
  );
  for (const line of projectionTable([...units.values()], machines)) console.log(line);
  process.exit(0);
}

/** The unit of a probe step: the run whose folder holds its file, else the static probes. */
function probeUnit(id, steps) {
  const path = steps[id].path ?? '';
  const match = /^(?:runs|pruning)\/([^/]+)\//.exec(path);
  return match ? match[1] : 'static';
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const server = spawnSync('sh', ['-c', 'command -v redis-server'], {
  encoding: 'utf8',
}).stdout.trim();
if (!server) throw new Error('redis-server is missing: apt-get install redis-server');
if (!existsSync(inRepository('apps/cli/dist/commands/worker.js')))
  throw new Error('build the CLI first: pnpm --filter @stem/cli build');
const work = await mkdtemp(join(tmpdir(), 'stem-bench-queue-'));
const port = await freePort();
const redis = spawn(
  server,
  [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    work,
    '--save',
    '',
    '--appendonly',
    'no',
  ],
  { stdio: 'ignore' },
);
for (
  let i = 0;
  i < 50 &&
  spawnSync('redis-cli', ['-p', String(port), 'ping'])
    .stdout?.toString()
    .trim() !== 'PONG';
  i++
)
  await new Promise((r) => setTimeout(r, 100));
const env = {
  ...process.env,
  STEM_THREADS: values.threads,
  STEM_CACHE_DIR: join(work, 'cache'),
  NO_COLOR: '1',
};

const load = () =>
  spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ');
const results = [];
try {
  for (const count of values.workers.split(',').map(Number)) {
    const url = `redis://127.0.0.1:${port}/${count}`;
    const out = join(work, `study-${count}`);
    const workers = Array.from({ length: count }, (_, i) =>
      spawn(
        process.execPath,
        [
          bin,
          'worker',
          '-c',
          values.config,
          '--queue',
          url,
          '--name',
          `w${i + 1}`,
          '--work',
          join(work, `w${count}-${i + 1}`),
        ],
        { cwd: repositoryRoot, env, stdio: 'ignore' },
      ),
    );
    const started = Date.now();
    const loadBefore = load();
    const coordinator = spawnSync(
      process.execPath,
      [bin, 'study', '-c', values.config, '--queue', url, '--out', out, ...studyArgs],
      { cwd: repositoryRoot, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const wall = (Date.now() - started) / 1000;
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))),
    );
    if (coordinator.status !== 0)
      throw new Error(`stem study --queue failed:\n${coordinator.stderr.slice(-4000)}`);
    const ledger = (await readFile(join(out, 'queue-ledger.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const units = ledger.filter((entry) => entry.recorded);
    results.push({ count, wall, units, load: `${loadBefore} -> ${load()}` });
    console.log(
      `\n${count} worker(s): wall ${wall.toFixed(1)} s (load average ${loadBefore} -> ${load()})`,
    );
    for (const unit of units)
      console.log(
        `  ${unit.unit.padEnd(24)} ${unit.seconds.toFixed(1).padStart(7)} s  ${unit.worker}`,
      );
  }
  const first = results[0];
  console.log(
    `\nprojection to N machines, one worker each, from the unit times of the ${first.count}-worker run:`,
  );
  const tail = Math.max(
    0,
    first.wall - first.units.reduce((s, u) => s + u.seconds, 0) / first.count,
  );
  console.log(
    `(serial overhead outside units, from that run: ${tail.toFixed(1)} s: start-up, overlap, report)`,
  );
  for (const line of projectionTable(
    first.units.map((u) => u.seconds),
    machines,
    tail,
  ))
    console.log(line);
} finally {
  redis.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
}
