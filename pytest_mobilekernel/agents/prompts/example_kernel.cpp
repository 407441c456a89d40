// One-shot example for the prompts: LeakyRelu (y = x if x >= 0 else alpha * x), an operator that is
// not one of the benchmark's tasks. Shows the file structure, reading an attribute in onCreate,
// and splitting the work with MNN_CONCURRENCY_BEGIN/END.
#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPULeakyRelu : public Execution {
public:
    CPULeakyRelu(Backend* backend, float alpha) : Execution(backend), mAlpha(alpha) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        // Shapes are known here: check them once instead of on every call.
        return inputs[0]->elementSize() == outputs[0]->elementSize() ? NO_ERROR : COMPUTE_SIZE_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src  = inputs[0]->host<float>();
        float* dst        = outputs[0]->host<float>();
        const int size    = inputs[0]->elementSize();
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(size, threads);
        const float alpha = mAlpha;
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN((int)tId * chunk + chunk, size);
            for (int i = tId * chunk; i < end; ++i) {
                const float x = src[i];
                dst[i] = x >= 0.0f ? x : alpha * x;  // branch-free after vectorisation
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    float mAlpha;
};

class CPULeakyReluCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // The Op is only valid during onCreate: copy the attributes the kernel needs.
        return new CPULeakyRelu(backend, op->getFloat("alpha", 0.01f));
    }
};

REGISTER_CPU_OP_CREATOR(CPULeakyReluCreator, OpType_LeakyRelu);

} // namespace MNN
