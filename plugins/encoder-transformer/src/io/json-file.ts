/**
 * JSON files of a model directory (config.json, tokenizer.json, tokenizer_config.json),
 * parsed so a broken file is reported as `file:line:column` with code JSON_INVALID, like
 * core's `parseJsonText` (plugins cannot import core at run time, so this is its twin).
 */
import { readFile } from 'node:fs/promises';
import { EncoderError } from '../errors.js';

export async function readModelJson<T>(path: string): Promise<T> {
  const text = await readFile(path, 'utf8');
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  try {
    return JSON.parse(body) as T;
  } catch (error) {
    const message = (error as Error).message.replace(/, ".*" is not valid JSON$/s, '');
    const position = /at position (\d+)/.exec(message)?.[1];
    const offset =
      position !== undefined
        ? Number(position)
        : /end of JSON/.test(message)
          ? body.length
          : undefined;
    let where = '';
    if (offset !== undefined) {
      const before = body.slice(0, offset).split('\n');
      where = `:${before.length}:${before[before.length - 1]!.length + 1}`;
    }
    throw new EncoderError(
      `${path}${where}: not valid JSON (${message})`,
      'the model directory is damaged; download or export the model again',
      'JSON_INVALID',
    );
  }
}
