import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Debian's redis-server on this machine, or undefined. */
export function redisServerPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

/** A free loopback port: one the kernel hands out, released again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A redis-server of a test's own on a loopback port, its files (AOF on, so a restart keeps
 * the queue) in `directory`. `stop` shuts it down as `systemctl stop` would (SIGTERM: the AOF
 * is flushed), `start` brings it back on the same port and files.
 */
export class TestRedis {
  private process: ChildProcess | undefined;

  constructor(
    private readonly server: string,
    readonly port: number,
    private readonly directory: string,
  ) {}

  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      this.server,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.directory,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--logfile',
        join(this.directory, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    // Ready when it answers a PING.
    for (let i = 0; i < 100; i++) {
      const ping = spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' });
      if (ping.stdout.trim() === 'PONG') return;
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** A redis-cli command's output, e.g. `['-n', '1', 'ZCARD', 'bull:q:completed']`. */
  cli(args: string[]): string {
    return spawnSync('redis-cli', ['-p', String(this.port), ...args], {
      encoding: 'utf8',
    }).stdout.trim();
  }
}
