// Sinh: y = sinh(x) = (e^x - e^-x) / 2, elementwise.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUSinh : public Execution {
public:
    explicit CPUSinh(Backend* backend) : Execution(backend) {}

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
                // std::sinh(float) is sinhf: accurate near 0, where (exp(x) - exp(-x)) / 2 cancels
                // (relative error ~1e-7 / |x|), and odd-symmetric.
                dst[i] = std::sinh(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUSinhCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUSinh(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUSinhCreator, OpType_Sinh);

} // namespace MNN
