// GlobalAveragePool (ONNX): X [N, C, d1, ..., dk] -> Y [N, C, 1, ..., 1], the mean of every (n, c)
// plane over all its spatial positions (any number of spatial dimensions; a plane is contiguous).
#include <cstdint>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// Sum of n contiguous floats in 16 independent lanes: g++ vectorises the fixed-size lane loop (two
// AVX registers, two independent add chains), which it does not do for one scalar accumulator (float
// addition is not reassociated). The lanes also keep the rounding error of long sums low.
static inline float sumLanes(const float* p, int n) {
    constexpr int kLanes = 16;
    float lanes[kLanes] = {};
    int i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        for (int l = 0; l < kLanes; ++l) lanes[l] += p[i + l];
    }
    float sum = 0.0f;
    for (int l = 0; l < kLanes; ++l) sum += lanes[l];
    for (; i < n; ++i) sum += p[i];
    return sum;
}

class CPUGlobalAveragePool : public Execution {
public:
    explicit CPUGlobalAveragePool(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        if (x->dimensions() < 2) {
            return INVALID_VALUE;
        }
        mPlanes    = x->length(0) * x->length(1);
        mPlaneSize = mPlanes > 0 ? x->elementSize() / mPlanes : 0;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src  = inputs[0]->host<float>();
        float* dst        = outputs[0]->host<float>();
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(mPlanes, threads);
        const float scale = mPlaneSize > 0 ? 1.0f / (float)mPlaneSize : 0.0f;
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, mPlanes);
            for (int p = tId * chunk; p < end; ++p) {
                dst[p] = sumLanes(src + (size_t)p * mPlaneSize, mPlaneSize) * scale;
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    int mPlanes    = 0;
    int mPlaneSize = 0;
};

class CPUGlobalAveragePoolCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUGlobalAveragePool(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUGlobalAveragePoolCreator, OpType_GlobalAveragePool);

} // namespace MNN
