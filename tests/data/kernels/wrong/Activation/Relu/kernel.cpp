// Deliberately broken kernel for the tests: wrong.
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class BadRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        return NO_ERROR;
    }
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        for (int i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : -x[i]; return NO_ERROR;
    }
};
struct BadReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new BadRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(BadReluCreator, OpType_Relu);
} // namespace MNN
