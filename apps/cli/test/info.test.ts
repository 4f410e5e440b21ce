import { describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

interface InfoResult {
  backend: { requested: string; device: string; backend: string; package: string };
  components: Record<string, unknown[]>;
}

describe('stem info', () => {
  it('honours --device and reports the backend it chose', async () => {
    const run = await runStem(['info', '--device', 'js', '--json'], await isolatedHome());
    expect(run.code, run.stderr).toBe(0);
    const info = envelope<InfoResult>(run);
    expect(info.result.backend).toMatchObject({
      requested: 'js',
      device: 'js',
      backend: 'cpu',
      package: '@tensorflow/tfjs-backend-cpu',
    });
    expect(Object.keys(info.result.components)).toEqual([
      'encoders',
      'tasks',
      'analyzers',
      'datasets',
      'metrics',
      'trainingComponents',
    ]);
    // Each task lists what `stem predict --format` accepts, as its plugin declares it.
    const formats = Object.fromEntries(
      (info.result.components.tasks as Array<{ id: string; predictionFormats: string[] }>).map(
        (t) => [t.id, t.predictionFormats],
      ),
    );
    expect(formats).toMatchObject({
      'stem.task.pos.softmax.v1': ['conllu'],
      'stem.task.ner.biaffine.v1': ['bio', 'conllu'],
    });
  });

  it('keeps stdout to the envelope alone under --json (logs go to stderr)', async () => {
    const run = await runStem(['info', '--json'], await isolatedHome());
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout.trim().startsWith('{')).toBe(true);
  });

  it('rejects an unknown device with the valid choices', async () => {
    const run = await runStem(['info', '--device', 'tpu'], await isolatedHome());
    expect(run.code).not.toBe(0);
    // oclif wraps long messages (continuation lines start with "›").
    expect(run.stderr).toMatch(
      /Expected --device=tpu to be one of: auto, gpu, cpu, wasm,[\s›]+wasm-plain, js/,
    );
  });
});
