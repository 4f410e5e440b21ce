import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One operand as the addon takes it: a typed array, then an offset in 4-byte elements. */
type Memory = Float32Array | Int32Array | Uint8Array;

/**
 * The compiled addon (src/native/stem_native.cc). Every operand is an array plus an offset
 * (`NativeOperand` in tensor-memory.ts): on wasm the heap view and the tensor's offset, on the
 * CPU backend the tensor's own typed array and 0.
 */
export interface NativeAddon {
  /** plan: [m, n, k, transA, transB, count, (aOff, bOff, cOff) x count] (kernels/matmul-plan.ts). */
  gemmBatch(a: Memory, b: Memory, c: Memory, plan: Int32Array): void;
  /** A negative bias / PReLU offset means none. */
  biasActivation(
    x: Memory,
    offset: number,
    rows: number,
    cols: number,
    bias: Memory,
    biasOffset: number,
    biasSize: number,
    activation: number,
    alpha: number,
    prelu: Memory,
    preluOffset: number,
    preluSize: number,
  ): void;
  softmax(x: Memory, xOffset: number, y: Memory, yOffset: number, rows: number, cols: number): void;
  segmentSum(
    x: Memory,
    xOffset: number,
    ids: Memory,
    idsOffset: number,
    out: Memory,
    outOffset: number,
    idCount: number,
    rowSize: number,
    numSegments: number,
  ): void;
  sumMiddle(
    x: Memory,
    xOffset: number,
    y: Memory,
    yOffset: number,
    outer: number,
    reduce: number,
    inner: number,
    /** Non-zero: divide each sum by `reduce` (Mean). */
    mean: number,
  ): void;
  /** Returns -1, or the first id outside [0, rows). */
  gatherRows(
    x: Memory,
    xOffset: number,
    ids: Memory,
    idsOffset: number,
    out: Memory,
    outOffset: number,
    idCount: number,
    rowSize: number,
    rows: number,
  ): number;
  unary(op: number, x: Memory, xOffset: number, y: Memory, yOffset: number, n: number): void;
  /** plan: [rank, shape x rank, aStride x rank, bStride x rank] (kernels/broadcast-plan.ts). */
  binary(
    op: number,
    a: Memory,
    aOffset: number,
    b: Memory,
    bOffset: number,
    y: Memory,
    yOffset: number,
    plan: Int32Array,
  ): void;
  /** plan: [rank, shape x rank, inStride x rank]; copies 4-byte elements as bits. */
  stridedCopy(x: Memory, xOffset: number, y: Memory, yOffset: number, plan: Int32Array): void;
  /** kind 0: int32, 1: bool (bytes); the input offset is in bytes. */
  toFloat(
    kind: number,
    x: Memory,
    xByteOffset: number,
    y: Memory,
    yOffset: number,
    n: number,
  ): void;
  /**
   * One AdamW update of n float32 parameters: reads p, g, m, v and writes the next p, m, v.
   * coefficients: Float32Array [beta1, 1 - beta1, beta2, 1 - beta2, correction1, correction2,
   * epsilon, rate, decayFactor, decays] (kernels/adamw-kernel.ts). Absent from addons built
   * before it existed.
   */
  adamW?(
    p: Memory,
    pOffset: number,
    g: Memory,
    gOffset: number,
    m: Memory,
    mOffset: number,
    v: Memory,
    vOffset: number,
    nextP: Memory,
    nextPOffset: number,
    nextM: Memory,
    nextMOffset: number,
    nextV: Memory,
    nextVOffset: number,
    n: number,
    coefficients: Float32Array,
  ): void;
  /** GELU (erf form) of n floats (kernels/gelu-kernels.ts); absent from older builds. */
  gelu?(x: Memory, xOffset: number, y: Memory, yOffset: number, n: number): void;
  /** dx = dy times GELU's derivative at x, for n floats; absent from older builds. */
  geluGradient?(
    x: Memory,
    xOffset: number,
    dy: Memory,
    dyOffset: number,
    dx: Memory,
    dxOffset: number,
    n: number,
  ): void;
  setThreads(threads: number): void;
  threads(): number;
  blasConfig(): string;
}

export type AddonLoad = { addon: NativeAddon } | { addon?: undefined; reason: string };

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = join(packageDirectory, 'build', 'Release', 'stem_native.node');
let loaded: AddonLoad | undefined;

/** Loads the addon once; says why not when the install could not build it. */
export function loadAddon(): AddonLoad {
  if (loaded) return loaded;
  if (!existsSync(addonPath)) {
    loaded = { reason: `addon not built (${installReason()})` };
    return loaded;
  }
  try {
    const require = createRequire(import.meta.url);
    loaded = { addon: require(addonPath) as NativeAddon };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    loaded = { reason: `addon failed to load: ${message.split('\n')[0]}` };
  }
  return loaded;
}

function installReason(): string {
  try {
    const status = JSON.parse(
      readFileSync(join(packageDirectory, 'build', 'install-status.json'), 'utf8'),
    ) as { reason?: string };
    return status.reason ?? 'unknown reason';
  } catch {
    return 'its install step did not run';
  }
}
