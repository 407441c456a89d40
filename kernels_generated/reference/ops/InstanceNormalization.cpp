// InstanceNormalization (ONNX): for every sample n and channel c of X [N, C, D1, ..., Dk],
//   Y[n, c, ...] = (X[n, c, ...] - mean) / sqrt(var + epsilon) * scale[c] + B[c]
// where mean and the biased variance are taken over that (n, c) plane (all spatial dimensions, so the
// same code serves 1-D, 2-D and 3-D inputs). Each plane is a contiguous run of elements.
#include <cmath>
#include <vector>

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

class CPUInstanceNormalization : public Execution {
public:
    CPUInstanceNormalization(Backend* backend, float epsilon) : Execution(backend), mEpsilon(epsilon) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        if (inputs.size() < 3 || x->dimensions() < 2) {
            return INVALID_VALUE;
        }
        mBatch   = x->length(0);
        mChannel = x->length(1);
        mPlane   = x->dimensions() > 2 ? x->stride(1) : 1;  // product of the spatial dimensions
        if (inputs[1] == nullptr || inputs[1]->elementSize() != mChannel || inputs[2] == nullptr ||
            inputs[2]->elementSize() != mChannel) {
            return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x     = inputs[0]->host<float>();
        const float* scale = inputs[1]->host<float>();
        const float* bias  = inputs[2]->host<float>();
        float* y           = outputs[0]->host<float>();
        const int plane    = mPlane;

        // One task per (n, c) plane: statistics and output of a plane never touch another plane.
        const int planes  = mBatch * mChannel;
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(planes, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, planes);
            for (int p = begin; p < end; ++p) {
                const int c      = p % mChannel;
                const float* src = x + (size_t)p * plane;
                float* dst       = y + (size_t)p * plane;
                // Two passes (mean, then squared deviations) instead of E[x^2] - E[x]^2, which
                // cancels badly when the mean is large relative to the spread.
                const float mean   = sumLanes(src, plane) / (float)plane;
                const float var    = sumSquaredDiff(src, plane, mean) / (float)plane;
                const float invStd = 1.0f / std::sqrt(var + mEpsilon);
                // Normalisation and affine folded into one multiply-add per element.
                const float alpha = invStd * scale[c];
                const float beta  = bias[c] - mean * alpha;
                for (int i = 0; i < plane; ++i) dst[i] = src[i] * alpha + beta;
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    float mEpsilon;
    int mBatch   = 0;
    int mChannel = 0;
    int mPlane   = 1;
};

class CPUInstanceNormalizationCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUInstanceNormalization(backend, op->getFloat("epsilon", 1e-5f));
    }
};

REGISTER_CPU_OP_CREATOR(CPUInstanceNormalizationCreator, OpType_InstanceNormalization);

} // namespace MNN
