// Reshape (ONNX): the output holds the input's elements in the same row-major order; only the
// shape changes (given by the second input, int64, with 0 = copy the input dimension unless
// allowzero=1, and one -1 inferred). With plain row-major tensors the shape is already resolved
// into the output tensor, so the kernel is a copy of the bytes.
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUReshape : public Execution {
public:
    explicit CPUReshape(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        return inputs[0]->size() == outputs[0]->size() ? NO_ERROR : INVALID_VALUE;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const uint8_t* src = inputs[0]->host<uint8_t>();
        uint8_t* dst       = outputs[0]->host<uint8_t>();
        const size_t bytes = inputs[0]->size();
        // Large copies are split into a few chunks so several threads share the memory traffic.
        const int threads  = backend()->threadNumber();
        const size_t chunk = (bytes + threads - 1) / threads;
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const size_t begin = (size_t)tId * chunk;
            const size_t end   = ALIMIN(begin + chunk, bytes);
            if (begin < end) std::memcpy(dst + begin, src + begin, end - begin);
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUReshapeCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUReshape(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUReshapeCreator, OpType_Reshape);

} // namespace MNN
