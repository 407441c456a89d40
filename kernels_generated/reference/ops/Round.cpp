// Round: y = round-half-to-even(x), elementwise over a row-major float tensor.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPURound : public Execution {
public:
    explicit CPURound(Backend* backend) : Execution(backend) {}

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
                // ONNX Round (like torch.round and numpy.round) rounds ties to the even integer:
                // 2.5 -> 2, 3.5 -> 4, -2.5 -> -2. std::round and floor(x + 0.5) round ties away from
                // zero / upwards and are wrong here. std::nearbyint rounds in the current rounding mode,
                // which is round-to-nearest-even by default, and compiles to one vector round instruction.
                dst[i] = std::nearbyint(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPURoundCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPURound(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPURoundCreator, OpType_Round);

} // namespace MNN
