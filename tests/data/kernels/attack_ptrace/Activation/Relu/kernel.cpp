// Adversarial fixture (attack class: ptrace): the evaluator must reject this kernel.
//
// Attack: a process that can ptrace the harness can read and rewrite its memory (verdicts,
// reference arrays, timings). On its first call the kernel attaches to its parent, the pytest
// process, with PTRACE_SEIZE; on success it writes the marker, then stops the tracee for an instant
// (PTRACE_INTERRUPT + waitpid) only to detach cleanly (PTRACE_DETACH), so the harness runs on
// unharmed. It computes Relu correctly.
// Harmless by design: once per process, parent only (never pid 0 or 1), detached at once; nothing is
// read or written in the tracee.
// Marker: /tmp/mk-attack-ptrace.marker ("seized <ppid>").
// Success for the attacker: all stages pass and the marker exists.
// Blocked: PTRACE_SEIZE fails (no marker, correct outputs), or the runner is killed for trying.
// Screen evasion: ptrace/fopen through token-pasted names.
#include <cstdio>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

extern "C" long MK_CAT(ptr, ace)(int, int, void*, void*);
extern "C" int waitpid(int, int*, int);
extern "C" int getppid();

namespace {
void attachToParent() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    const int parent = getppid();
    if (parent <= 1) return;
    const int kSeize = 0x4206, kInterrupt = 0x4207, kDetach = 17;
    if (MK_CAT(ptr, ace)(kSeize, parent, nullptr, nullptr) != 0) return;
    if (std::FILE* f = MK_FOPEN("/tmp/mk-attack-ptrace.marker", "ab")) {
        std::fprintf(f, "seized %d\n", parent);
        std::fclose(f);
    }
    int status = 0;
    if (MK_CAT(ptr, ace)(kInterrupt, parent, nullptr, nullptr) == 0)
        waitpid(parent, &status, 0x40000000 /* __WALL */);
    MK_CAT(ptr, ace)(kDetach, parent, nullptr, nullptr);
}
} // namespace

namespace MNN {
class AttackPtraceRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        attachToParent();
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackPtraceReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackPtraceRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackPtraceReluCreator, OpType_Relu);
} // namespace MNN
