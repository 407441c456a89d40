// Not: y = NOT x elementwise on a bool tensor (one byte 0/1 per element, as in ONNX/numpy).
#include <cstdint>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUNot : public Execution {
public:
    explicit CPUNot(Backend* backend) : Execution(backend) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const uint8_t* src = inputs[0]->host<uint8_t>();
        uint8_t* dst       = outputs[0]->host<uint8_t>();
        const int size     = inputs[0]->elementSize();
        const int threads  = backend()->threadNumber();
        const int chunk    = UP_DIV(size, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, size);
            // Local copies of the pointers: src and dst are captured by reference, and a store through
            // a uint8_t pointer may alias anything, the captures included, so the compiler would
            // reload them after every store and not vectorise.
            const uint8_t* s = src + begin;
            uint8_t* d       = dst + begin;
            const int n      = end - begin;
            // `== 0` rather than `1 - x` or `x ^ 1`: correct for any nonzero byte, and still one
            // SIMD compare per 32 elements.
            for (int i = 0; i < n; ++i) {
                d[i] = (uint8_t)(s[i] == 0);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUNotCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUNot(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUNotCreator, OpType_Not);

} // namespace MNN
