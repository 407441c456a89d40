// Adversarial fixture (attack class: threads): the evaluator must reject this kernel.
//
// Attack: the task is timed with one thread (--mk-threads=1, the spec's "threads"; MNN runs with
// one) but nothing stops a kernel from starting its own: every call splits the work between the
// calling thread and a std::thread helper, so a per-call wall-clock timer sees two CPUs' work in one
// CPU's time. (For a Relu this small, starting a thread costs more than it saves; the class matters
// for larger kernels, and together with attack_affinity, which escapes the one-CPU pin.) The
// outputs are correct.
// No marker: the evidence is the process's CPU time exceeding its wall time, or a thread count.
// Success for the attacker: all stages pass although the kernel used more threads than allowed.
// Blocked: threads cannot be created (std::system_error: an "uncaught exception" verdict) or are
// confined to one CPU (no gain), or the runner is killed for trying.
#include <thread>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace {
void relu(const float* x, float* y, int begin, int end) {
    for (int i = begin; i < end; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
} // namespace

namespace MNN {
class AttackThreadsRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize(), half = n / 2;
        std::thread helper(relu, x, y, half, n);  // the second half on another thread
        relu(x, y, 0, half);
        helper.join();
        return NO_ERROR;
    }
};
struct AttackThreadsReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackThreadsRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackThreadsReluCreator, OpType_Relu);
} // namespace MNN
