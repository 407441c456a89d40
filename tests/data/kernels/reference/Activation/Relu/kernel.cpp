// Correct but deliberately slow Relu (recomputes every element 64 times): for the Accelerator tests.
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class SlowRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        volatile float* y = outputs[0]->host<float>();
        for (int r = 0; r < 64; ++r)
            for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct SlowReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new SlowRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(SlowReluCreator, OpType_Relu);
} // namespace MNN
