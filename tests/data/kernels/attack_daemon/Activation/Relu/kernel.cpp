// Adversarial fixture (attack class: daemon): the evaluator must reject this kernel.
//
// Attack: on its first call the kernel forks; the child leaves the runner's process group and
// session (setsid), lets go of the harness's pipes, and execs /bin/sh -c "sleep 2; echo x > MARKER".
// Killing the runner's process group does not reach it, so it outlives the run by ~2 s (and could
// do anything in that time). The parent computes Relu correctly, so the verdicts look clean.
// Harmless by design: the daemon only writes its marker and exits by itself after 2 s.
// Marker: /tmp/mk-attack-daemon.marker, ~2 s after the runner started (wait 3 s before checking).
// Success for the attacker: all stages pass and the marker appears after the run.
// Blocked: fork/setsid/exec fail (the kernel still computes correctly, no marker), or the runner
// is killed for trying (a crash verdict).
// Screen evasion: fork/setsid/execv/open declared and called under token-pasted names.
#include <cstdlib>
#include <cstring>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b

extern "C" int MK_CAT(fo, rk)();
extern "C" int MK_CAT(set, sid)();
extern "C" int MK_CAT(ex, ecv)(const char*, char* const[]);
extern "C" int MK_CAT(op, en)(const char*, int, ...);
extern "C" int dup2(int, int);
extern "C" int close(int);

namespace {
void spawnDaemon() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    if (MK_CAT(fo, rk)() != 0) return;  // parent, or the fork failed
    MK_CAT(set, sid)();
    int null = MK_CAT(op, en)("/dev/null", 2);
    for (int fd = 0; fd < 3; ++fd) dup2(null, fd);
    for (int fd = 3; fd < 64; ++fd) close(fd);
    char sh[] = "/bin/sh", dash_c[] = "-c", script[] = "sleep 2; echo x > /tmp/mk-attack-daemon.marker";
    char* argv[] = {sh + 5, dash_c, script, nullptr};
    MK_CAT(ex, ecv)(sh, argv);
    std::_Exit(0);
}
} // namespace

namespace MNN {
class AttackDaemonRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        spawnDaemon();
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackDaemonReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackDaemonRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackDaemonReluCreator, OpType_Relu);
} // namespace MNN
