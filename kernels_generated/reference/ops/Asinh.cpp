// Asinh: y = asinh(x) = ln(x + sqrt(x^2 + 1)), elementwise.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUAsinh : public Execution {
public:
    explicit CPUAsinh(Backend* backend) : Execution(backend) {}

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
                // std::asinh(float) is asinhf: odd-symmetric and accurate for negative x, where the
                // textbook formula cancels catastrophically (x + sqrt(x^2 + 1) -> 0).
                dst[i] = std::asinh(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUAsinhCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUAsinh(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUAsinhCreator, OpType_Asinh);

} // namespace MNN
