/**
 * Finds the PropBank release's EWT skeleton files (`*.gold_skel`) in a folder, a `.tar.gz`
 * (or `.tar`) archive, or a URL of such an archive, e.g. the release pinned below, which
 * GitHub serves as a tarball. Archives are streamed: only the skeletons are kept in memory
 * and nothing is unpacked to disk.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Parser, type ReadEntry } from 'tar';
import { CorpusNotFoundError } from '../errors.js';

export const PROPBANK_RELEASE_COMMIT = '4abade0b53ce4a181e1d98b3518101c1a44d395a';
export const PROPBANK_RELEASE_URL = `https://github.com/propbank/propbank-release/archive/${PROPBANK_RELEASE_COMMIT}.tar.gz`;

export const SKELETON_SUFFIX = '.gold_skel';
const EWT_FOLDER = /(^|\/)google\/ewt\//;

export interface SkeletonFile {
  /** Path inside the source (archive entry or path relative to the folder), `/`-separated. */
  path: string;
  text: string;
}

export interface PropbankSource {
  source: string;
  kind: 'directory' | 'archive' | 'url';
  files: SkeletonFile[];
}

export async function readPropbankSource(source: string): Promise<PropbankSource> {
  let result: PropbankSource;
  if (/^https?:\/\//i.test(source)) {
    result = {
      source,
      kind: 'url',
      files: await skeletonsInArchive(await download(source), source),
    };
  } else {
    const info = await stat(source).catch(() => undefined);
    if (!info)
      throw new CorpusNotFoundError(
        `source ${source} does not exist`,
        `Give a folder, a .tar.gz or a URL, e.g. ${PROPBANK_RELEASE_URL}`,
      );
    result = info.isDirectory()
      ? { source, kind: 'directory', files: await skeletonsInDirectory(source) }
      : {
          source,
          kind: 'archive',
          files: await skeletonsInArchive(createReadStream(source), source),
        };
  }
  if (result.files.length === 0) {
    throw new CorpusNotFoundError(
      `no ${SKELETON_SUFFIX} files in ${source}`,
      `Expected the PropBank release layout (data/google/ewt/**/*${SKELETON_SUFFIX}), e.g. ${PROPBANK_RELEASE_URL}`,
    );
  }
  // The full release also holds OntoNotes skeletons; when the EWT folder is there, only it counts.
  const ewt = result.files.filter((f) => EWT_FOLDER.test(f.path));
  if (ewt.length > 0) result.files = ewt;
  // A stable order makes builds byte-identical whatever the archive order was.
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

async function download(url: string): Promise<Readable> {
  const response = await fetch(url).catch((error: unknown) => {
    throw new CorpusNotFoundError(
      `cannot download ${url}: ${error instanceof Error ? error.message : String(error)}`,
      'Download it elsewhere and pass the file with --source.',
    );
  });
  if (!response.ok || !response.body)
    throw new CorpusNotFoundError(
      `cannot download ${url}: HTTP ${response.status}`,
      'Check the URL, or pass a local copy with --source.',
    );
  return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}

async function skeletonsInDirectory(root: string): Promise<SkeletonFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: SkeletonFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(SKELETON_SUFFIX)) continue;
    const full = join(entry.parentPath, entry.name);
    files.push({
      path: relative(root, full).split(sep).join('/'),
      text: await readFile(full, 'utf8'),
    });
  }
  return files;
}

/** Reads the skeleton entries of a tar stream (gzip is detected by the parser). */
function skeletonsInArchive(archive: Readable, source: string): Promise<SkeletonFile[]> {
  return new Promise((resolve, reject) => {
    const files: SkeletonFile[] = [];
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== 'File' || !entry.path.endsWith(SKELETON_SUFFIX)) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () =>
          files.push({ path: entry.path, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    });
    const fail = (error: Error) =>
      reject(
        new CorpusNotFoundError(
          `${source} is not a readable tar archive: ${error.message}`,
          'Give a .tar.gz, a .tar or a folder.',
        ),
      );
    archive.on('error', fail);
    parser.on('error', fail);
    parser.on('end', () => resolve(files));
    archive.pipe(parser);
  });
}
