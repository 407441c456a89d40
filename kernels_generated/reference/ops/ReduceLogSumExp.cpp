// ReduceLogSumExp (ONNX opset 18+): log(sum of exp(x)) over the given axes of a row-major float tensor,
// computed as m + log(sum of exp(x - m)) with m the maximum, so that exp neither overflows nor underflows to
// a zero sum.
//
// Axes come from the optional second input (int64; before opset 18 they were the `axes` attribute,
// read as a fallback); negative axes count from the end. Empty or absent axes reduce every
// dimension, unless noop_with_empty_axes = 1, which makes the op an identity. keepdims only changes
// the output shape, not the order of the values in memory, so the kernel does not need it.
//
// Plan (made in onResize): dimensions of length 1 are dropped and neighbouring dimensions that are
// all reduced or all kept are merged, e.g. [16,64,128] over axes (0,2) becomes
// reduced 16 | kept 64 | reduced 128. Every reduced run is then one pass over an
// [outer, reduce, inner] view, innermost run first (it shrinks the data the most). Passes compose:
// log-sum-exp over A and B = log-sum-exp over B of (the log-sum-exps over A).
// A pass with inner = 1 reduces contiguous rows; with inner > 1 it walks the reduced rows of a tile of
// neighbouring columns, so the tile of results stays in cache while the input is read row by row.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// Columns per tile when the reduced rows are strided (inner > 1): 64 KB of results, which stay in L2
// while each row contributes a 64 KB contiguous segment. Long segments keep the hardware prefetcher
// streaming; with rows millions of floats apart, short segments (a few KB) measured slower.
constexpr int kTile = 16384;

// log(sum of nothing) = log(0) = -inf.
inline float emptyValue() { return -std::numeric_limits<float>::infinity(); }

inline float maxOf(float a, float b) { return a > b ? a : b; }

// exp(x) for x <= 0 (the kernel only needs exp(x - max)) in plain arithmetic, so that the column
// loop below vectorises (g++ does not vectorise calls to std::exp without -ffast-math).
// exp(x) = 2^y with y = x * log2(e) = k + f, k = round(y), |f| <= 1/2: 2^f by a degree-6 polynomial
// (Cephes' exp2f coefficients), 2^k written straight into the float's exponent bits. Absolute error
// below 1e-7 (the result is at most 1). y is clamped at -127, where 2^k becomes +0 (exp(x) is below
// the smallest normal float there); the clamp also keeps a NaN away from the integer conversion
// (the NaN itself is lost: NaN inputs are not treated specially).
inline float expNonPositive(float x) {
    float y = x * 1.44269504f;
    // Clamp y itself: g++ (with the default -ftrapping-math) does not vectorise a clamp of x
    // followed by more float arithmetic.
    y = y > -127.0f ? y : -127.0f;
    const float k = std::nearbyint(y);
    const float f = y - k;
    float p = 1.535336188e-4f;
    p = p * f + 1.339887440e-3f;
    p = p * f + 9.618437357e-3f;
    p = p * f + 5.550332471e-2f;
    p = p * f + 2.402264791e-1f;
    p = p * f + 6.931472028e-1f;
    p = p * f + 1.0f;
    const int32_t bits = ((int32_t)k + 127) << 23;  // 2^k for k in [-126, 0]; +0 for k = -127
    float scale;
    std::memcpy(&scale, &bits, sizeof(scale));
    return p * scale;
}

// m + log(sum of exp(x - m)) over n contiguous values, m their maximum. Both loops keep eight
// independent lanes, so that eight dependency chains (max, or exp and add) overlap.
inline float reduceRow(const float* p, int n) {
    float lanes[8];
    for (int l = 0; l < 8; ++l) lanes[l] = emptyValue();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; ++l) lanes[l] = maxOf(lanes[l], p[i + l]);
    }
    float m = emptyValue();
    for (int l = 0; l < 8; ++l) m = maxOf(m, lanes[l]);
    for (; i < n; ++i) m = maxOf(m, p[i]);
    if (!std::isfinite(m)) {
        return m;  // all -inf: -inf; a +inf or NaN element: the result is that element
    }
    for (int l = 0; l < 8; ++l) lanes[l] = 0.0f;
    for (i = 0; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; ++l) lanes[l] += expNonPositive(p[i + l] - m);
    }
    float sum = 0.0f;
    for (int l = 0; l < 8; ++l) sum += lanes[l];
    for (; i < n; ++i) sum += expNonPositive(p[i] - m);
    return m + std::log(sum);
}

// dst[j] = log-sum-exp over r < rows of p[r * stride + j] for j < n: the column maxima first (into
// dst), then the sums of exp(x - max) in a local tile, both row by row with a contiguous inner loop.
inline void reduceColumns(const float* p, int rows, size_t stride, int n, float* dst) {
    std::memcpy(dst, p, (size_t)n * sizeof(float));
    for (int r = 1; r < rows; ++r) {
        const float* row = p + r * stride;
        for (int j = 0; j < n; ++j) dst[j] = maxOf(dst[j], row[j]);
    }
    float sums[kTile];
    for (int j = 0; j < n; ++j) sums[j] = 0.0f;
    for (int r = 0; r < rows; ++r) {
        const float* row = p + r * stride;
        for (int j = 0; j < n; ++j) sums[j] += expNonPositive(row[j] - dst[j]);
    }
    for (int j = 0; j < n; ++j) {
        if (std::isfinite(dst[j])) {  // else as in reduceRow: the maximum is the result
            dst[j] += std::log(sums[j]);
        }
    }
}

}  // namespace

