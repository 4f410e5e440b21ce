import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPLITS } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { CORPUS_SPLITS } from '../src/corpora/splits.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

describe('@stem/data stays plain library code', () => {
  it('imports only types from @stem/core at load time (core brings tfjs and DI)', () => {
    const offenders = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        readFileSync(join(SRC, f), 'utf8')
          .split('\n')
          .filter(
            (line) =>
              /from '@(stem\/core|tensorflow\/[^']+)'/.test(line) && !/^import type /.test(line),
          )
          .map((line) => `${f}: ${line}`),
      );
    expect(offenders).toEqual([]);
  });

  it('reads the splits in core order', () => {
    expect(CORPUS_SPLITS).toEqual(SPLITS);
  });
});
