// Relu written with std::max (a second, independent kernel for the tests).
#include <algorithm>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class TestRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = std::max(x[i], 0.0f);
        return NO_ERROR;
    }
};
struct TestReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new TestRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(TestReluCreator, OpType_Relu);
} // namespace MNN
