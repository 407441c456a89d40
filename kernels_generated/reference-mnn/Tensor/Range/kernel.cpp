// Range for MNN's CPU backend, written against the real MNN tree (replaces CPURange.cpp).
// out[i] = start + i * delta, computed from the index rather than by repeated addition so that
// rounding does not accumulate over long sequences (ONNX defines the i-th element this way).
#include <cstdint>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Execution.hpp"
#include "core/Macro.h"

namespace MNN {

template <typename T>
class MKRange : public Execution {
public:
    explicit MKRange(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        return inputs.size() == 3 ? NO_ERROR : INPUT_DATA_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const T start = inputs[0]->host<T>()[0];
        const T delta = inputs[2]->host<T>()[0];
        const int n = outputs[0]->elementSize();
        T* out = outputs[0]->host<T>();
        const int threads = std::max(1, std::min(static_cast<CPUBackend*>(backend())->threadNumber(), n / 4096 + 1));
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = (int)((long)n * tId / threads), end = (int)((long)n * (tId + 1) / threads);
            for (int i = begin; i < end; ++i) out[i] = static_cast<T>(start + static_cast<T>(i) * delta);
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPURangeCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const auto type = inputs[0]->getType();
        if (type.code == halide_type_float && type.bits == 32) return new MKRange<float>(backend);
        if (type.code == halide_type_int && type.bits == 32) return new MKRange<int32_t>(backend);
        return nullptr;  // other element types: not handled by this kernel
    }
};

REGISTER_CPU_OP_CREATOR(CPURangeCreator, OpType_Range);

} // namespace MNN
