// N-API addon: float32 kernels over OpenBLAS that read and write the tfjs wasm backend's
// heap in place. JS hands over the heap as one Float32Array plus element offsets; every
// offset is bounds-checked here so a planning bug throws instead of corrupting memory.
#include <node_api.h>
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

extern "C" {
// OpenBLAS extensions (declared in its cblas.h too; repeated for other cblas headers).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}

namespace {

struct Heap {
  float* data = nullptr;
  size_t length = 0;  // in floats
};

napi_value Throw(napi_env env, const std::string& message) {
  napi_throw_error(env, "STEM_NATIVE", message.c_str());
  return nullptr;
}

bool GetHeap(napi_env env, napi_value value, Heap* heap) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  if (!isTyped) return false;
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t byteOffset;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &byteOffset) != napi_ok)
    return false;
  if (type != napi_float32_array) return false;
  heap->data = static_cast<float*>(data);
  heap->length = length;
  return true;
}

bool GetInt32Array(napi_env env, napi_value value, int32_t** data, size_t* length) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  if (!isTyped) return false;
  napi_typedarray_type type;
  void* raw;
  napi_value buffer;
  size_t byteOffset;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &byteOffset) != napi_ok)
    return false;
  if (type != napi_int32_array) return false;
  *data = static_cast<int32_t*>(raw);
  return true;
}

double GetNumber(napi_env env, napi_value value) {
  double out = 0;
  napi_get_value_double(env, value, &out);
  return out;
}

bool InBounds(const Heap& heap, int64_t offset, int64_t count) {
  return offset >= 0 && count >= 0 && static_cast<uint64_t>(offset + count) <= heap.length;
}

// gemmBatch(heap, plan): plan = [m, n, k, transA, transB, count, (aOff, bOff, cOff) x count].
// C[i] = op(A[i]) op(B[i]), all row-major; offsets are in floats.
napi_value GemmBatch(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  int32_t* plan;
  size_t planLength;
  if (argc < 2 || !GetHeap(env, argv[0], &heap) ||
      !GetInt32Array(env, argv[1], &plan, &planLength) || planLength < 6)
    return Throw(env, "gemmBatch(heap: Float32Array, plan: Int32Array) expected");
  const int m = plan[0], n = plan[1], k = plan[2];
  const bool transA = plan[3] != 0, transB = plan[4] != 0;
  const int count = plan[5];
  if (m < 0 || n < 0 || k < 0 || count < 0 || planLength != 6 + 3 * static_cast<size_t>(count))
    return Throw(env, "gemmBatch: malformed plan");
  const int64_t sizeA = int64_t(m) * k, sizeB = int64_t(k) * n, sizeC = int64_t(m) * n;
  for (int i = 0; i < count; i++) {
    const int32_t* o = plan + 6 + 3 * i;
    if (!InBounds(heap, o[0], sizeA) || !InBounds(heap, o[1], sizeB) || !InBounds(heap, o[2], sizeC))
      return Throw(env, "gemmBatch: operand outside the heap");
  }
  if (sizeC == 0) return nullptr;
  for (int i = 0; i < count; i++) {
    const int32_t* o = plan + 6 + 3 * i;
    float* c = heap.data + o[2];
    if (k == 0) {
      std::memset(c, 0, sizeof(float) * sizeC);
      continue;
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1.0f, heap.data + o[0], transA ? m : k, heap.data + o[1], transB ? k : n, 0.0f, c,
                n);
  }
  return nullptr;
}

// Activation codes follow tfjs-backend-wasm's FusableActivation enum.
enum Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kPrelu = 3, kLeakyRelu = 4, kSigmoid = 5, kElu = 6 };

