import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StemError } from '../src/errors.js';
import { firstSyntaxError, parseJsonText, readJsonFile } from '../src/io/json-file.js';
import { decodeTextInput } from '../src/io/text-input.js';

function errorOf(run: () => unknown): StemError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StemError);
    return error as StemError;
  }
  throw new Error('expected an error');
}

describe('parseJsonText', () => {
  it('names file, line and column of the first syntax error', () => {
    // Trailing comma: the offending `}` is on line 3, column 1.
    const trailing = errorOf(() => parseJsonText('{\n  "a": 1,\n}', 'config.json'));
    expect(trailing.message).toMatch(/^config\.json:3:1: not valid JSON/);
    expect(trailing.code).toBe('JSON_INVALID');
    expect(trailing.hint).toBeTruthy();
    // A bare word where a value belongs: Node gives no position for it, the scanner does.
    expect(errorOf(() => parseJsonText('{\n  "a": tru\n}', 'x.json')).message).toMatch(
      /^x\.json:2:11: /,
    );
    expect(errorOf(() => parseJsonText('', 'empty.json')).message).toMatch(/^empty\.json:1:1: /);
    expect(errorOf(() => parseJsonText('[1,\n2', 'cut.json')).message).toMatch(/^cut\.json:2:2: /);
  });

  it('accepts a byte-order mark and agrees with JSON.parse on what is valid', () => {
    expect(parseJsonText('\ufeff{"a": [1, 2.5e3, "\\u00e9"]}', 'bom.json')).toEqual({
      a: [1, 2500, 'é'],
    });
    const samples = [
      '{}',
      '[]',
      '"x"',
      '-0.5e-3',
      '{"a":{"b":[null,true,false]}}',
      '{"a" 1}',
      '01',
      '[1,]',
      '"\\x"',
      'nul',
      '1 2',
    ];
    for (const text of samples) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(firstSyntaxError(text) === undefined, text).toBe(valid);
    }
  });

  it('reports a missing file by name', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-json-'));
    await expect(readJsonFile(join(directory, 'labels.json'))).rejects.toThrow(
      /labels\.json is missing/,
    );
    await writeFile(join(directory, 'state.json'), '{"step": }');
    await expect(readJsonFile(join(directory, 'state.json'))).rejects.toThrow(
      /state\.json:1:10: not valid JSON/,
    );
  });
});

describe('decodeTextInput', () => {
  const bytes = (...parts: Array<string | number[]>): Uint8Array =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it('refuses NUL bytes, invalid UTF-8 and empty files, naming file and line', () => {
    expect(errorOf(() => decodeTextInput(bytes('a b\nc', [0], 'd'), 'in.txt')).message).toMatch(
      /^in\.txt:2: input contains NUL bytes \(byte 5\)/,
    );
    const latin1 = errorOf(() => decodeTextInput(bytes('ok\nok\ncaf', [0xe9], '\n'), 'in.txt'));
    expect(latin1.message).toMatch(/^in\.txt:3: input is not valid UTF-8 \(byte 9\)/);
    expect(latin1.code).toBe('INPUT_INVALID');
    // A multi-byte sequence cut short at the end of the file.
    expect(errorOf(() => decodeTextInput(bytes('x', [0xe2, 0x82]), 'cut.txt')).message).toMatch(
      /byte 1\)/,
    );
    expect(errorOf(() => decodeTextInput(bytes(' \n\n'), 'blank.txt')).message).toBe(
      'blank.txt: input is empty',
    );
  });

  it('passes UTF-8 text through, without a byte-order mark', () => {
    expect(decodeTextInput(bytes([0xef, 0xbb, 0xbf], 'naïve café\n'), 'in.txt')).toBe(
      'naïve café\n',
    );
  });
});
