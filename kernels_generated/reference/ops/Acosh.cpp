// Acosh: y = acosh(x) = ln(x + sqrt(x^2 - 1)) for x >= 1, elementwise.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUAcosh : public Execution {
public:
    explicit CPUAcosh(Backend* backend) : Execution(backend) {}

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
                // std::acosh(float) is acoshf: avoids the cancellation of the textbook formula near
                // x = 1 and the overflow of x*x for huge x; x < 1 gives NaN.
                dst[i] = std::acosh(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUAcoshCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUAcosh(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUAcoshCreator, OpType_Acosh);

} // namespace MNN
