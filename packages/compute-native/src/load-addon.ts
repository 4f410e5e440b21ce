import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled addon (src/native/stem_native.cc); offsets are in float32 elements. */
export interface NativeAddon {
  gemmBatch(heap: Float32Array, plan: Int32Array): void;
  biasActivation(
    heap: Float32Array,
    offset: number,
    rows: number,
    cols: number,
    biasOffset: number,
    biasSize: number,
    activation: number,
    alpha: number,
    preluOffset: number,
    preluSize: number,
  ): void;
  softmax(
    heap: Float32Array,
    inOffset: number,
    outOffset: number,
    rows: number,
    cols: number,
  ): void;
  segmentSum(
    heap: Float32Array,
    xOffset: number,
    idsOffset: number,
    outOffset: number,
    idCount: number,
    rowSize: number,
    numSegments: number,
  ): void;
  sumMiddle(
    heap: Float32Array,
    inOffset: number,
    outOffset: number,
    outer: number,
    reduce: number,
    inner: number,
    /** Non-zero: divide each sum by `reduce` (Mean). */
    mean?: number,
  ): void;
  gatherRows(
    heap: Float32Array,
    xOffset: number,
    idsOffset: number,
    outOffset: number,
    idCount: number,
    rowSize: number,
    rows: number,
  ): number;
  unary(heap: Float32Array, op: number, inOffset: number, outOffset: number, n: number): void;
  /** plan: [rank, shape x rank, aStride x rank, bStride x rank] (kernels/broadcast-plan.ts). */
  binary(
    heap: Float32Array,
    op: number,
    aOffset: number,
    bOffset: number,
    outOffset: number,
    plan: Int32Array,
  ): void;
  /** plan: [rank, shape x rank, inStride x rank]; copies 4-byte elements as bits. */
  stridedCopy(heap: Float32Array, inOffset: number, outOffset: number, plan: Int32Array): void;
  /** kind 0: int32, 1: bool (bytes); the input offset is in bytes. */
  toFloat(
    heap: Float32Array,
    kind: number,
    inByteOffset: number,
    outOffset: number,
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
