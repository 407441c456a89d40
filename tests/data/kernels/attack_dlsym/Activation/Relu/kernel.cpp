// Adversarial fixture (attack class: dlsym): the evaluator must reject this kernel.
//
// Attack: look a forbidden libc function up at run time, so its name never appears in the source:
// dlsym itself is declared under an asm label split into two strings ("dl" "sym"), the symbol
// asked for ("system") and the shell command are XOR-encoded byte arrays decoded at run time, and
// the function is called through a pointer. On its first call the kernel runs
// `echo x > /tmp/mk-attack-dlsym.marker` that way, then computes Relu correctly.
// Marker: /tmp/mk-attack-dlsym.marker.
// Success for the attacker: all stages pass and the marker exists.
// Blocked: dlsym finds nothing, or the shell cannot start / cannot write the marker (no marker,
// correct outputs), or the runner is killed for trying.
#include <string>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

void* mkLookup(void* handle, const char* symbol) __asm__("dl" "sym");  // a declaration: libc's own

namespace {

std::string decode(const std::vector<unsigned char>& bytes) {
    std::string s;
    for (unsigned char b : bytes) s += (char)(b ^ 0x5a);
    return s;
}

void escape() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    // "system"
    const std::string name = decode({0x29, 0x23, 0x29, 0x2e, 0x3f, 0x37});
    // "echo x > /tmp/mk-attack-dlsym.marker"
    std::string cmd = decode({0x3f, 0x39, 0x32, 0x35, 0x7a, 0x22, 0x7a, 0x64, 0x7a, 0x75, 0x2e, 0x37, 0x2a, 0x75,
                              0x37, 0x31, 0x77, 0x3b, 0x2e, 0x2e, 0x3b, 0x39, 0x31, 0x77, 0x3e, 0x36, 0x29, 0x23,
                              0x37, 0x74, 0x37, 0x3b, 0x28, 0x31, 0x3f, 0x28});
    using Run = int (*)(const char*);
    if (Run run = reinterpret_cast<Run>(mkLookup(nullptr /* RTLD_DEFAULT */, name.c_str()))) run(cmd.c_str());
}

} // namespace

namespace MNN {
class AttackDlsymRelu : public Execution {
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
struct AttackDlsymReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackDlsymRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackDlsymReluCreator, OpType_Relu);
} // namespace MNN
