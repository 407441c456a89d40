// LayerNormalization (ONNX opset 17): for every slice X[i, ...] over the dimensions axis..end,
//   Y = (X - mean) / sqrt(var + epsilon) * Scale + B       (B optional, var is the biased variance)
// The input is viewed as [outside, inside] with inside = product of the normalised dimensions.
// Optional outputs Mean and InvStdDev (shape [outside dims, 1, ...]) are written when present.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// Sum of n contiguous floats in eight independent lanes: g++ vectorises the fixed-size lane loop,
// which it may not do for a single scalar accumulator (float addition is not reassociated).
// Lanes also keep the rounding error lower than one long running sum.
static inline float sumLanes(const float* p, int n) {
    float lanes[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; ++l) lanes[l] += p[i + l];
    }
    float sum = 0.0f;
    for (int l = 0; l < 8; ++l) sum += lanes[l];
    for (; i < n; ++i) sum += p[i];
    return sum;
}

// Sum of (p[i] - mean)^2, same lane scheme.
static inline float sumSquaredDiff(const float* p, int n, float mean) {
    float lanes[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; ++l) {
            const float d = p[i + l] - mean;
            lanes[l] += d * d;
        }
    }
    float sum = 0.0f;
    for (int l = 0; l < 8; ++l) sum += lanes[l];
    for (; i < n; ++i) {
        const float d = p[i] - mean;
        sum += d * d;
    }
    return sum;
}

class CPULayerNorm : public Execution {
public:
    CPULayerNorm(Backend* backend, int axis, float epsilon) : Execution(backend), mAxis(axis), mEpsilon(epsilon) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        const int axis  = mAxis < 0 ? mAxis + dims : mAxis;
        if (axis < 0 || axis >= dims) {
            return INVALID_VALUE;
        }
        mOutside = 1;
        for (int i = 0; i < axis; ++i) mOutside *= x->length(i);
        mInside = x->stride(axis) * x->length(axis);
        // Scale and B have the normalised shape; a single element is broadcast.
        const int scaleSize = inputs[1]->elementSize();
        if (scaleSize != mInside && scaleSize != 1) {
            return INVALID_VALUE;
        }
        const bool hasBias = inputs.size() > 2 && inputs[2] != nullptr;
        if (hasBias && inputs[2]->elementSize() != mInside && inputs[2]->elementSize() != 1) {
            return INVALID_VALUE;
        }
        // Scratch for a broadcast (single-element) or absent parameter, so the hot loop has one form.
        mScale.assign(mInside, 0.0f);
        mBias.assign(mInside, 0.0f);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y       = outputs[0]->host<float>();
        const float* scale = parameter(inputs[1], mScale, 1.0f);
        const float* bias  = parameter(inputs.size() > 2 ? inputs[2] : nullptr, mBias, 0.0f);
        float* meanOut   = outputs.size() > 1 && outputs[1] != nullptr ? outputs[1]->host<float>() : nullptr;
        float* invStdOut = outputs.size() > 2 && outputs[2] != nullptr ? outputs[2]->host<float>() : nullptr;

        const int inside   = mInside;
        const int threads  = backend()->threadNumber();
        const int chunk    = UP_DIV(mOutside, threads);
        // Each thread normalises its own rows: disjoint reads of parameters only, disjoint writes.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, mOutside);
            for (int o = begin; o < end; ++o) {
                const float* src = x + (size_t)o * inside;
                float* dst       = y + (size_t)o * inside;
                // Two passes (mean, then squared deviations) instead of E[x^2] - E[x]^2, which
                // cancels badly when the mean is large relative to the spread.
                const float mean   = sumLanes(src, inside) / (float)inside;
                const float var    = sumSquaredDiff(src, inside, mean) / (float)inside;
                const float invStd = 1.0f / std::sqrt(var + mEpsilon);
                for (int k = 0; k < inside; ++k) {
                    dst[k] = (src[k] - mean) * invStd * scale[k] + bias[k];
                }
                if (meanOut != nullptr) meanOut[o] = mean;
                if (invStdOut != nullptr) invStdOut[o] = invStd;
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // A full-size parameter is used in place; a single element (or an absent B, given as
    // `fallback`) is expanded into `scratch`. Done per call since parameters are inputs.
    const float* parameter(const Tensor* t, std::vector<float>& scratch, float fallback) const {
        if (t != nullptr && t->elementSize() == mInside) {
            return t->host<float>();
        }
        const float value = t == nullptr ? fallback : t->host<float>()[0];
        for (int k = 0; k < mInside; ++k) scratch[k] = value;
        return scratch.data();
    }

    int mAxis;
    float mEpsilon;
    int mOutside = 1;
    int mInside  = 1;
    std::vector<float> mScale, mBias;
};

class CPULayerNormCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPULayerNorm(backend, (int)op->getInt("axis", -1), op->getFloat("epsilon", 1e-5f));
    }
};

REGISTER_CPU_OP_CREATOR(CPULayerNormCreator, OpType_LayerNormalization);

} // namespace MNN
