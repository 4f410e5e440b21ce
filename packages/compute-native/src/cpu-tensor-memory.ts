import type { TensorInfoLike } from './tfjs-surface.js';
import {
  MAX_NATIVE_ELEMENTS,
  elementCount,
  type BoundTensorMemory,
  type TensorMemory,
} from './tensor-memory.js';

/** What the kernels need from tfjs-backend-cpu 4.22's `MathBackendCPU` (not public API). */
interface CpuBackendInternals {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: string, values: ArrayLike<number>): TensorInfoLike;
  disposeData(dataId: object, force?: boolean): void;
}

function isCpuBackend(backend: unknown): backend is CpuBackendInternals {
  const candidate = backend as Partial<CpuBackendInternals> | undefined;
  return (
    typeof candidate?.data?.get === 'function' &&
    typeof candidate.makeTensorInfo === 'function' &&
    typeof candidate.disposeData === 'function'
  );
}

type CpuValues = Float32Array | Int32Array | Uint8Array;

/** The typed array tfjs-backend-cpu keeps for each dtype the addon reads. */
const ARRAY_OF_DTYPE: Record<string, new (length: number) => CpuValues> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/**
 * The values of a tensor, where they are the typed array its dtype implies. Some CPU kernels
 * store other arrays (a plain array, strings, complex parts); those tensors stay on the
 * original kernels.
 */
function valuesOf(backend: CpuBackendInternals, tensor: TensorInfoLike): CpuValues | undefined {
  const values = backend.data.get(tensor.dataId)?.values;
  const expected = ARRAY_OF_DTYPE[tensor.dtype];
  if (expected === undefined || values === undefined || values === null) return undefined;
  if ((values as object).constructor !== expected) return undefined;
  const array = values as CpuValues;
  return array.length === elementCount(tensor.shape) && array.length <= MAX_NATIVE_ELEMENTS
    ? array
    : undefined;
}

/**
 * tfjs-backend-cpu's tensors: each is its own ordinary typed array (no shared heap, so no
 * 4 GiB ceiling), handed to the addon as is at offset 0: N-API reaches it without a copy.
 */
export const cpuTensorMemory: TensorMemory = {
  backendName: 'cpu',
  bind(backend, inputs): BoundTensorMemory | undefined {
    if (!isCpuBackend(backend)) return undefined;
    if (inputs.some((t) => valuesOf(backend, t) === undefined)) return undefined;
    const operand = (tensor: TensorInfoLike) => {
      const array = valuesOf(backend, tensor);
      if (array === undefined)
        throw new Error('@stem/compute-native: tensor has no typed array on the cpu backend');
      return { array, offset: 0 };
    };
    return {
      makeOutput: (shape, dtype) => {
        const size = elementCount(shape);
        // Every native kernel writes its whole output, so the memory is taken without the
        // zero-fill of `new Float32Array` (measured: half the cost of a fresh 4 MB output).
        const bytes = Buffer.allocUnsafeSlow(size * 4);
        const values =
          dtype === 'int32'
            ? new Int32Array(bytes.buffer, bytes.byteOffset, size)
            : new Float32Array(bytes.buffer, bytes.byteOffset, size);
        return backend.makeTensorInfo(shape, dtype, values);
      },
      operand,
      byteOperand: operand,
      dispose: (tensor) => backend.disposeData(tensor.dataId),
    };
  },
};
