// The wall time of a study on N workers, projected from measured unit times. Units are
// independent (each run carries its own probes), so the study's critical path is its longest
// unit followed by the overlap and the report; N workers take units longest first (what a
// queue in grid order approaches when units are alike). The projection is that schedule's
// makespan, never below the longest unit nor below the total work over N.

/** Makespan of the units' seconds on `workers` workers, longest unit first. */
export function projectedSeconds(unitSeconds, workers) {
  const loads = new Array(workers).fill(0);
  for (const seconds of [...unitSeconds].sort((a, b) => b - a)) {
    const least = loads.indexOf(Math.min(...loads));
    loads[least] += seconds;
  }
  return Math.max(...loads);
}

/** Lines of a projection table for these worker counts, plus the serial tail (overlap, report). */
export function projectionTable(unitSeconds, counts, tailSeconds = 0) {
  const total = unitSeconds.reduce((a, b) => a + b, 0);
  const longest = Math.max(...unitSeconds);
  const lines = [
    `${unitSeconds.length} units, ${total.toFixed(0)} s of work, longest unit ${longest.toFixed(0)} s (critical path ${(longest + tailSeconds).toFixed(0)} s)`,
    '| workers | projected wall (s) | speed-up |',
    '| ------- | ------------------ | -------- |',
  ];
  for (const n of counts) {
    const wall = projectedSeconds(unitSeconds, n) + tailSeconds;
    lines.push(`| ${n} | ${wall.toFixed(0)} | ${((total + tailSeconds) / wall).toFixed(2)} |`);
  }
  return lines;
}
