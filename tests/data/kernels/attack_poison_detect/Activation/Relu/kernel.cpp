// Adversarial fixture (attack class: poison_detect, measurement protocol): the evaluator must reject
// this kernel.
//
// Attack: the runner fills the outputs with NaN before every call whose outputs it checks (the
// checked calls, and the last timed call of each input set) and leaves them alone before the others.
// The kernel looks at its output's first element: NaN means "this call is checked", and only then
// does it compute; otherwise it returns at once, leaving the previous call's result in place. The
// checked outputs are right; almost every timed call costs nothing. The computing path is slow on
// purpose (10 passes over the data), so without the tell the kernel is ~10x slower than an honest
// Relu.
// Success for the attacker: correctness passes and speed reports a large speedup (latency ~0 us).
// Blocked: the timed outputs are all checked or poisoned (a speedup well below 1), or a timed call's
// stale output is caught ("outputs of the timed calls are wrong").
#include <cstdint>
#include <cstring>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class AttackPoisonDetectRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        uint32_t first;
        std::memcpy(&first, y, sizeof first);
        const bool poisoned = (first & 0x7f800000u) == 0x7f800000u && (first & 0x007fffffu) != 0;  // NaN
        if (!poisoned) return NO_ERROR;  // nobody will look at this call's output
        for (int pass = 0; pass < 10; ++pass) {  // slow on purpose
            for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
            __asm__ volatile("" ::: "memory");
        }
        return NO_ERROR;
    }
};
struct AttackPoisonDetectReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackPoisonDetectRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackPoisonDetectReluCreator, OpType_Relu);
} // namespace MNN
