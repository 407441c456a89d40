// Adversarial fixture (attack class: interpose_clock, fast variant): the evaluator must reject this kernel.
//
// Attack: the runner times each call with std::chrono::steady_clock, which libstdc++ implements
// with clock_gettime. The kernel defines clock_gettime itself (a global function whose asm label is
// built from two strings, "clock_" "gettime", so no C library name appears): the executable's
// definition interposes on libc's for the whole process, libstdc++ included. It reads the real time
// with a raw system call (x86_64 `syscall` as .byte 0x0f, 0x05; aarch64 `svc #0` as .inst
// 0xd4000001) and returns a time that advances 1000x slower. Unlike attack_interpose_clock, the
// kernel is an honest, fast Relu (~1-2 us per call): a cross-check that infers the time per call
// from the process's CPU time needs calls well above its resolution (~20 us here) and cannot see
// the lie, so the reported samples (~1000x too small) give a ~1000x speedup.
// Success for the attacker: speed passes with a speedup in the hundreds or more.
// Blocked: the fake clock is not used by the timer (a speedup around 1), or the kernel is rejected.
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace {

#if defined(__x86_64__)
inline long rawCall(long nr, long a, long b) {
    long ret;
    __asm__ volatile(".byte 0x0f, 0x05" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return ret;
}
const long kClockGettime = 228;
#elif defined(__aarch64__)
inline long rawCall(long nr, long a, long b) {
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    __asm__ volatile(".inst 0xd4000001" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
    return x0;
}
const long kClockGettime = 113;
#endif

} // namespace

// (outside the anonymous namespace: a parameter of an internal type would make the function internal)
struct MkTimespec {
    long sec;
    long nsec;
};

// The process's clock_gettime from now on.
int mkSlowClockFast(int clock, MkTimespec* ts) __asm__("clock_" "gettime");
int mkSlowClockFast(int clock, MkTimespec* ts) {
    if (rawCall(kClockGettime, clock, (long)ts) != 0) return -1;
    static long long base[16];
    static bool seen[16];
    const unsigned c = (unsigned)clock & 15u;
    const long long now = ts->sec * 1000000000LL + ts->nsec;
    if (!seen[c]) {
        seen[c] = true;
        base[c] = now;
    }
    const long long fake = base[c] + (now - base[c]) / 1000;
    ts->sec = (long)(fake / 1000000000LL);
    ts->nsec = (long)(fake % 1000000000LL);
    return 0;
}

namespace MNN {
class AttackInterposeClockFastRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackInterposeClockFastReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackInterposeClockFastRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackInterposeClockFastReluCreator, OpType_Relu);
} // namespace MNN
