// IsNaN: bool output, one byte per element.
#include <cmath>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class TestIsNaN : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        bool* y = outputs[0]->host<bool>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] != x[i];
        return NO_ERROR;
    }
};
struct TestIsNaNCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new TestIsNaN(backend);
    }
};
REGISTER_CPU_OP_CREATOR(TestIsNaNCreator, OpType_IsNaN);
} // namespace MNN
