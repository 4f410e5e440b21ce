// N-API addon: float32 kernels over OpenBLAS that read and write tfjs tensor memory in place.
// Every operand is a typed array plus an offset in 4-byte elements: on the wasm backend each
// operand is the one view over the wasm heap at the tensor's offset, on the CPU backend the
// tensor's own typed array at offset 0 (src/tensor-memory.ts). Every offset is bounds-checked
// here so a planning bug throws instead of corrupting memory.
#include <node_api.h>
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern "C" {
// OpenBLAS extensions (declared in its cblas.h too; repeated for other cblas headers).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}

namespace {

// One operand's memory: any typed array (Float32Array, Int32Array, the wasm heap's view,
// a bool tensor's Uint8Array), addressed in 4-byte elements; `bytes` for byte-wide reads.
struct Memory {
  float* data = nullptr;
  size_t length = 0;  // in 4-byte elements
  size_t bytes = 0;
};

napi_value Throw(napi_env env, const std::string& message) {
  napi_throw_error(env, "STEM_NATIVE", message.c_str());
  return nullptr;
}

bool GetMemory(napi_env env, napi_value value, Memory* memory) {
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
  size_t width = 1;
  switch (type) {
    case napi_float32_array:
    case napi_int32_array:
    case napi_uint32_array: width = 4; break;
    case napi_uint8_array:
    case napi_int8_array:
    case napi_uint8_clamped_array: width = 1; break;
    default: return false;
  }
  memory->data = static_cast<float*>(data);
  memory->bytes = length * width;
  memory->length = memory->bytes / 4;
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

bool InBounds(const Memory& memory, int64_t offset, int64_t count) {
  return offset >= 0 && count >= 0 && static_cast<uint64_t>(offset + count) <= memory.length;
}

// Reads argv[at] (typed array) and argv[at + 1] (element offset) as one operand.
bool GetOperand(napi_env env, napi_value* argv, size_t at, Memory* memory, int64_t* offset) {
  if (!GetMemory(env, argv[at], memory)) return false;
  *offset = int64_t(GetNumber(env, argv[at + 1]));
  return true;
}

// gemmBatch(a, b, c, plan): plan = [m, n, k, transA, transB, count, (aOff, bOff, cOff) x count],
// offsets in floats into a, b and c respectively. C[i] = op(A[i]) op(B[i]), all row-major.
napi_value GemmBatch(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory ma, mb, mc;
  int32_t* plan;
  size_t planLength;
  if (argc < 4 || !GetMemory(env, argv[0], &ma) || !GetMemory(env, argv[1], &mb) || !GetMemory(env, argv[2], &mc) ||
      !GetInt32Array(env, argv[3], &plan, &planLength) || planLength < 6)
    return Throw(env, "gemmBatch(a, b, c: typed arrays, plan: Int32Array) expected");
  const int m = plan[0], n = plan[1], k = plan[2];
  const bool transA = plan[3] != 0, transB = plan[4] != 0;
  const int count = plan[5];
  if (m < 0 || n < 0 || k < 0 || count < 0 || planLength != 6 + 3 * static_cast<size_t>(count))
    return Throw(env, "gemmBatch: malformed plan");
  const int64_t sizeA = int64_t(m) * k, sizeB = int64_t(k) * n, sizeC = int64_t(m) * n;
  for (int i = 0; i < count; i++) {
    const int32_t* o = plan + 6 + 3 * i;
    if (!InBounds(ma, o[0], sizeA) || !InBounds(mb, o[1], sizeB) || !InBounds(mc, o[2], sizeC))
      return Throw(env, "gemmBatch: operand outside its memory");
  }
  if (sizeC == 0) return nullptr;
  for (int i = 0; i < count; i++) {
    const int32_t* o = plan + 6 + 3 * i;
    float* c = mc.data + o[2];
    if (k == 0) {
      std::memset(c, 0, sizeof(float) * sizeC);
      continue;
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1.0f, ma.data + o[0], transA ? m : k, mb.data + o[1], transB ? k : n, 0.0f, c,
                n);
  }
  return nullptr;
}

// Activation codes follow tfjs-backend-wasm's FusableActivation enum.
enum Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kPrelu = 3, kLeakyRelu = 4, kSigmoid = 5, kElu = 6 };

// biasActivation(x, offset, rows, cols, bias, biasOff, biasSize, activation, alpha, prelu, preluOff, preluSize)
// In place: x = act(x + bias[col % biasSize]); prelu slope = prelu[col % preluSize].
// biasOff / preluOff < 0 mean none (their arrays are then not read); sizes are 1 (scalar) or cols.
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, mbias, mprelu;
  int64_t offset;
  if (argc < 12 || !GetOperand(env, argv, 0, &mx, &offset))
    return Throw(env, "biasActivation: expected 12 arguments");
  const int64_t rows = int64_t(GetNumber(env, argv[2])), cols = int64_t(GetNumber(env, argv[3]));
  const int64_t biasOff = int64_t(GetNumber(env, argv[5])), biasSize = int64_t(GetNumber(env, argv[6]));
  const int activation = int(GetNumber(env, argv[7]));
  const float alpha = float(GetNumber(env, argv[8]));
  const int64_t preluOff = int64_t(GetNumber(env, argv[10])), preluSize = int64_t(GetNumber(env, argv[11]));
  if (!InBounds(mx, offset, rows * cols)) return Throw(env, "biasActivation: output outside its memory");
  if (biasOff >= 0 && (!GetMemory(env, argv[4], &mbias) || biasSize < 1 || !InBounds(mbias, biasOff, biasSize)))
    return Throw(env, "biasActivation: bias outside its memory");
  if (preluOff >= 0 &&
      (!GetMemory(env, argv[9], &mprelu) || preluSize < 1 || !InBounds(mprelu, preluOff, preluSize)))
    return Throw(env, "biasActivation: prelu weights outside their memory");
  if (activation == kPrelu && preluOff < 0) return Throw(env, "biasActivation: prelu needs weights");
  float* x = mx.data + offset;
  const float* bias = biasOff >= 0 ? mbias.data + biasOff : nullptr;
  const float* prelu = preluOff >= 0 ? mprelu.data + preluOff : nullptr;
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

// softmax(x, xOff, y, yOff, rows, cols): row-wise, max-subtracted.
napi_value Softmax(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, my;
  int64_t in, out;
  if (argc < 6 || !GetOperand(env, argv, 0, &mx, &in) || !GetOperand(env, argv, 2, &my, &out))
    return Throw(env, "softmax: expected 6 arguments");
  const int64_t rows = int64_t(GetNumber(env, argv[4])), cols = int64_t(GetNumber(env, argv[5]));
  if (!InBounds(mx, in, rows * cols) || !InBounds(my, out, rows * cols))
    return Throw(env, "softmax: operand outside its memory");
  for (int64_t r = 0; r < rows; r++) {
    const float* x = mx.data + in + r * cols;
    float* y = my.data + out + r * cols;
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

// segmentSum(x, xOff, ids, idsOff, out, outOff, idCount, rowSize, numSegments):
// out[ids[i]] += x[i]; ids are int32 (read through the operand's bytes).
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, mids, mout;
  int64_t xOff, idsOff, outOff;
  if (argc < 9 || !GetOperand(env, argv, 0, &mx, &xOff) || !GetOperand(env, argv, 2, &mids, &idsOff) ||
      !GetOperand(env, argv, 4, &mout, &outOff))
    return Throw(env, "segmentSum: expected 9 arguments");
  const int64_t idCount = int64_t(GetNumber(env, argv[6]));
  const int64_t rowSize = int64_t(GetNumber(env, argv[7])), segments = int64_t(GetNumber(env, argv[8]));
  if (!InBounds(mx, xOff, idCount * rowSize) || !InBounds(mids, idsOff, idCount) ||
      !InBounds(mout, outOff, segments * rowSize))
    return Throw(env, "segmentSum: operand outside its memory");
  const int32_t* ids = reinterpret_cast<const int32_t*>(mids.data + idsOff);
  float* out = mout.data + outOff;
  std::memset(out, 0, sizeof(float) * segments * rowSize);
  for (int64_t i = 0; i < idCount; i++) {
    const int64_t s = ids[i];
    if (s < 0 || s >= segments) continue;
    cblas_saxpy(int(rowSize), 1.0f, mx.data + xOff + i * rowSize, 1, out + s * rowSize, 1);
  }
  return nullptr;
}

// sumMiddle(x, xOff, y, yOff, outer, reduce, inner, mean): x viewed as [outer, reduce, inner],
// y[o, i] = sum_r x[o, r, i]. Accumulates in float like tfjs's kernels. `mean` (non-zero)
// divides each sum by `reduce` (tfjs's Mean).
napi_value SumMiddle(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, my;
  int64_t in, out;
  if (argc < 8 || !GetOperand(env, argv, 0, &mx, &in) || !GetOperand(env, argv, 2, &my, &out))
    return Throw(env, "sumMiddle: expected 8 arguments");
  const int64_t outer = int64_t(GetNumber(env, argv[4])), reduce = int64_t(GetNumber(env, argv[5]));
  const int64_t inner = int64_t(GetNumber(env, argv[6]));
  if (!InBounds(mx, in, outer * reduce * inner) || !InBounds(my, out, outer * inner))
    return Throw(env, "sumMiddle: operand outside its memory");
  const bool mean = GetNumber(env, argv[7]) != 0;
  for (int64_t o = 0; o < outer; o++) {
    const float* x = mx.data + in + o * reduce * inner;
    float* y = my.data + out + o * inner;
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
  if (mean) {
    const float divisor = float(reduce);
    float* y = my.data + out;
    for (int64_t i = 0; i < outer * inner; i++) y[i] /= divisor;
  }
  return nullptr;
}

// gatherRows(x, xOff, ids, idsOff, out, outOff, idCount, rowSize, rows): out[i] = x[ids[i]].
// Returns -1, or the first index outside [0, rows) (nothing is trusted to be in range).
napi_value GatherRows(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, mids, mout;
  int64_t xOff, idsOff, outOff;
  if (argc < 9 || !GetOperand(env, argv, 0, &mx, &xOff) || !GetOperand(env, argv, 2, &mids, &idsOff) ||
      !GetOperand(env, argv, 4, &mout, &outOff))
    return Throw(env, "gatherRows: expected 9 arguments");
  const int64_t idCount = int64_t(GetNumber(env, argv[6]));
  const int64_t rowSize = int64_t(GetNumber(env, argv[7])), rows = int64_t(GetNumber(env, argv[8]));
  if (!InBounds(mx, xOff, rows * rowSize) || !InBounds(mids, idsOff, idCount) ||
      !InBounds(mout, outOff, idCount * rowSize))
    return Throw(env, "gatherRows: operand outside its memory");
  const int32_t* ids = reinterpret_cast<const int32_t*>(mids.data + idsOff);
  napi_value result;
  for (int64_t i = 0; i < idCount; i++) {
    if (ids[i] < 0 || ids[i] >= rows) {
      napi_create_int32(env, ids[i], &result);
      return result;
    }
  }
  for (int64_t i = 0; i < idCount; i++)
    std::memcpy(mout.data + outOff + i * rowSize, mx.data + xOff + int64_t(ids[i]) * rowSize,
                sizeof(float) * rowSize);
  napi_create_int32(env, -1, &result);
  return result;
}

// Splits [0, n) over up to openblas_get_num_threads() std::threads when n is large enough
// that the start-up (~tens of microseconds) is a small share; small sizes run inline.
template <typename Body>
void ParallelFor(int64_t n, int64_t minPerThread, Body body) {
  const int64_t wanted = std::min<int64_t>(openblas_get_num_threads(), n / std::max<int64_t>(minPerThread, 1));
  if (wanted <= 1) {
    body(int64_t(0), n);
    return;
  }
  std::vector<std::thread> workers;
  const int64_t chunk = (n + wanted - 1) / wanted;
  for (int64_t t = 1; t < wanted; t++) {
    const int64_t from = t * chunk, to = std::min(n, from + chunk);
    if (from < to) workers.emplace_back([=] { body(from, to); });
  }
  body(int64_t(0), std::min(n, chunk));
  for (auto& w : workers) w.join();
}

constexpr int64_t kParallelElements = int64_t(1) << 18;

// Binary op codes (kernels/binary-kernels.ts).
enum BinaryOp { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kSquaredDiff = 4, kMaximum = 5, kMinimum = 6 };

template <int Op>
inline float Apply(float a, float b) {
  if (Op == kAdd) return a + b;
  if (Op == kSub) return a - b;
  if (Op == kMul) return a * b;
  if (Op == kDiv) return a / b;
  if (Op == kSquaredDiff) return (a - b) * (a - b);
  // NaN propagates like tfjs's kernels (an input NaN gives NaN).
  if (Op == kMaximum) return (std::isnan(a) || std::isnan(b)) ? NAN : (a > b ? a : b);
  return (std::isnan(a) || std::isnan(b)) ? NAN : (a < b ? a : b);
}

// One innermost run of `n` outputs; aStep / bStep are 0 (broadcast) or 1. The three cases
// are separate loops so the compiler vectorises each.
template <int Op>
inline void InnerRun(const float* a, int64_t aStep, const float* b, int64_t bStep, float* y, int64_t n) {
  if (aStep == 1 && bStep == 1) {
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(a[i], b[i]);
  } else if (aStep == 1) {
    const float bv = b[0];
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(a[i], bv);
  } else if (bStep == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(av, b[i]);
  } else {
    const float v = Apply<Op>(a[0], b[0]);
    for (int64_t i = 0; i < n; i++) y[i] = v;
  }
}

constexpr int kMaxRank = 8;

// The output walked as rows of its innermost dimension; rows [from, to) in this call.
template <int Op>
void BinaryRows(const float* a, const float* b, float* y, int rank, const int64_t* shape, const int64_t* aStride,
                const int64_t* bStride, int64_t from, int64_t to) {
  const int64_t inner = shape[rank - 1];
  int64_t index[kMaxRank] = {0};
  int64_t aPos = 0, bPos = 0;
  int64_t rest = from;
  for (int d = rank - 2; d >= 0; d--) {
    index[d] = rest % shape[d];
    rest /= shape[d];
    aPos += index[d] * aStride[d];
    bPos += index[d] * bStride[d];
  }
  for (int64_t row = from; row < to; row++) {
    InnerRun<Op>(a + aPos, aStride[rank - 1], b + bPos, bStride[rank - 1], y + row * inner, inner);
    for (int d = rank - 2; d >= 0; d--) {
      aPos += aStride[d];
      bPos += bStride[d];
      if (++index[d] < shape[d]) break;
      aPos -= aStride[d] * shape[d];
      bPos -= bStride[d] * shape[d];
      index[d] = 0;
    }
  }
}

template <int Op>
void BinaryDispatch(const float* a, const float* b, float* y, int rank, const int64_t* shape, const int64_t* aStride,
                    const int64_t* bStride) {
  const int64_t inner = shape[rank - 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  ParallelFor(rows, std::max<int64_t>(1, kParallelElements / std::max<int64_t>(inner, 1)),
              [&](int64_t from, int64_t to) { BinaryRows<Op>(a, b, y, rank, shape, aStride, bStride, from, to); });
}

// binary(op, a, aOff, b, bOff, y, yOff, plan): plan = Int32Array [rank, shape x rank,
// aStride x rank, bStride x rank] over the output's (collapsed) shape, strides in elements,
// 0 where that operand broadcasts. JS builds and checks the plan; here it is bounds-checked.
napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory ma, mb, my;
  int64_t aOff, bOff, outOff;
  int32_t* plan;
  size_t planLength;
  if (argc < 8 || !GetOperand(env, argv, 1, &ma, &aOff) || !GetOperand(env, argv, 3, &mb, &bOff) ||
      !GetOperand(env, argv, 5, &my, &outOff) || !GetInt32Array(env, argv[7], &plan, &planLength) ||
      planLength < 1)
    return Throw(env, "binary(op, a, aOff, b, bOff, y, yOff, plan: Int32Array) expected");
  const int op = int(GetNumber(env, argv[0]));
  const int rank = plan[0];
  if (rank < 1 || rank > kMaxRank || planLength < size_t(1 + 3 * rank)) return Throw(env, "binary: malformed plan");
  int64_t shape[kMaxRank], aStride[kMaxRank], bStride[kMaxRank];
  int64_t size = 1, aLast = 0, bLast = 0;
  for (int d = 0; d < rank; d++) {
    shape[d] = plan[1 + d];
    aStride[d] = plan[1 + rank + d];
    bStride[d] = plan[1 + 2 * rank + d];
    if (shape[d] < 0 || aStride[d] < 0 || bStride[d] < 0) return Throw(env, "binary: malformed plan");
    size *= shape[d];
    if (shape[d] > 0) {
      aLast += (shape[d] - 1) * aStride[d];
      bLast += (shape[d] - 1) * bStride[d];
    }
  }
  if (aStride[rank - 1] > 1 || bStride[rank - 1] > 1) return Throw(env, "binary: inner stride must be 0 or 1");
  if (size == 0) return nullptr;
  if (!InBounds(ma, aOff, aLast + 1) || !InBounds(mb, bOff, bLast + 1) || !InBounds(my, outOff, size))
    return Throw(env, "binary: operand outside its memory");
  const float* a = ma.data + aOff;
  const float* b = mb.data + bOff;
  float* y = my.data + outOff;
  switch (op) {
    case kAdd: BinaryDispatch<kAdd>(a, b, y, rank, shape, aStride, bStride); break;
    case kSub: BinaryDispatch<kSub>(a, b, y, rank, shape, aStride, bStride); break;
    case kMul: BinaryDispatch<kMul>(a, b, y, rank, shape, aStride, bStride); break;
    case kDiv: BinaryDispatch<kDiv>(a, b, y, rank, shape, aStride, bStride); break;
    case kSquaredDiff: BinaryDispatch<kSquaredDiff>(a, b, y, rank, shape, aStride, bStride); break;
    case kMaximum: BinaryDispatch<kMaximum>(a, b, y, rank, shape, aStride, bStride); break;
    case kMinimum: BinaryDispatch<kMinimum>(a, b, y, rank, shape, aStride, bStride); break;
    default: return Throw(env, "binary: unknown op");
  }
  return nullptr;
}

// Unary op codes (kernels/unary-kernels.ts).
enum UnaryOp {
  kUnaryExp = 0, kUnaryErf = 1, kUnarySqrt = 2, kUnaryRsqrt = 3, kUnarySquare = 4, kUnaryNeg = 5, kUnaryTanh = 6, kUnaryLog = 7, kUnaryAbs = 8,
  kUnaryReciprocal = 11
};

template <int Op>
inline float ApplyUnary(float x) {
  if (Op == kUnaryExp) return std::exp(x);
  if (Op == kUnaryErf) return std::erf(x);
  if (Op == kUnarySqrt) return std::sqrt(x);
  if (Op == kUnaryRsqrt) return 1.0f / std::sqrt(x);
  if (Op == kUnarySquare) return x * x;
  if (Op == kUnaryNeg) return -x;
  if (Op == kUnaryTanh) return std::tanh(x);
  if (Op == kUnaryLog) return std::log(x);
  if (Op == kUnaryAbs) return std::fabs(x);
  return 1.0f / x;
}

template <int Op>
void UnaryRun(const float* x, float* y, int64_t n) {
  ParallelFor(n, kParallelElements, [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; i++) y[i] = ApplyUnary<Op>(x[i]);
  });
}

// unary(op, x, xOff, y, yOff, n): tfjs's float32 element-wise ops (codes above).
napi_value Unary(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, my;
  int64_t in, out;
  if (argc < 6 || !GetOperand(env, argv, 1, &mx, &in) || !GetOperand(env, argv, 3, &my, &out))
    return Throw(env, "unary: expected 6 arguments");
  const int op = int(GetNumber(env, argv[0]));
  const int64_t n = int64_t(GetNumber(env, argv[5]));
  if (!InBounds(mx, in, n) || !InBounds(my, out, n)) return Throw(env, "unary: operand outside its memory");
  const float* x = mx.data + in;
  float* y = my.data + out;
  switch (op) {
    case kUnaryExp: UnaryRun<kUnaryExp>(x, y, n); break;
    case kUnaryErf: UnaryRun<kUnaryErf>(x, y, n); break;
    case kUnarySqrt: UnaryRun<kUnarySqrt>(x, y, n); break;
    case kUnaryRsqrt: UnaryRun<kUnaryRsqrt>(x, y, n); break;
    case kUnarySquare: UnaryRun<kUnarySquare>(x, y, n); break;
    case kUnaryNeg: UnaryRun<kUnaryNeg>(x, y, n); break;
    case kUnaryTanh: UnaryRun<kUnaryTanh>(x, y, n); break;
    case kUnaryLog: UnaryRun<kUnaryLog>(x, y, n); break;
    case kUnaryAbs: UnaryRun<kUnaryAbs>(x, y, n); break;
    case kUnaryReciprocal: UnaryRun<kUnaryReciprocal>(x, y, n); break;
    default: return Throw(env, "unary: unknown op");
  }
  return nullptr;
}

// stridedCopy(x, xOff, y, yOff, plan): plan = Int32Array [rank, shape x rank, inStride x rank];
// y (contiguous, in order) [i...] = x[sum i_d * inStride_d]. 4-byte elements copied as bits,
// so it serves float32 and int32 (Transpose).
napi_value StridedCopy(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, my;
  int64_t in, out;
  int32_t* plan;
  size_t planLength;
  if (argc < 5 || !GetOperand(env, argv, 0, &mx, &in) || !GetOperand(env, argv, 2, &my, &out) ||
      !GetInt32Array(env, argv[4], &plan, &planLength) || planLength < 1)
    return Throw(env, "stridedCopy(x, xOff, y, yOff, plan: Int32Array) expected");
  const int rank = plan[0];
  if (rank < 1 || rank > kMaxRank || planLength < size_t(1 + 2 * rank)) return Throw(env, "stridedCopy: malformed plan");
  int64_t shape[kMaxRank], stride[kMaxRank];
  int64_t size = 1, last = 0;
  for (int d = 0; d < rank; d++) {
    shape[d] = plan[1 + d];
    stride[d] = plan[1 + rank + d];
    if (shape[d] < 0 || stride[d] < 0) return Throw(env, "stridedCopy: malformed plan");
    size *= shape[d];
    if (shape[d] > 0) last += (shape[d] - 1) * stride[d];
  }
  if (size == 0) return nullptr;
  if (!InBounds(mx, in, last + 1) || !InBounds(my, out, size))
    return Throw(env, "stridedCopy: operand outside its memory");
  const uint32_t* x = reinterpret_cast<const uint32_t*>(mx.data + in);
  uint32_t* y = reinterpret_cast<uint32_t*>(my.data + out);
  const int64_t inner = shape[rank - 1], innerStride = stride[rank - 1];
  const int64_t rows = size / inner;
  ParallelFor(rows, std::max<int64_t>(1, kParallelElements / inner), [&](int64_t from, int64_t to) {
    int64_t index[kMaxRank] = {0};
    int64_t pos = 0, rest = from;
    for (int d = rank - 2; d >= 0; d--) {
      index[d] = rest % shape[d];
      rest /= shape[d];
      pos += index[d] * stride[d];
    }
    for (int64_t row = from; row < to; row++) {
      uint32_t* target = y + row * inner;
      if (innerStride == 1) {
        std::memcpy(target, x + pos, sizeof(uint32_t) * inner);
      } else {
        for (int64_t i = 0; i < inner; i++) target[i] = x[pos + i * innerStride];
      }
      for (int d = rank - 2; d >= 0; d--) {
        pos += stride[d];
        if (++index[d] < shape[d]) break;
        pos -= stride[d] * shape[d];
        index[d] = 0;
      }
    }
  });
  return nullptr;
}

// toFloat(kind, x, xByteOff, y, yOff, n): y = float(x); kind 0 = int32, 1 = bool (one byte).
// The input offset is in bytes (a bool tensor's bytes need not start on a 4-byte boundary).
napi_value ToFloat(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, my;
  int64_t inByte, out;
  if (argc < 6 || !GetOperand(env, argv, 1, &mx, &inByte) || !GetOperand(env, argv, 3, &my, &out))
    return Throw(env, "toFloat: expected 6 arguments");
  const int kind = int(GetNumber(env, argv[0]));
  const int64_t n = int64_t(GetNumber(env, argv[5]));
  const int64_t width = kind == 0 ? 4 : 1;
  if (kind < 0 || kind > 1 || n < 0 || inByte < 0 || uint64_t(inByte + n * width) > mx.bytes ||
      (kind == 0 && inByte % 4 != 0) || !InBounds(my, out, n))
    return Throw(env, "toFloat: operand outside its memory");
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(mx.data) + inByte;
  float* y = my.data + out;
  if (kind == 0) {
    const int32_t* x = reinterpret_cast<const int32_t*>(bytes);
    for (int64_t i = 0; i < n; i++) y[i] = float(x[i]);
  } else {
    for (int64_t i = 0; i < n; i++) y[i] = float(bytes[i]);
  }
  return nullptr;
}

// adamW(p, pOff, g, gOff, m, mOff, v, vOff, outP, outPOff, outM, outMOff, outV, outVOff, n, c):
// one AdamW update of n parameters in one pass (kernels/adamw-kernel.ts). c = Float32Array
// [beta1, 1 - beta1, beta2, 1 - beta2, correction1, correction2, epsilon, rate, decayFactor,
// decays]: the scalars rounded to float32 as tfjs rounds them, and each operation below is one
// float32 operation in the order core's composite AdamW runs its ops, so the result is the same
// to the bit (C++17 without -ffast-math or FMA contraction rounds every operation to float).
napi_value AdamW(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mp, mg, mm, mv, op, om, ov;
  int64_t pOff, gOff, mOff, vOff, opOff, omOff, ovOff;
  if (argc < 16 || !GetOperand(env, argv, 0, &mp, &pOff) || !GetOperand(env, argv, 2, &mg, &gOff) ||
      !GetOperand(env, argv, 4, &mm, &mOff) || !GetOperand(env, argv, 6, &mv, &vOff) ||
      !GetOperand(env, argv, 8, &op, &opOff) || !GetOperand(env, argv, 10, &om, &omOff) ||
      !GetOperand(env, argv, 12, &ov, &ovOff))
    return Throw(env, "adamW(p, pOff, g, gOff, m, mOff, v, vOff, outP, outPOff, outM, outMOff, outV, outVOff, n, c) expected");
  const int64_t n = int64_t(GetNumber(env, argv[14]));
  Memory mc;
  if (!GetMemory(env, argv[15], &mc) || mc.length < 10) return Throw(env, "adamW: c must be a Float32Array of 10");
  if (!InBounds(mp, pOff, n) || !InBounds(mg, gOff, n) || !InBounds(mm, mOff, n) || !InBounds(mv, vOff, n) ||
      !InBounds(op, opOff, n) || !InBounds(om, omOff, n) || !InBounds(ov, ovOff, n))
    return Throw(env, "adamW: operand outside its memory");
  const float* c = mc.data;
  const float beta1 = c[0], keep1 = c[1], beta2 = c[2], keep2 = c[3], correction1 = c[4], correction2 = c[5];
  const float epsilon = c[6], rate = c[7], decayFactor = c[8];
  const bool decays = c[9] != 0.0f;
  const float* p = mp.data + pOff;
  const float* g = mg.data + gOff;
  const float* m = mm.data + mOff;
  const float* v = mv.data + vOff;
  float* nextP = op.data + opOff;
  float* nextM = om.data + omOff;
  float* nextV = ov.data + ovOff;
  ParallelFor(n, kParallelElements, [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; i++) {
      const float gi = g[i];
      const float firstM = m[i] * beta1;
      const float firstG = gi * keep1;
      const float mi = firstM + firstG;
      const float secondV = v[i] * beta2;
      const float square = gi * gi;
      const float secondG = square * keep2;
      const float vi = secondV + secondG;
      const float mHat = mi / correction1;
      const float vHat = vi / correction2;
      const float root = std::sqrt(vHat);
      const float denominator = root + epsilon;
      const float ratio = mHat / denominator;
      const float step = ratio * rate;
      const float decayed = decays ? p[i] * decayFactor : p[i];
      nextM[i] = mi;
      nextV[i] = vi;
      nextP[i] = decayed - step;
    }
  });
  return nullptr;
}

// gelu(x, xOff, y, yOff, n) and geluGradient(x, xOff, dy, dyOff, dx, dxOff, n): the erf form
// of GELU, y = (x * 0.5) * (erf(x * sqrt(1/2)) + 1), forward and backward in one pass each
// (kernels/gelu-kernels.ts). Each operation is the float32 operation of the composite tfjs
// builds (ops.ts's gelu and tfjs 4.22's Multiply, Add and Erf gradients), in its order, with the
// C library's erff and expf that the Erf and Exp kernels above use: the same bits as that
// composite on these kernels.
constexpr float kHalf = 0.5f;
constexpr float kSqrtHalf = float(0.70710678118654752440);  // Math.SQRT1_2 as a float32 scalar
constexpr float kTwoOverSqrtPi = float(1.1283791670955126);  // 2 / Math.sqrt(Math.PI)

napi_value Gelu(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, my;
  int64_t in, out;
  if (argc < 5 || !GetOperand(env, argv, 0, &mx, &in) || !GetOperand(env, argv, 2, &my, &out))
    return Throw(env, "gelu(x, xOff, y, yOff, n) expected");
  const int64_t n = int64_t(GetNumber(env, argv[4]));
  if (!InBounds(mx, in, n) || !InBounds(my, out, n)) return Throw(env, "gelu: operand outside its memory");
  const float* x = mx.data + in;
  float* y = my.data + out;
  ParallelFor(n, kParallelElements, [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; i++) {
      const float half = x[i] * kHalf;
      const float scaled = x[i] * kSqrtHalf;
      const float shifted = std::erf(scaled) + 1.0f;
      y[i] = half * shifted;
    }
  });
  return nullptr;
}

napi_value GeluGradient(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Memory mx, mdy, mdx;
  int64_t xOff, dyOff, dxOff;
  if (argc < 7 || !GetOperand(env, argv, 0, &mx, &xOff) || !GetOperand(env, argv, 2, &mdy, &dyOff) ||
      !GetOperand(env, argv, 4, &mdx, &dxOff))
    return Throw(env, "geluGradient(x, xOff, dy, dyOff, dx, dxOff, n) expected");
  const int64_t n = int64_t(GetNumber(env, argv[6]));
  if (!InBounds(mx, xOff, n) || !InBounds(mdy, dyOff, n) || !InBounds(mdx, dxOff, n))
    return Throw(env, "geluGradient: operand outside its memory");
  const float* x = mx.data + xOff;
  const float* dy = mdy.data + dyOff;
  float* dx = mdx.data + dxOff;
  ParallelFor(n, kParallelElements, [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; i++) {
      const float half = x[i] * kHalf;
      const float scaled = x[i] * kSqrtHalf;
      const float shifted = std::erf(scaled) + 1.0f;
      // y = half * shifted: d half = dy * shifted, d shifted = dy * half (= d erf, Add passes it).
      const float dHalf = dy[i] * shifted;
      const float dErf = dy[i] * half;
      // Erf's gradient: dy * (exp(-(s * s)) * 2 / sqrt(pi)).
      const float square = scaled * scaled;
      const float slope = std::exp(-square) * kTwoOverSqrtPi;
      const float dScaled = dErf * slope;
      // Both products by a scalar pass their gradient times it; x's two gradients add.
      dx[i] = dScaled * kSqrtHalf + dHalf * kHalf;
    }
  });
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
      {"stridedCopy", nullptr, StridedCopy, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"toFloat", nullptr, ToFloat, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamW", nullptr, AdamW, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gelu", nullptr, Gelu, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"geluGradient", nullptr, GeluGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blasConfig", nullptr, BlasConfig, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
