/**
 * Every JSON file stem reads (config.json, labels.json, state.json, manifest.json, results)
 * goes through here, so a broken one is reported as `file:line:column: what is wrong`
 * instead of a bare SyntaxError that names no file.
 */
import { readFile } from 'node:fs/promises';
import { StemError } from '../errors.js';

export const JSON_INVALID = 'JSON_INVALID';

/** Reads and parses a JSON file; missing, unreadable and malformed files are StemErrors. */
export async function readJsonFile<T = unknown>(file: string, hint?: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'cannot be read';
    throw new StemError(
      `${file} ${reason} (${(error as Error).message})`,
      hint ??
        'check the path; stem writes this file itself, so it may come from an incomplete copy',
      'FILE_UNREADABLE',
    );
  }
  return parseJsonText<T>(text, file, hint);
}

/** `JSON.parse` that names the file and the line and column of a syntax error. */
export function parseJsonText<T = unknown>(text: string, file: string, hint?: string): T {
  // Editors on Windows may save a byte-order mark; it is not part of the JSON.
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  try {
    return JSON.parse(body) as T;
  } catch (error) {
    const offset = firstSyntaxError(body) ?? body.length;
    const { line, column } = lineAndColumn(body, offset);
    const detail = (error as Error).message.replace(/, ".*" is not valid JSON$/s, '');
    throw new StemError(
      `${file}:${line}:${column}: not valid JSON (${detail})`,
      hint ??
        'fix the JSON at that position, or restore the file from the run or model it came from',
      JSON_INVALID,
    );
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first character where `text` stops being JSON (undefined when it is JSON). Node's own messages give a
 * position for some errors only, so the position comes from this small scanner instead.
 */
export function firstSyntaxError(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[at] !== ch) fail();
      at++;
    }
  };
  const string = (): void => {
    at++; // opening quote
    for (;;) {
      if (at >= text.length) fail();
      const ch = text.charCodeAt(at);
      if (ch === 0x22) return void at++;
      if (ch < 0x20) fail();
      if (ch === 0x5c) {
        at++;
        const escape = text[at];
        if (escape === 'u') {
          for (let i = 1; i <= 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at + i] ?? '')) {
              at += i;
              fail();
            }
          }
          at += 5;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) at++;
        else fail();
      } else at++;
    }
  };
  const number = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match) fail();
    at += (match as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    space();
    const ch = text[at];
    if (ch === '{') {
      at++;
      space();
      if (text[at] === '}') return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value(depth + 1);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return void at++;
        else fail();
      }
    } else if (ch === '[') {
      at++;
      space();
      if (text[at] === ']') return void at++;
      for (;;) {
        value(depth + 1);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return void at++;
        else fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value(0);
    space();
    if (at < text.length) fail();
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    // Nesting too deep for the scanner's stack: point at where it got to.
    return at;
  }
  return undefined;
}
