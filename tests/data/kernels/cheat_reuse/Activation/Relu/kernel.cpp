// Adversarial fixture (reuse): the evaluator must reject this kernel.
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
        static int calls = 0; static std::vector<float> saved;
        // honest for the correctness trials, then replays the last result
        if (++calls <= 3) { for (int i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f; saved.assign(y, y + n); }
        else std::memcpy(y, saved.data(), n * sizeof(float));
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
