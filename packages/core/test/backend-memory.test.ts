import { describe, expect, it } from 'vitest';
import { explainBackendMemoryError, isWasmHeapExhaustion } from '../src/training/backend-memory.js';
import { StemError } from '../src/errors.js';

const size = { backend: 'wasm', sentences: 64, subwords: 8128, step: 2 };
// The class a wasm trap or emscripten's abort() throws (core's TS config has no wasm types).
const { RuntimeError } = (
  globalThis as unknown as { WebAssembly: { RuntimeError: new (message: string) => Error } }
).WebAssembly;

describe('wasm heap exhaustion', () => {
  it('recognises the two ways tfjs-backend-wasm reports a failed allocation', () => {
    // What emscripten's abort() and a trap on the exhausted heap throw (seen at 64 x 128).
    const aborted = new RuntimeError('Aborted(). Build with -sASSERTIONS for more info.');
    const outOfBounds = new RuntimeError('memory access out of bounds');
    expect(isWasmHeapExhaustion(aborted, 'wasm')).toBe(true);
    expect(isWasmHeapExhaustion(outOfBounds, 'wasm')).toBe(true);
    // Other backends, other errors and other runtime errors are left alone.
    expect(isWasmHeapExhaustion(aborted, 'cpu')).toBe(false);
    expect(isWasmHeapExhaustion(new Error('Aborted()'), 'wasm')).toBe(false);
    expect(isWasmHeapExhaustion(new RuntimeError('unreachable'), 'wasm')).toBe(false);
    expect(isWasmHeapExhaustion('Aborted()', 'wasm')).toBe(false);
  });

  it('turns it into a StemError naming the step, the batch and the settings to change', () => {
    const error = explainBackendMemoryError(new RuntimeError('memory access out of bounds'), size);
    expect(error).toBeInstanceOf(StemError);
    expect(error!.message).toMatch(
      /out of memory at training step 2 \(a mini-batch of 64 sequences, 8128 sub-words\).*4 GiB.*memory access out of bounds/,
    );
    expect(error!.hint).toMatch(/trainer\.maxSentencesPerBatch.*trainer\.accumulate/);
    expect(explainBackendMemoryError(new TypeError('x is undefined'), size)).toBeUndefined();
  });
});
