// Softmax (ONNX opset >= 13): y = exp(x - max) / sum(exp(x - max)) along one axis of a row-major
// float tensor. The tensor is viewed as [outside, axis, inside]; the max is subtracted first so
// exp never overflows.
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// exp(x) for x in [-87, 0] (softmax only needs x <= 0; callers clamp), written without calls or
// branches so that g++ -O3 vectorises the loops using it (std::exp is a scalar libm call without
// -ffast-math).
// exp(x) = 2^n * exp(r) with n = round(x / ln2) and |r| <= ln2/2; exp(r) by a degree-6 Taylor
// polynomial (relative error ~2e-7), 2^n built directly in the exponent bits. x >= -87 keeps 2^n a
// normal float; exp(-87) ~ 1.6e-38 counts as 0 next to the sum (>= 1) of a softmax.
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
    int32_t tBits;
    std::memcpy(&tBits, &t, sizeof(tBits));
    int32_t e     = (tBits - 0x4B400000) + 127;  // n + exponent bias
    int32_t pBits = e << 23;
    float twoPowN;
    std::memcpy(&twoPowN, &pBits, sizeof(twoPowN));
    return p * twoPowN;
}

// x - shift clamped to >= -87, the domain of expClamped. A loop of its own on purpose: g++ turns
// this select into a SIMD max only when its result goes straight to memory, not when it feeds
// further arithmetic (it would keep a branch and leave the whole exp loop scalar).
static inline float shiftedClamped(float x, float shift) {
    const float v = x - shift;
    return v > -87.0f ? v : -87.0f;
}

class CPUSoftmax : public Execution {
public:
    CPUSoftmax(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* input = inputs[0];
        const int dims      = input->dimensions();
        int axis            = mAxis < 0 ? mAxis + dims : mAxis;
        if (dims == 0) {  // a scalar: softmax of one element
            mOutside = mAxisLength = mInside = 1;
            return NO_ERROR;
        }
        if (axis < 0 || axis >= dims) {
            return INVALID_VALUE;
        }
        mOutside = 1;
        for (int i = 0; i < axis; ++i) mOutside *= input->length(i);
        mAxisLength = input->length(axis);
        mInside     = input->stride(axis);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        if (mOutside * mAxisLength * mInside == 0) {
            return NO_ERROR;
        }
        const int threads = backend()->threadNumber();
        // Each outside index owns a disjoint [axis, inside] block, so splitting over it is race-free.
        const int chunk = UP_DIV(mOutside, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, mOutside);
            std::vector<float> scratch;  // per-thread running max / sum over the inside positions
            if (mInside > 1 && begin < end) {
                scratch.resize(2 * (size_t)mInside);
            }
            for (int o = begin; o < end; ++o) {
                const float* s = src + (size_t)o * mAxisLength * mInside;
                float* d       = dst + (size_t)o * mAxisLength * mInside;
                if (mInside == 1) {
                    softmaxContiguous(s, d, mAxisLength);
                } else {
                    softmaxStrided(s, d, scratch.data(), scratch.data() + mInside);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // Softmax of n contiguous values (the usual last-axis case).
    static void softmaxContiguous(const float* s, float* d, int n) {
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

        const float scale = 1.0f / sum;
        for (int j = 0; j < n; ++j) d[j] *= scale;
    }

    // Softmax along a non-last axis: element (a, k) is at a * inside + k. Every pass walks the
    // contiguous inside dimension in the inner loop so the loops vectorise.
    void softmaxStrided(const float* s, float* d, float* maxValue, float* sum) const {
        const int inside = mInside;
        for (int k = 0; k < inside; ++k) maxValue[k] = s[k];
        for (int a = 1; a < mAxisLength; ++a) {
            const float* row = s + (size_t)a * inside;
            for (int k = 0; k < inside; ++k) maxValue[k] = row[k] > maxValue[k] ? row[k] : maxValue[k];
        }
        for (int k = 0; k < inside; ++k) sum[k] = 0.0f;
        for (int a = 0; a < mAxisLength; ++a) {
            const float* row = s + (size_t)a * inside;
            float* out       = d + (size_t)a * inside;
            for (int k = 0; k < inside; ++k) out[k] = shiftedClamped(row[k], maxValue[k]);
            for (int k = 0; k < inside; ++k) out[k] = expClamped(out[k]);
            for (int k = 0; k < inside; ++k) sum[k] += out[k];
        }
        for (int k = 0; k < inside; ++k) sum[k] = 1.0f / sum[k];
        for (int a = 0; a < mAxisLength; ++a) {
            float* out = d + (size_t)a * inside;
            for (int k = 0; k < inside; ++k) out[k] *= sum[k];
        }
    }

    int mAxis;
    int mOutside    = 1;
    int mAxisLength = 1;
    int mInside     = 1;
};

class CPUSoftmaxCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // Opset 13+ default; the harness exports with opset 20.
        return new CPUSoftmax(backend, (int)op->getInt("axis", -1));
    }
};

REGISTER_CPU_OP_CREATOR(CPUSoftmaxCreator, OpType_Softmax);

} // namespace MNN
