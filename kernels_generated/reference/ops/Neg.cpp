// Neg: y = -x, elementwise over a row-major float tensor.
#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUNeg : public Execution {
public:
    explicit CPUNeg(Backend* backend) : Execution(backend) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src  = inputs[0]->host<float>();
        float* dst        = outputs[0]->host<float>();
        const int size    = inputs[0]->elementSize();
        const int threads = backend()->threadNumber();
        // Contiguous slice per thread: elementwise ops need no other coordination.
        const int chunk   = UP_DIV(size, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, size);
            for (int i = begin; i < end; ++i) {
                // Negation only flips the sign bit: exact, and 0 -> -0 as in PyTorch.
                dst[i] = -src[i];
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUNegCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUNeg(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUNegCreator, OpType_Neg);

} // namespace MNN
