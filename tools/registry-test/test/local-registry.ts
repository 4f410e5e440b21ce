import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A Verdaccio registry on loopback with its own storage; `stop()` ends it whatever happened. */
export interface LocalRegistry {
  url: string;
  /** A token of a user created on it, for `npm publish`. */
  token: string;
  stop(): Promise<void>;
  log(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Verdaccio in `directory` (config, storage, htpasswd). `@stem/*` and the test scopes
 * are served only from what is published here; everything else (tfjs, oclif, zod...) is
 * proxied to `uplink`, the npm registry this machine reaches.
 */
export async function startLocalRegistry(
  directory: string,
  uplink: string,
  ownScopes: readonly string[],
): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  await mkdir(join(directory, 'storage'), { recursive: true });
  const local = ownScopes
    .map((scope) => `  '${scope}/*':\n    access: $all\n    publish: $authenticated\n`)
    .join('');
  await writeFile(
    join(directory, 'config.yaml'),
    [
      `storage: ${join(directory, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(directory, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks:',
      '  npmjs:',
      `    url: ${uplink}`,
      '    timeout: 120s',
      'packages:',
      local.trimEnd(),
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    proxy: npmjs',
      'max_body_size: 100mb',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const bin = createRequire(import.meta.url).resolve('verdaccio/bin/verdaccio');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '--config', join(directory, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitUntilUp(
      url,
      () => child.exitCode !== null,
      () => output,
    );
    const token = await createUser(url);
    return { url, token, stop, log: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilUp(
  url: string,
  exited: () => boolean,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`verdaccio exited while starting:\n${output()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`verdaccio did not answer ${url}-/ping within 60 s:\n${output()}`);
}

/** Registers a user the way `npm adduser` does and returns its token. */
async function createUser(url: string): Promise<string> {
  const name = 'stem-publisher';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'registry-test-only', type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token) {
    throw new Error(`creating a user on ${url} failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}
