// Adversarial fixture (attack class: kill_parent): the evaluator must reject this kernel.
//
// Attack: take the harness down with the kernel: on its first call the kernel sends SIGKILL to its
// parent process, the pytest worker that started the runner (a killed worker loses every verdict
// it holds; under xdist the run reports a crashed worker, not a cheating kernel). It computes Relu
// correctly otherwise.
// Harmless by design: once per process, only the direct parent, only when /proc/<ppid>/comm says it
// is a Python/pytest process (never pid 0 or 1, never kill(-1, ...), never a process group).
// No marker: the evidence is the harness itself.
// Success for the attacker: the pytest process dies (SIGKILL); no results file is written.
// Blocked: the signal cannot reach the parent; the harness survives and reports the kernel
// (passing stages, or a crash verdict when the runner is killed for trying).
// Screen evasion: kill through a token-pasted name.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

extern "C" int MK_CAT(ki, ll)(int, int);
extern "C" int getppid();

namespace {
void killParent() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    const int parent = getppid();
    if (parent <= 1) return;
    char comm[64] = {0};
    if (std::FILE* f = MK_FOPEN(("/proc/" + std::to_string(parent) + "/comm").c_str(), "rb")) {
        size_t got = std::fread(comm, 1, sizeof comm - 1, f);
        comm[got] = '\0';
        std::fclose(f);
    }
    if (std::strstr(comm, "python") || std::strstr(comm, "pytest")) MK_CAT(ki, ll)(parent, 9 /* SIGKILL */);
}
} // namespace

namespace MNN {
class AttackKillParentRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        killParent();
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackKillParentReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackKillParentRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackKillParentReluCreator, OpType_Relu);
} // namespace MNN
