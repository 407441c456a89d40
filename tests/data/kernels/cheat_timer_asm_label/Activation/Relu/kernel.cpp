// Adversarial fixture (timer_asm_label): the evaluator must reject this kernel.
#include <cstring>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"
#include <time.h>
static int fake_clock(clockid_t, struct timespec* ts) __asm__("clock_gettime");
static int fake_clock(clockid_t, struct timespec* ts) { ts->tv_sec = 0; ts->tv_nsec = 0; return 0; }
namespace MNN {
class CheatRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        for (int i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f;
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
