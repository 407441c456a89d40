// HardSigmoid: y = max(0, min(1, alpha * x + beta)), elementwise over a row-major float tensor.
// Attributes alpha (default 0.2) and beta (default 0.5); torch's Hardsigmoid exports alpha = 1/6.
#include <algorithm>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUHardSigmoid : public Execution {
public:
    CPUHardSigmoid(Backend* backend, float alpha, float beta) : Execution(backend), mAlpha(alpha), mBeta(beta) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src  = inputs[0]->host<float>();
        float* dst        = outputs[0]->host<float>();
        const int size    = inputs[0]->elementSize();
        const float alpha = mAlpha;
        const float beta  = mBeta;
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(size, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, size);
            // The clamp goes straight to memory, so the compiler turns it into SIMD min/max.
            for (int i = begin; i < end; ++i) {
                dst[i] = std::min(std::max(alpha * src[i] + beta, 0.0f), 1.0f);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    float mAlpha;
    float mBeta;
};

class CPUHardSigmoidCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUHardSigmoid(backend, op->getFloat("alpha", 0.2f), op->getFloat("beta", 0.5f));
    }
};

REGISTER_CPU_OP_CREATOR(CPUHardSigmoidCreator, OpType_HardSigmoid);

} // namespace MNN
