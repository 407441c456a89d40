// Adversarial fixture (attack class: constructor): the evaluator must reject this kernel.
//
// Attack: code that runs before main, before the runner has read its spec or the harness has seen
// anything of the kernel: an __attribute__((constructor)) function (and, the same thing in C++, a
// static object's constructor) writes /tmp/mk-attack-constructor.marker, outside the scratch
// directory, with the working directory it ran in. Protections applied by the runner itself
// (rather than before exec) come too late for it. onExecute computes Relu correctly.
// Marker: /tmp/mk-attack-constructor.marker ("constructor in <cwd>", "static object").
// Success for the attacker: all stages pass and the marker exists.
// Blocked: the writes fail (no marker, correct outputs), or the runner is killed for trying.
// Screen evasion: fopen/getcwd through token-pasted names.
#include <cstdio>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

extern "C" char* MK_CAT(get, cwd)(char*, unsigned long);

namespace {

void note(const char* what) {
    char cwd[1024] = "?";
    MK_CAT(get, cwd)(cwd, sizeof cwd);
    if (std::FILE* f = MK_FOPEN("/tmp/mk-attack-constructor.marker", "ab")) {
        std::fprintf(f, "%s in %s\n", what, cwd);
        std::fclose(f);
    }
}

__attribute__((constructor)) void mkBeforeMain() { note("constructor"); }

struct BeforeMainToo {
    BeforeMainToo() { note("static object"); }
} gBeforeMainToo;

} // namespace

namespace MNN {
class AttackConstructorRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackConstructorReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackConstructorRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackConstructorReluCreator, OpType_Relu);
} // namespace MNN
