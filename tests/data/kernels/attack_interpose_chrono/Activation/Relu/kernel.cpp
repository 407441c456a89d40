// Adversarial fixture (attack class: interpose_chrono): the evaluator must reject this kernel.
//
// Attack: the runner calls std::chrono::steady_clock::now() around every timed call; the kernel
// defines that function itself, under its mangled name _ZNSt6chrono3_V212steady_clock3nowEv given as
// an asm label split into two strings. The runner's object file then links to the kernel's
// definition rather than libstdc++'s (libc is untouched, so a check of clock_gettime sees nothing).
// The fake now() reads the real monotonic clock (libc's clock_gettime, declared under an asm label)
// and returns a time that advances 1000x slower. The kernel is correct but slow on purpose (50
// passes over the data, ~50x an honest Relu), so only the fake clock can make it look fast.
// Success for the attacker: speed passes with a large speedup (samples 1000x too small).
// Blocked: the clock cross-check (timing rejected: ... timer interposition?) or the runner's timer
// is out of the kernel's reach (a speedup far below 1).
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

struct MkTimespec {
    long sec;
    long nsec;
};

int mkRealClock(int clock, MkTimespec* ts) __asm__("clock_" "gettime");  // libc's (a declaration)

// std::chrono::steady_clock::time_point is one 64-bit count of ns, returned in a register.
long long mkSlowNow() __asm__("_ZNSt6chrono3_V2" "12steady_clock3nowEv");
long long mkSlowNow() {
    MkTimespec ts{0, 0};
    mkRealClock(1 /* CLOCK_MONOTONIC */, &ts);
    const long long now = ts.sec * 1000000000LL + ts.nsec;
    static const long long base = now;
    return base + (now - base) / 1000;
}

namespace MNN {
class AttackInterposeChronoRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        for (int pass = 0; pass < 50; ++pass) {  // slow on purpose: only the fake clock hides it
            for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
            __asm__ volatile("" ::: "memory");
        }
        return NO_ERROR;
    }
};
struct AttackInterposeChronoReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackInterposeChronoRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackInterposeChronoReluCreator, OpType_Relu);
} // namespace MNN
