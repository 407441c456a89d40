// LogSoftmax (ONNX opset >= 13): y = x - max - log(sum(exp(x - max))) along one axis (attribute
// axis, default -1) of a row-major float tensor. The tensor is viewed as [outside, axis, inside];
// subtracting the max first keeps exp from overflowing and makes the sum >= 1 (the max term is 1).
//
// exp and log are branch-free polynomials so that g++ -O3 vectorises the loops (std::exp and
// std::log are scalar libm calls without -ffast-math). Clamps to a constant go straight to memory
// in loops of their own: when such a select feeds further arithmetic in the same loop, g++ folds the
// constant through the exp into one branch arm and leaves the whole loop scalar.
#include <cstdint>
#include <cstring>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// exp(x) for x in [-87, 0] (callers clamp), without calls or branches so that g++ -O3 vectorises the
// loop using it (std::exp is a scalar libm call without -ffast-math).
// exp(x) = 2^n * exp(r) with n = round(x / ln2) and |r| <= ln2/2; exp(r) by a degree-6 Taylor
// polynomial (relative error ~2e-7), 2^n built directly in the exponent bits. x >= -87 keeps 2^n a
// normal float; exp(-87) ~ 1.6e-38 counts as 0 next to the sum (>= 1) it is added to.
static inline float expClamped(float x) {
    const float log2e = 1.44269504088896341f;
    // Round to nearest by adding 1.5 * 2^23: the integer lands in the low mantissa bits of t.
    const float magic = 12582912.0f;
    float t           = x * log2e + magic;
    float n           = t - magic;
    // ln2 split in a high part exact in float and a small correction (Cody-Waite), so r is accurate.
    float r = x - n * 0.693145751953125f;
    r       = r - n * 1.428606765330187e-06f;
    float p = 1.0f / 720.0f;
    p       = p * r + 1.0f / 120.0f;
    p       = p * r + 1.0f / 24.0f;
    p       = p * r + 1.0f / 6.0f;
    p       = p * r + 0.5f;
    p       = p * r + 1.0f;
    p       = p * r + 1.0f;
    uint32_t tBits;
    std::memcpy(&tBits, &t, sizeof(tBits));
    const uint32_t pBits = (tBits - 0x4B400000u + 127u) << 23;  // (n + exponent bias) in the exponent field
    float twoPowN;
    std::memcpy(&twoPowN, &pBits, sizeof(twoPowN));
    return p * twoPowN;
}

// x - shift clamped to >= -87, the domain of expClamped. Callers store the result directly (see
// the top of the file for why).
static inline float shiftedClamped(float x, float shift) {
    const float v = x - shift;
    return v > -87.0f ? v : -87.0f;
}

// log(v) for a positive normal float. v = m * 2^e with m in [1, 2) read from the bits; with
// s = (m - 1) / (m + 1) in [0, 1/3), log(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), seven terms
// (error < 1e-8 relative); e * ln2 uses the same two-part ln2 as expClamped so it stays exact.
static inline float logPositive(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    const float e         = (float)((int32_t)(bits >> 23) - 127);
    const uint32_t mBits  = (bits & 0x007FFFFFu) | 0x3F800000u;  // same mantissa, exponent of 1.0
    float m;
    std::memcpy(&m, &mBits, sizeof(m));
    const float s = (m - 1.0f) / (m + 1.0f);
    const float z = s * s;
    float p       = 1.0f / 13.0f;
    p             = p * z + 1.0f / 11.0f;
    p             = p * z + 1.0f / 9.0f;
    p             = p * z + 1.0f / 7.0f;
    p             = p * z + 1.0f / 5.0f;
    p             = p * z + 1.0f / 3.0f;
    p             = p * z + 1.0f;
    return e * 0.693145751953125f + (2.0f * s * p + e * 1.428606765330187e-06f);
}