// biasActivation(heap, offset, rows, cols, biasOff, biasSize, activation, alpha, preluOff, preluSize)
// In place: x = act(x + bias[col % biasSize]); prelu slope = prelu[col % preluSize].
// biasOff / preluOff < 0 mean none; biasSize / preluSize are 1 (scalar) or cols.
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  if (argc < 10 || !GetHeap(env, argv[0], &heap))
    return Throw(env, "biasActivation: expected 10 arguments");
  const int64_t offset = int64_t(GetNumber(env, argv[1]));
  const int64_t rows = int64_t(GetNumber(env, argv[2])), cols = int64_t(GetNumber(env, argv[3]));
  const int64_t biasOff = int64_t(GetNumber(env, argv[4])), biasSize = int64_t(GetNumber(env, argv[5]));
  const int activation = int(GetNumber(env, argv[6]));
  const float alpha = float(GetNumber(env, argv[7]));
  const int64_t preluOff = int64_t(GetNumber(env, argv[8])), preluSize = int64_t(GetNumber(env, argv[9]));
  if (!InBounds(heap, offset, rows * cols)) return Throw(env, "biasActivation: output outside the heap");
  if (biasOff >= 0 && (biasSize < 1 || !InBounds(heap, biasOff, biasSize)))
    return Throw(env, "biasActivation: bias outside the heap");
  if (preluOff >= 0 && (preluSize < 1 || !InBounds(heap, preluOff, preluSize)))
    return Throw(env, "biasActivation: prelu weights outside the heap");
  if (activation == kPrelu && preluOff < 0) return Throw(env, "biasActivation: prelu needs weights");
  float* x = heap.data + offset;
  const float* bias = biasOff >= 0 ? heap.data + biasOff : nullptr;
  const float* prelu = preluOff >= 0 ? heap.data + preluOff : nullptr;
  for (int64_t r = 0; r < rows; r++) {
    float* row = x + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      float v = row[c];
      if (bias) v += bias[biasSize == 1 ? 0 : c];
      switch (activation) {
        case kRelu: v = v > 0 ? v : 0; break;
        case kRelu6: v = std::min(std::max(v, 0.0f), 6.0f); break;
        case kPrelu: v = v >= 0 ? v : v * prelu[preluSize == 1 ? 0 : c]; break;
        case kLeakyRelu: v = v >= 0 ? v : v * alpha; break;
        case kSigmoid: v = 1.0f / (1.0f + std::exp(-v)); break;
        case kElu: v = v >= 0 ? v : std::expm1(v); break;
        default: break;
      }
      row[c] = v;
    }
  }
  return nullptr;
}

// softmax(heap, inOff, outOff, rows, cols): row-wise, max-subtracted.
napi_value Softmax(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  if (argc < 5 || !GetHeap(env, argv[0], &heap)) return Throw(env, "softmax: expected 5 arguments");
  const int64_t in = int64_t(GetNumber(env, argv[1])), out = int64_t(GetNumber(env, argv[2]));
  const int64_t rows = int64_t(GetNumber(env, argv[3])), cols = int64_t(GetNumber(env, argv[4]));
  if (!InBounds(heap, in, rows * cols) || !InBounds(heap, out, rows * cols))
    return Throw(env, "softmax: operand outside the heap");
  for (int64_t r = 0; r < rows; r++) {
    const float* x = heap.data + in + r * cols;
    float* y = heap.data + out + r * cols;
    float max = -INFINITY;
    for (int64_t c = 0; c < cols; c++) max = std::max(max, x[c]);
    float sum = 0;
    for (int64_t c = 0; c < cols; c++) {
      y[c] = std::exp(x[c] - max);
      sum += y[c];
    }
    const float scale = 1.0f / sum;
    for (int64_t c = 0; c < cols; c++) y[c] *= scale;
  }
  return nullptr;
}

// segmentSum(heap, xOff, idsOff, outOff, idCount, rowSize, numSegments): out[ids[i]] += x[i];
// ids are int32 stored in the same heap (read through the float pointer's bytes).
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  if (argc < 7 || !GetHeap(env, argv[0], &heap)) return Throw(env, "segmentSum: expected 7 arguments");
  const int64_t xOff = int64_t(GetNumber(env, argv[1])), idsOff = int64_t(GetNumber(env, argv[2]));
  const int64_t outOff = int64_t(GetNumber(env, argv[3])), idCount = int64_t(GetNumber(env, argv[4]));
  const int64_t rowSize = int64_t(GetNumber(env, argv[5])), segments = int64_t(GetNumber(env, argv[6]));
  if (!InBounds(heap, xOff, idCount * rowSize) || !InBounds(heap, idsOff, idCount) ||
      !InBounds(heap, outOff, segments * rowSize))
    return Throw(env, "segmentSum: operand outside the heap");
  const int32_t* ids = reinterpret_cast<const int32_t*>(heap.data + idsOff);
  float* out = heap.data + outOff;
  std::memset(out, 0, sizeof(float) * segments * rowSize);
  for (int64_t i = 0; i < idCount; i++) {
    const int64_t s = ids[i];
    if (s < 0 || s >= segments) continue;
    cblas_saxpy(int(rowSize), 1.0f, heap.data + xOff + i * rowSize, 1, out + s * rowSize, 1);
  }
  return nullptr;
}

