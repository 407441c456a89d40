// Atanh: y = atanh(x) = 0.5 * ln((1 + x) / (1 - x)) for |x| < 1, elementwise.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUAtanh : public Execution {
public:
    explicit CPUAtanh(Backend* backend) : Execution(backend) {}

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
                // std::atanh(float) is atanhf: accurate near 0 (log1p-based) and near +-1; atanh(+-1)
                // = +-inf and |x| > 1 gives NaN, as in PyTorch.
                dst[i] = std::atanh(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUAtanhCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUAtanh(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUAtanhCreator, OpType_Atanh);

} // namespace MNN