class CPULogSoftmax : public Execution {
public:
    CPULogSoftmax(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* input = inputs[0];
        const int dims      = input->dimensions();
        const int axis      = mAxis < 0 ? mAxis + dims : mAxis;
        if (dims == 0) {  // a scalar: log-softmax of one element
            mOutside = mAxisLength = mInside = 1;
        } else if (axis < 0 || axis >= dims) {
            return INVALID_VALUE;
        } else {
            mOutside = 1;
            for (int i = 0; i < axis; ++i) mOutside *= input->length(i);
            mAxisLength = input->length(axis);
            mInside     = input->stride(axis);
        }
        // Work units: (outside index, slice of the inside positions). Slicing the inside only pays
        // when there are fewer outside blocks than threads (e.g. axis 0).
        const int threads = backend()->threadNumber();
        mParts            = (mInside > 1 && mOutside < threads) ? threads : 1;
        mPartLength       = UP_DIV(mInside, mParts);
        // Per thread: running max and sum for the inside positions of a slice (strided case only).
        mScratch.assign(mInside > 1 ? (size_t)threads * 2 * mPartLength : 0, 0.0f);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        if ((size_t)mOutside * mAxisLength * mInside == 0) {
            return NO_ERROR;
        }
        const int threads = backend()->threadNumber();
        const int units   = mOutside * mParts;
        const int chunk   = UP_DIV(units, threads);
        // Every unit owns a disjoint set of output lines, so the split is race-free.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, units);
            for (int u = begin; u < end; ++u) {
                const int o    = u / mParts;
                const size_t block = (size_t)o * mAxisLength * mInside;
                if (mInside == 1) {
                    logSoftmaxContiguous(src + block, dst + block, mAxisLength);
                    continue;
                }
                const int k0 = (u % mParts) * mPartLength;
                const int k1 = ALIMIN(k0 + mPartLength, mInside);
                if (k0 < k1) {
                    float* scratch = mScratch.data() + (size_t)tId * 2 * mPartLength;
                    logSoftmaxStrided(src + block + k0, dst + block + k0, k1 - k0, scratch, scratch + mPartLength);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // Log-softmax of n contiguous values (the last-axis case).
    static void logSoftmaxContiguous(const float* s, float* d, int n) {
        // Eight independent lanes: g++ turns these fixed-size lane loops into one SIMD operation,
        // which it may not do for a single scalar reduction (float reassociation is not allowed).
        float lanes[8];
        for (int l = 0; l < 8; ++l) lanes[l] = s[0];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            for (int l = 0; l < 8; ++l) lanes[l] = s[i + l] > lanes[l] ? s[i + l] : lanes[l];
        }
        float maxValue = lanes[0];
        for (int l = 1; l < 8; ++l) maxValue = lanes[l] > maxValue ? lanes[l] : maxValue;
        for (; i < n; ++i) maxValue = s[i] > maxValue ? s[i] : maxValue;

        // exp(x - max) goes through d, which is overwritten with the result afterwards.
        for (int j = 0; j < n; ++j) d[j] = shiftedClamped(s[j], maxValue);
        for (int j = 0; j < n; ++j) d[j] = expClamped(d[j]);

        for (int l = 0; l < 8; ++l) lanes[l] = 0.0f;
        i = 0;
        for (; i + 8 <= n; i += 8) {
            for (int l = 0; l < 8; ++l) lanes[l] += d[i + l];
        }
        float sum = 0.0f;
        for (int l = 0; l < 8; ++l) sum += lanes[l];
        for (; i < n; ++i) sum += d[i];

        // (x - max) - log(sum) rather than x - (max + log(sum)): the rounding of max + log(sum)
        // would cost accuracy for outputs near 0.
        const float logSum = logPositive(sum);
        for (int j = 0; j < n; ++j) d[j] = (s[j] - maxValue) - logSum;
    }

    // Log-softmax along a non-last axis for `width` neighbouring inside positions: element (a, k) is
    // at a * inside + k. Every pass walks the contiguous inside positions in the inner loop so the
    // loops vectorise.
    void logSoftmaxStrided(const float* s, float* d, int width, float* maxValue, float* sum) const {
        const int inside = mInside;
        for (int k = 0; k < width; ++k) maxValue[k] = s[k];
        for (int a = 1; a < mAxisLength; ++a) {
            const float* row = s + (size_t)a * inside;
            for (int k = 0; k < width; ++k) maxValue[k] = row[k] > maxValue[k] ? row[k] : maxValue[k];
        }
        for (int k = 0; k < width; ++k) sum[k] = 0.0f;
        for (int a = 0; a < mAxisLength; ++a) {
            const float* row = s + (size_t)a * inside;
            float* out       = d + (size_t)a * inside;  // scratch for exp(x - max), overwritten below
            for (int k = 0; k < width; ++k) out[k] = shiftedClamped(row[k], maxValue[k]);
            for (int k = 0; k < width; ++k) out[k] = expClamped(out[k]);
            for (int k = 0; k < width; ++k) sum[k] += out[k];
        }
        for (int k = 0; k < width; ++k) sum[k] = logPositive(sum[k]);
        for (int a = 0; a < mAxisLength; ++a) {
            const float* row = s + (size_t)a * inside;
            float* out       = d + (size_t)a * inside;
            for (int k = 0; k < width; ++k) out[k] = (row[k] - maxValue[k]) - sum[k];
        }
    }

    int mAxis;
    int mOutside    = 1;
    int mAxisLength = 1;
    int mInside     = 1;
    int mParts      = 1;
    int mPartLength = 1;
    std::vector<float> mScratch;
};

class CPULogSoftmaxCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // Opset 13+ default; the tasks use opset 20.
        return new CPULogSoftmax(backend, (int)op->getInt("axis", -1));
    }
};

REGISTER_CPU_OP_CREATOR(CPULogSoftmaxCreator, OpType_LogSoftmax);

} // namespace MNN
