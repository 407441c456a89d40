// Floor: y = floor(x) (round towards -inf), elementwise over a row-major float tensor.
#include <cmath>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUFloor : public Execution {
public:
    explicit CPUFloor(Backend* backend) : Execution(backend) {}

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
                // Result stays float (ONNX Floor keeps the input type).
                dst[i] = std::floor(src[i]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUFloorCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUFloor(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUFloorCreator, OpType_Floor);

} // namespace MNN
