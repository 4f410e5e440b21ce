import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  nativeTensorflowStatus,
  type NativeInstall,
  type NativeTensorflowStatus,
} from '../src/backend/native-tensorflow.js';
import { envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

interface InfoResult {
  backend: {
    requested: string;
    device: string;
    backend: string;
    package: string;
    nativeKernels?: { active: boolean; kernels: string[] };
  };
  nativeTensorflow: NativeTensorflowStatus[];
  components: Record<string, unknown[]>;
}

/** The native package as this machine has it, found independently of the CLI's code. */
function onDisk(packageName: string): 'not installed' | 'no binding' | 'built' {
  const fromCore = createRequire(join(repositoryRoot, 'packages/core/package.json'));
  let directory: string;
  try {
    directory = dirname(fromCore.resolve(`${packageName}/package.json`));
  } catch {
    return 'not installed';
  }
  const lib = join(directory, 'lib');
  const files = existsSync(lib) ? readdirSync(lib, { recursive: true, encoding: 'utf8' }) : [];
  return files.some((f) => f.endsWith('tfjs_binding.node')) ? 'built' : 'no binding';
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

  it('reports --device native as tfjs-backend-cpu with the OpenBLAS kernels, or refuses it with the reason', async () => {
    const env = await isolatedHome();
    const run = await runStem(['info', '--device', 'native', '--json'], env);
    if (['0', 'off', 'false', 'no'].includes((process.env['STEM_NATIVE'] ?? '').toLowerCase())) {
      // CI's second pass: the environment turns the kernels off, and the device says so.
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/STEM_NATIVE=0 turns the native kernels off/);
      return;
    }
    // The addon as this machine has it, found independently of the CLI's code.
    const addon = join(repositoryRoot, 'packages/compute-native/build/Release/stem_native.node');
    if (!existsSync(addon)) {
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/native kernels unavailable/);
      return;
    }
    expect(run.code, run.stderr).toBe(0);
    const info = envelope<InfoResult>(run);
    expect(info.result.backend).toMatchObject({
      requested: 'native',
      device: 'native',
      backend: 'cpu',
      nativeKernels: { active: true },
    });
    expect(info.result.backend.nativeKernels?.kernels).toContain('BatchMatMul');
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
      /Expected --device=tpu to be one of: auto, gpu, cpu, wasm,[\s›]+wasm-plain,[\s›]+native,[\s›]+js/,
    );
  });

  it('says in one line per native package why it is not in use here, and what would enable it', async () => {
    const run = await runStem(['info', '--json'], await isolatedHome());
    expect(run.code, run.stderr).toBe(0);
    const info = envelope<InfoResult>(run).result;
    expect(info.nativeTensorflow.map((s) => s.package)).toEqual([
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
    ]);
    for (const status of info.nativeTensorflow) {
      const disk = onDisk(status.package);
      if (info.backend.device === status.device) expect(status.state).toBe('in use');
      else if (disk === 'not installed') expect(status.state).toBe('not installed');
      else if (disk === 'no binding') {
        // This machine (and CI): installed, build step skipped at install.
        expect(status.state).toBe('no native binding');
        expect(status.reason).toMatch(/downloads libtensorflow/);
        expect(status.enable).toContain(`stem backend install ${status.device}`);
      } else expect(['no CUDA GPU', 'failed to load', 'not tried']).toContain(status.state);
      if (status.state !== 'in use') expect(status.enable).toBeTruthy();
    }

    // The text form: exactly one line per package, none of core's "skipped gpu/cpu" lines.
    const text = await runStem(['info'], await isolatedHome());
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    for (const status of info.nativeTensorflow) {
      const short = status.package.replace('@tensorflow/', '');
      const mine = lines.filter((line) => line.trimStart().startsWith(`${short}:`));
      expect(mine, text.stdout).toHaveLength(1);
      expect(mine[0]).toContain(status.reason);
      if (status.enable) expect(mine[0]).toContain(`to enable: ${status.enable}`);
    }
    expect(text.stdout).not.toMatch(/skipped (gpu|cpu):/);
  });

  it('tells a built tfjs-node-gpu without a CUDA GPU from a missing or unbuilt one', () => {
    // Machines this one is not, through the inspection seam: what is on disk per package.
    const disks: Record<string, NativeInstall> = {
      '@tensorflow/tfjs-node-gpu': { installed: true, directory: '/x/gpu', binding: '/x/gpu/b' },
      '@tensorflow/tfjs-node': { installed: false },
    };
    const inspect = (name: string): NativeInstall => disks[name] as NativeInstall;
    // What core's selection reports on a machine with the GPU package built but no GPU.
    const noGpu = nativeTensorflowStatus(
      {
        requested: 'auto',
        device: 'wasm',
        skipped: [
          { device: 'gpu', reason: 'tfjs-node-gpu loaded but sees no GPU' },
          { device: 'cpu', reason: '@tensorflow/tfjs-node is not installed' },
        ],
      },
      inspect,
    );
    expect(noGpu.map((s) => s.state)).toEqual(['no CUDA GPU', 'not installed']);
    expect(noGpu[0]?.enable).toMatch(/NVIDIA GPU .*CUDA 11\.2/);

    const onGpu = nativeTensorflowStatus(
      { requested: 'auto', device: 'gpu', skipped: [] },
      inspect,
    );
    expect(onGpu.map((s) => s.state)).toEqual(['in use', 'not installed']);
    expect(onGpu[0]?.enable).toBeUndefined();

    const forcedJs = nativeTensorflowStatus(
      { requested: 'js', device: 'js', skipped: [] },
      inspect,
    );
    expect(forcedJs[0]).toMatchObject({ state: 'not tried', enable: '--device gpu' });
    expect(forcedJs[0]?.reason).toContain('--device js');

    const broken = nativeTensorflowStatus(
      {
        requested: 'auto',
        device: 'wasm',
        skipped: [{ device: 'gpu', reason: 'libcudart.so.11.0: cannot open shared object file' }],
      },
      inspect,
    );
    expect(broken[0]?.state).toBe('failed to load');
    expect(broken[0]?.reason).toContain('libcudart.so.11.0');
  });
});