class CPUReduceLogSumExp : public Execution {
public:
    CPUReduceLogSumExp(Backend* backend, const std::vector<int64_t>& attrAxes, bool noopWithEmptyAxes)
        : Execution(backend), mAttrAxes(attrAxes), mNoopWithEmptyAxes(noopWithEmptyAxes) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        // Axes: the constant second input if present (its values are loaded before onResize), else the
        // attribute of older opsets.
        std::vector<int64_t> axes = mAttrAxes;
        if (inputs.size() > 1 && inputs[1] != nullptr) {
            const int64_t* p = inputs[1]->host<int64_t>();
            axes.assign(p, p + inputs[1]->elementSize());
        }
        std::vector<bool> reduced(dims, false);
        mCopy = false;
        if (axes.empty()) {
            if (mNoopWithEmptyAxes) {
                mCopy = true;
                return NO_ERROR;
            }
            reduced.assign(dims, true);
        }
        for (int64_t axis : axes) {
            const int64_t a = axis < 0 ? axis + dims : axis;
            if (a < 0 || a >= dims) {
                return INVALID_VALUE;
            }
            reduced[a] = true;
        }

        // Runs of neighbouring dimensions with the same status; length-1 dimensions change nothing.
        struct Run {
            int length;
            bool reduced;
        };
        std::vector<Run> runs;
        for (int d = 0; d < dims; ++d) {
            const int len = x->length(d);
            if (len == 1) {
                continue;
            }
            if (!runs.empty() && runs.back().reduced == reduced[d]) {
                runs.back().length *= len;
            } else {
                runs.push_back({len, (bool)reduced[d]});
            }
        }
        // One pass per reduced run, innermost first. Runs to its right that were reduced by earlier
        // passes are gone (length 1) when this pass runs, so inner only counts kept runs.
        mPasses.clear();
        size_t inner = 1;
        for (int r = (int)runs.size() - 1; r >= 0; --r) {
            if (!runs[r].reduced) {
                inner *= runs[r].length;
                continue;
            }
            size_t outer = 1;
            for (int q = 0; q < r; ++q) outer *= runs[q].length;
            mPasses.push_back({outer, runs[r].length, inner});
        }
        if (mPasses.empty()) {
            // Only length-1 dimensions are reduced: still apply the op to each single element.
            mPasses.push_back({(size_t)x->elementSize(), 1, 1});
        }
        // The last pass writes the output; earlier ones write scratch buffers (their own sizes).
        mScratch.resize(mPasses.size() - 1);
        for (size_t p = 0; p + 1 < mPasses.size(); ++p) {
            mScratch[p].resize(mPasses[p].outer * mPasses[p].inner);
        }
        if (x->elementSize() > 0 && (size_t)outputs[0]->elementSize() != mPasses.back().outer * mPasses.back().inner) {
            return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        const int outSize = outputs[0]->elementSize();
        if (mCopy) {
            std::memcpy(dst, src, (size_t)outSize * sizeof(float));
            return NO_ERROR;
        }
        if (inputs[0]->elementSize() == 0) {
            for (int i = 0; i < outSize; ++i) dst[i] = emptyValue();  // reduced over nothing
            return NO_ERROR;
        }
        for (size_t p = 0; p < mPasses.size(); ++p) {
            float* out = p + 1 == mPasses.size() ? dst : mScratch[p].data();
            runPass(mPasses[p], src, out);
            src = out;
        }
        return NO_ERROR;
    }

private:
    struct Pass {
        size_t outer;  // independent blocks
        int reduce;    // rows reduced in each block
        size_t inner;  // columns of a row (contiguous); results per block
    };

    // Work items are (block, tile) pairs; each writes its own results, so threads split them freely.
    void runPass(const Pass& pass, const float* src, float* dst) const {
        const size_t tiles   = pass.inner == 1 ? 1 : UP_DIV(pass.inner, (size_t)kTile);
        const size_t items   = pass.outer * tiles;
        const int threads    = (int)ALIMIN((size_t)backend()->threadNumber(), items);
        const size_t perTask = UP_DIV(items, (size_t)threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const size_t end = ALIMIN((tId + 1) * perTask, items);
            for (size_t item = tId * perTask; item < end; ++item) {
                const size_t o   = item / tiles;
                const float* blk = src + o * pass.reduce * pass.inner;
                float* res       = dst + o * pass.inner;
                if (pass.inner == 1) {
                    res[0] = reduceRow(blk, pass.reduce);
                } else {
                    const size_t j0 = (item % tiles) * kTile;
                    const int n     = (int)ALIMIN((size_t)kTile, pass.inner - j0);
                    reduceColumns(blk + j0, pass.reduce, pass.inner, n, res + j0);
                }
            }
        }
        MNN_CONCURRENCY_END();
    }

    std::vector<int64_t> mAttrAxes;
    bool mNoopWithEmptyAxes;
    bool mCopy = false;
    std::vector<Pass> mPasses;
    std::vector<std::vector<float>> mScratch;
};

class CPUReduceLogSumExpCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUReduceLogSumExp(backend, op->getInts("axes"), op->getInt("noop_with_empty_axes", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUReduceLogSumExpCreator, OpType_ReduceLogSumExp);

} // namespace MNN