// sumMiddle(heap, inOff, outOff, outer, reduce, inner): x viewed as [outer, reduce, inner],
// out[o, i] = sum_r x[o, r, i]. Accumulates in float like tfjs's kernels.
napi_value SumMiddle(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  if (argc < 6 || !GetHeap(env, argv[0], &heap)) return Throw(env, "sumMiddle: expected 6 arguments");
  const int64_t in = int64_t(GetNumber(env, argv[1])), out = int64_t(GetNumber(env, argv[2]));
  const int64_t outer = int64_t(GetNumber(env, argv[3])), reduce = int64_t(GetNumber(env, argv[4]));
  const int64_t inner = int64_t(GetNumber(env, argv[5]));
  if (!InBounds(heap, in, outer * reduce * inner) || !InBounds(heap, out, outer * inner))
    return Throw(env, "sumMiddle: operand outside the heap");
  for (int64_t o = 0; o < outer; o++) {
    const float* x = heap.data + in + o * reduce * inner;
    float* y = heap.data + out + o * inner;
    if (inner == 1) {
      float sum = 0;
      for (int64_t r = 0; r < reduce; r++) sum += x[r];
      y[0] = sum;
      continue;
    }
    std::memset(y, 0, sizeof(float) * inner);
    for (int64_t r = 0; r < reduce; r++) {
      const float* row = x + r * inner;
      for (int64_t i = 0; i < inner; i++) y[i] += row[i];
    }
  }
  return nullptr;
}

// gatherRows(heap, xOff, idsOff, outOff, idCount, rowSize, rows): out[i] = x[ids[i]].
// Returns -1, or the first index outside [0, rows) (nothing is trusted to be in range).
napi_value GatherRows(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  if (argc < 7 || !GetHeap(env, argv[0], &heap)) return Throw(env, "gatherRows: expected 7 arguments");
  const int64_t xOff = int64_t(GetNumber(env, argv[1])), idsOff = int64_t(GetNumber(env, argv[2]));
  const int64_t outOff = int64_t(GetNumber(env, argv[3])), idCount = int64_t(GetNumber(env, argv[4]));
  const int64_t rowSize = int64_t(GetNumber(env, argv[5])), rows = int64_t(GetNumber(env, argv[6]));
  if (!InBounds(heap, xOff, rows * rowSize) || !InBounds(heap, idsOff, idCount) ||
      !InBounds(heap, outOff, idCount * rowSize))
    return Throw(env, "gatherRows: operand outside the heap");
  const int32_t* ids = reinterpret_cast<const int32_t*>(heap.data + idsOff);
  napi_value result;
  for (int64_t i = 0; i < idCount; i++) {
    if (ids[i] < 0 || ids[i] >= rows) {
      napi_create_int32(env, ids[i], &result);
      return result;
    }
  }
  for (int64_t i = 0; i < idCount; i++)
    std::memcpy(heap.data + outOff + i * rowSize, heap.data + xOff + int64_t(ids[i]) * rowSize,
                sizeof(float) * rowSize);
  napi_create_int32(env, -1, &result);
  return result;
}

// unary(heap, op, inOff, outOff, n): op 0 = exp, 1 = erf (tfjs's Exp / Erf, float32).
napi_value Unary(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Heap heap;
  if (argc < 5 || !GetHeap(env, argv[0], &heap)) return Throw(env, "unary: expected 5 arguments");
  const int op = int(GetNumber(env, argv[1]));
  const int64_t in = int64_t(GetNumber(env, argv[2])), out = int64_t(GetNumber(env, argv[3]));
  const int64_t n = int64_t(GetNumber(env, argv[4]));
  if (!InBounds(heap, in, n) || !InBounds(heap, out, n)) return Throw(env, "unary: operand outside the heap");
  const float* x = heap.data + in;
  float* y = heap.data + out;
  switch (op) {
    case 0: for (int64_t i = 0; i < n; i++) y[i] = std::exp(x[i]); break;
    case 1: for (int64_t i = 0; i < n; i++) y[i] = std::erf(x[i]); break;
    default: return Throw(env, "unary: unknown op");
  }
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 1) return Throw(env, "setThreads(n) expected");
  const int n = int(GetNumber(env, argv[0]));
  if (n >= 1) openblas_set_num_threads(n);
  return nullptr;
}

napi_value Threads(napi_env env, napi_callback_info) {
  napi_value out;
  napi_create_int32(env, openblas_get_num_threads(), &out);
  return out;
}

napi_value BlasConfig(napi_env env, napi_callback_info) {
  napi_value out;
  const char* config = openblas_get_config();
  napi_create_string_utf8(env, config ? config : "unknown", NAPI_AUTO_LENGTH, &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor properties[] = {
      {"gemmBatch", nullptr, GemmBatch, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasActivation", nullptr, BiasActivation, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"segmentSum", nullptr, SegmentSum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumMiddle", nullptr, SumMiddle, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gatherRows", nullptr, GatherRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blasConfig", nullptr, BlasConfig, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
