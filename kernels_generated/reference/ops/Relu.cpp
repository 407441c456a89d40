// Relu: y = max(x, 0), elementwise over a row-major float tensor.
#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPURelu : public Execution {
public:
    explicit CPURelu(Backend* backend) : Execution(backend) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        const int size   = inputs[0]->elementSize();
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(size, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, size);
            for (int i = begin; i < end; ++i) {
                dst[i] = src[i] > 0.0f ? src[i] : 0.0f;
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUReluCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPURelu(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUReluCreator, OpType_Relu);

} // namespace MNN
