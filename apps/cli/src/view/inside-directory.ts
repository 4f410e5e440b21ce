import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Why a requested path was refused: outside the directory (403) or not there (404). */
export class PathRefused extends Error {
  constructor(
    readonly status: 403 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'PathRefused';
  }
}

/** Whether `path` is `root` itself or lies below it (both already resolved). */
function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The real path of `requested` (relative to `root`, already URL-decoded) when it names
 * something inside `root`. Refused with 403: an absolute path, any `..` segment, a NUL byte, a
 * backslash (a Windows separator in disguise), or a symbolic link that leads out of `root`;
 * with 404: nothing there. `root` must be a real path (no links in it).
 */
export async function insideDirectory(root: string, requested: string): Promise<string> {
  const segments = requested.split('/');
  if (
    requested.includes('\0') ||
    requested.includes('\\') ||
    isAbsolute(requested) ||
    segments.includes('..')
  )
    throw new PathRefused(403, `${JSON.stringify(requested)} is outside the viewed directory`);
  const candidate = resolve(root, ...segments.filter((s) => s !== '' && s !== '.'));
  if (!isWithin(root, candidate))
    throw new PathRefused(403, `${JSON.stringify(requested)} is outside the viewed directory`);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    throw new PathRefused(
      404,
      `${JSON.stringify(requested)} does not exist in the viewed directory`,
    );
  }
  // A link inside the directory may point anywhere: judge where it leads.
  if (!isWithin(root, real))
    throw new PathRefused(403, `${JSON.stringify(requested)} leads outside the viewed directory`);
  return real;
}

/** The id of a path below `root` in API answers: relative, with `/`, `.` for the root. */
export function relativeId(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' ? '.' : rel.split(sep).join('/');
}
