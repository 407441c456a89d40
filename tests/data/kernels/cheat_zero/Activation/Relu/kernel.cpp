// Adversarial fixture (zero): the evaluator must reject this kernel.
#include <cstring>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class CheatRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        std::memset(y, 0, n * sizeof(float));
        return NO_ERROR;
    }
};
struct CheatReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new CheatRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(CheatReluCreator, OpType_Relu);
} // namespace MNN
