// Deliberately broken kernel for the tests: oom.
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class BadRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        std::vector<float> huge((size_t)1 << 40); huge[0] = 1; return huge[0] > 0 ? NO_ERROR : NOT_SUPPORT;
    }
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        for (int i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f; return NO_ERROR;
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
