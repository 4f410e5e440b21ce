import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { udFile } from '@stem/data';
import { describe, expect, it } from 'vitest';
import { parseConll2000 } from '../src/conll2000.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

describe('the bundled sample', () => {
  it('is exactly what tools/derive-ewt-chunks.mjs derives from UD English-EWT', () => {
    // Exit 0 only when every file equals its derivation.
    execFileSync(process.execPath, ['tools/derive-ewt-chunks.mjs', '--check'], {
      cwd: packageDirectory,
      stdio: 'pipe',
    });
  });

  it('keeps the EWT words and XPOS tags of the sentences it took', () => {
    const ewt = readFileSync(udFile('en_ewt', 'train'), 'utf8');
    const forms = new Set<string>();
    // Every EWT train sentence as "form/XPOS ..." (syntactic words only).
    let current: string[] = [];
    for (const line of ewt.split('\n')) {
      if (line.trim() === '') {
        if (current.length > 0) forms.add(current.join(' '));
        current = [];
      } else if (/^\d+\t/.test(line)) {
        const columns = line.split('\t');
        current.push(`${columns[1]}/${columns[4]}`);
      }
    }
    for (const split of ['train', 'dev', 'test']) {
      const file = `${packageDirectory}data/ewt-chunks/${split}.txt`;
      for (const sentence of parseConll2000(readFileSync(file, 'utf8'), file))
        expect(forms.has(sentence.words.map((w, i) => `${w}/${sentence.pos[i]}`).join(' '))).toBe(
          true,
        );
    }
  });
});
