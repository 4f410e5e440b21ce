import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { StemError } from '@stem/core';
import {
  LIBTENSORFLOW_HOST,
  NATIVE_TENSORFLOW_PACKAGES,
  findNativeInstall,
  type NativeDevice,
} from './native-tensorflow.js';

export interface NativeBuildResult {
  package: string;
  device: NativeDevice;
  /** The compiled binding core's backend selection now finds. */
  binding: string;
}

/**
 * Runs a native TensorFlow package's own build step (its `install` script: download
 * libtensorflow, then fetch or compile the N-API binding), which the workspace install skips
 * on purpose (pnpm-workspace.yaml, ignoredBuiltDependencies). The script's output goes to
 * `echo` (stderr, or nowhere); a failure becomes one StemError line, not its stack trace.
 */
export async function buildNativePackage(
  device: NativeDevice,
  echo: ((chunk: string) => void) | undefined,
): Promise<NativeBuildResult> {
  const name = NATIVE_TENSORFLOW_PACKAGES[device];
  const install = findNativeInstall(name);
  if (!install.installed)
    throw new StemError(
      `${name} is not installed`,
      'install stem with its optional dependencies (pnpm install, or npm install without --omit=optional), then run this again',
    );
  const manifest = JSON.parse(readFileSync(join(install.directory, 'package.json'), 'utf8')) as {
    scripts?: { install?: string };
  };
  const script = manifest.scripts?.install;
  if (!script)
    throw new StemError(
      `${name} has no install script to build it with`,
      'reinstall the package; stem runs on wasm meanwhile',
    );
  const { code, output } = await runScript(script, install.directory, echo);
  const binding = findNativeInstall(name);
  if (code === 0 && binding.installed && binding.binding)
    return { package: name, device, binding: binding.binding };
  throw new StemError(
    `${name}: its build step failed (${summarizeFailure(output, code)})`,
    `it downloads libtensorflow from ${LIBTENSORFLOW_HOST} (TFJS_NODE_CDN_STORAGE or TFJS_NODE_BASE_URI name a mirror): run it where that is reachable; --verbose shows the script's output. stem runs on wasm meanwhile`,
  );
}

function runScript(
  script: string,
  directory: string,
  echo: ((chunk: string) => void) | undefined,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(script, {
      cwd: directory,
      shell: true,
      env: { ...process.env, PATH: scriptPath(directory) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      echo?.(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) =>
      resolve({ code: 1, output: `${output}\nError: ${error.message}` }),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** As npm and pnpm run scripts: node first, then every node_modules/.bin from the package up. */
function scriptPath(directory: string): string {
  const bins: string[] = [dirname(process.execPath)];
  for (let at = directory; ; at = dirname(at)) {
    bins.push(join(at, 'node_modules', '.bin'));
    if (dirname(at) === at) break;
  }
  return [...bins, process.env.PATH ?? ''].join(delimiter);
}

/**
 * The one line that says why: the first thrown error's message (`getaddrinfo ENOTFOUND
 * storage.googleapis.com`), else node-pre-gyp's own failure line, else the last line.
 */
export function summarizeFailure(output: string, code: number): string {
  const lines = output.split('\n').map((line) => line.trim());
  const thrown = lines.find((line) => /^[A-Za-z]*Error: /.test(line));
  if (thrown) return thrown.replace(/^[A-Za-z]*Error: /, '');
  const preGyp = lines.find((line) => line.startsWith('node-pre-gyp install failed'));
  if (preGyp) return preGyp;
  const last = lines.filter(Boolean).at(-1);
  return last ? `exit code ${code}: ${last}` : `exit code ${code}`;
}
