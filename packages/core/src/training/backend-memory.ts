import { StemError } from '../errors.js';

/**
 * tfjs-backend-wasm is a 32-bit WebAssembly module whose heap cannot grow past 4 GiB
 * (4,294,901,760 bytes in 4.22). When a step's tensors (the autodiff tape keeps every
 * intermediate until the backward pass) need more, its allocator fails and the module aborts
 * with a bare `RuntimeError: Aborted()` or `memory access out of bounds`, which names neither
 * the cause nor the setting to change. Measured for stem-mini's shape (4 layers, hidden 256,
 * 128 sub-words per sequence): the live tensors of one MLM step peak at about 2.4 GB for 16
 * sequences, and the heap keeps about twice a step's peak after the second step
 * (fragmentation), so 48 and 64 sequences per mini-batch abort; 16 and 32 run.
 */
export const WASM_HEAP_LIMIT_BYTES = 4294901760;

export interface StepSize {
  backend: string;
  sentences: number;
  subwords: number;
  step: number;
}

/** A StemError saying what ran out and what to change, or undefined for other errors. */
export function explainBackendMemoryError(error: unknown, size: StepSize): StemError | undefined {
  if (!isWasmHeapExhaustion(error, size.backend)) return undefined;
  return new StemError(
    `the wasm backend ran out of memory at training step ${size.step} (a mini-batch of ${size.sentences} sequences, ${size.subwords} sub-words): tfjs-backend-wasm's heap cannot grow past 4 GiB, and this step's tensors, kept for the backward pass, did not fit (the runtime said: ${(error as Error).message})`,
    'lower trainer.maxSentencesPerBatch or trainer.maxSubwordsPerBatch and raise trainer.accumulate to keep the same update size (examples/stem-mini.yaml: 16 sequences of 128 sub-words, accumulate 16), or use a backend without this limit (--device cpu with @tensorflow/tfjs-node, or gpu)',
  );
}

/** The shapes in which the wasm module reports a failed allocation. */
export function isWasmHeapExhaustion(error: unknown, backend: string): boolean {
  if (backend !== 'wasm' || !(error instanceof Error)) return false;
  if (error.name !== 'RuntimeError') return false;
  return /^Aborted\(|memory access out of bounds|out of memory|Cannot enlarge memory/i.test(
    error.message,
  );
}
