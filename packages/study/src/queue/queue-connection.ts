import { StemError } from '@stem/core';
import { Redis, type RedisOptions } from 'ioredis';

/** The URL as it may be printed: the password (`redis://:secret@host`) replaced by `***`. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Checks the URL's form: redis:// or rediss:// (TLS), host, optional port and db number. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw queueUrlError(url, 'it is not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw queueUrlError(url, `the scheme is ${parsed.protocol.replace(/:$/, '')}`);
  if (!parsed.hostname) throw queueUrlError(url, 'it names no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw queueUrlError(url, `the database "${db}" is no number`);
}

function queueUrlError(url: string, why: string): StemError {
  return new StemError(
    `--queue ${redactedUrl(url)}: ${why}`,
    'give redis://[:password@]host:port[/db], or rediss://... for TLS',
    'CONFIG_INVALID',
  );
}

/**
 * A connection for BullMQ: commands wait while Redis is away (a restart of redis-server
 * mid-study) instead of failing, as BullMQ's workers require (`maxRetriesPerRequest: null`).
 */
export function queueConnection(url: string): Redis {
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };
  return new Redis(url, options);
}

/**
 * Connects once, without retrying, and pings: a Redis that cannot be reached is a clear error
 * naming the URL (password hidden), not a stack trace or a process waiting forever.
 */
export async function checkRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  checkRedisUrl(url);
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND, WRONGPASS) says more than connect()'s.
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const why = (cause ?? (error as Error)).message || 'connection failed';
    throw new StemError(
      `cannot reach Redis at ${redactedUrl(url)}: ${why}`,
      'start redis-server there (any Redis >= 6.2), or check the host, port, password and firewall',
      'QUEUE_UNREACHABLE',
    );
  } finally {
    probe.disconnect();
  }
}
