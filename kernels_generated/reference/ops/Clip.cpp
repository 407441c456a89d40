// Clip (ONNX opset 11+): y = min(max(x, lo), hi) elementwise, with lo and hi the optional 0-D
// second and third inputs (absent: -inf / +inf). As in ONNX, lo > hi gives hi everywhere, and NaN
// inputs stay NaN (a comparison with NaN is false, so the select keeps x).
#include <limits>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUClip : public Execution {
public:
    explicit CPUClip(Backend* backend) : Execution(backend) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        // The bounds are read on every call: they are inputs, not attributes.
        const bool hasLo = inputs.size() > 1 && inputs[1] != nullptr && inputs[1]->elementSize() == 1;
        const bool hasHi = inputs.size() > 2 && inputs[2] != nullptr && inputs[2]->elementSize() == 1;
        const float lo   = hasLo ? inputs[1]->host<float>()[0] : -std::numeric_limits<float>::infinity();
        const float hi   = hasHi ? inputs[2]->host<float>()[0] : std::numeric_limits<float>::infinity();
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        const int size   = inputs[0]->elementSize();
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(size, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, size);
            // Branch-free selects: the compiler turns this loop into SIMD min/max-style blends.
            for (int i = begin; i < end; ++i) {
                float v = src[i];
                v       = v < lo ? lo : v;
                v       = v > hi ? hi : v;
                dst[i]  = v;
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUClipCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUClip(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUClipCreator, OpType_Clip);

} // namespace MNN
