// Exp: y = e^x, elementwise over a row-major float tensor.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUExp : public Execution {
public:
    explicit CPUExp(Backend* backend) : Execution(backend) {}

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
                // std::exp(float) is expf: ~1 ulp relative error over the whole range, overflow to inf
                // above ~88.7 and underflow to 0 below ~-103, as in PyTorch.
                dst[i] = std::exp(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUExpCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUExp(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUExpCreator, OpType_Exp);

} // namespace MNN
