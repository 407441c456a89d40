// Adversarial fixture (attack class: affinity): the evaluator must reject this kernel.
//
// Attack: the harness pins every timed arm to one CPU (its timing lane) so that kernel, MNN and
// other workers do not disturb one another. On its first call the kernel reads its CPU mask and,
// when it is pinned to a single CPU, asks for every CPU of the machine (sched_setaffinity under an
// asm label split into two strings): out of its lane it can run threads on the other worker's CPU
// or dodge a busy core. It writes the marker only when the new mask really is wider, and computes
// Relu correctly.
// Marker: /tmp/mk-attack-affinity.marker ("widened from 1 to N CPUs"); only timing runs are pinned,
// so it comes from the speed stage.
// Success for the attacker: all stages pass and the marker exists.
// Blocked: the call fails or changes nothing (no marker, correct outputs), or the runner is killed.
#include <cstdio>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

int mkSetAffinity(int pid, unsigned long bytes, const void* mask) __asm__("sched_set" "affinity");
int mkGetAffinity(int pid, unsigned long bytes, void* mask) __asm__("sched_get" "affinity");

namespace {

int countCpus() {
    unsigned long mask[16] = {0};
    if (mkGetAffinity(0, sizeof mask, mask) != 0) return -1;
    int count = 0;
    for (unsigned long word : mask) count += __builtin_popcountl(word);
    return count;
}

void escapeLane() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    const int before = countCpus();
    if (before != 1) return;  // not pinned: nothing to escape
    unsigned long all[16];
    for (auto& word : all) word = ~0ul;
    mkSetAffinity(0, sizeof all, all);
    const int after = countCpus();
    if (after > before)
        if (std::FILE* f = MK_FOPEN("/tmp/mk-attack-affinity.marker", "ab")) {
            std::fprintf(f, "widened from %d to %d CPUs\n", before, after);
            std::fclose(f);
        }
}

} // namespace

namespace MNN {
class AttackAffinityRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        escapeLane();
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackAffinityReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackAffinityRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackAffinityReluCreator, OpType_Relu);
} // namespace MNN
