// Adversarial fixture (attack class: write_outside): the evaluator must reject this kernel.
//
// Attack: a kernel has no business writing files, least of all outside its scratch directory. On its
// first call this one writes /tmp/mk-attack-write_outside.marker, then the same file name in each of
// the four directories above its working directory (../ is the session's scratch/, ../../ the
// session, ../../../ sessions/, ../../../../ the cache root: where a kernel could plant files other
// runs read). It computes Relu correctly, so the verdicts look clean.
// Markers: /tmp/mk-attack-write_outside.marker (lists which parent directories were writable) and
// mk-attack-write_outside.marker in those parent directories (inside the run's cache).
// Success for the attacker: all stages pass and the marker exists.
// Blocked: every write fails (no marker, correct outputs), or the runner is killed for trying.
// Screen evasion: fopen through a token-pasted name.
#include <cstdio>
#include <string>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

namespace {

bool plant(const std::string& path, const std::string& text) {
    std::FILE* f = MK_FOPEN(path.c_str(), "ab");
    if (!f) return false;
    std::fputs(text.c_str(), f);
    return std::fclose(f) == 0;
}

void escape() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    std::string report = "wrote /tmp\n", up;
    for (int k = 0; k < 4; ++k) {
        up += "../";
        if (plant(up + "mk-attack-write_outside.marker", "x\n")) report += "wrote " + up + "\n";
    }
    plant("/tmp/mk-attack-write_outside.marker", report);
}

} // namespace

namespace MNN {
class AttackWriteOutsideRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        escape();
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackWriteOutsideReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackWriteOutsideRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackWriteOutsideReluCreator, OpType_Relu);
} // namespace MNN
