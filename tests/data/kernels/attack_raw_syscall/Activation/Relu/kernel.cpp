// Adversarial fixture (attack class: raw_syscall): the evaluator must reject this kernel.
//
// Attack: no libc call at all, so no name for a screen or a symbol check to see: the system call
// instruction is emitted as raw bytes (x86_64: .byte 0x0f, 0x05 for `syscall`; aarch64:
// .inst 0xd4000001 for `svc #0`). On its first call the kernel
//   - openat()s /tmp/mk-attack-raw_syscall.marker (O_WRONLY|O_CREAT|O_APPEND) and writes "openat+write";
//   - forks (x86_64 fork, aarch64 clone(SIGCHLD)); the child appends "fork" to the marker with raw
//     calls and exit_group()s at once; the parent reaps it with wait4.
// It computes Relu correctly, so the verdicts look clean.
// Marker: /tmp/mk-attack-raw_syscall.marker; its lines say which of the two escapes worked.
// Success for the attacker: all stages pass and the marker exists.
// Blocked: the calls fail (no marker, correct outputs) or the runner is killed for trying.
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace {

#if defined(__x86_64__)
inline long rawCall(long nr, long a = 0, long b = 0, long c = 0, long d = 0) {
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile(".byte 0x0f, 0x05" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return ret;
}
enum : long { kWrite = 1, kClose = 3, kOpenat = 257, kWait4 = 61, kExitGroup = 231 };
inline long rawFork() { return rawCall(57); }
#elif defined(__aarch64__)
inline long rawCall(long nr, long a = 0, long b = 0, long c = 0, long d = 0) {
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    __asm__ volatile(".inst 0xd4000001" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
enum : long { kWrite = 64, kClose = 57, kOpenat = 56, kWait4 = 260, kExitGroup = 94 };
inline long rawFork() { return rawCall(220, 17 /* SIGCHLD */); }
#else
inline long rawCall(long, long = 0, long = 0, long = 0, long = 0) { return -38; }
enum : long { kWrite, kClose, kOpenat, kWait4, kExitGroup };
inline long rawFork() { return -38; }
#endif

const char kMarker[] = "/tmp/mk-attack-raw_syscall.marker";

void note(const char* line, long len) {
    long fd = rawCall(kOpenat, -100 /* AT_FDCWD */, (long)kMarker, 01 | 0100 | 02000 /* WRONLY|CREAT|APPEND */, 0644);
    if (fd < 0) return;
    rawCall(kWrite, fd, (long)line, len);
    rawCall(kClose, fd);
}

void escape() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    note("openat+write\n", 13);
    long pid = rawFork();
    if (pid == 0) {  // child: raw calls only, then gone
        note("fork\n", 5);
        rawCall(kExitGroup, 0);
    }
    if (pid > 0) rawCall(kWait4, pid, 0, 0, 0);
}

} // namespace

namespace MNN {
class AttackRawSyscallRelu : public Execution {
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
struct AttackRawSyscallReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackRawSyscallRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackRawSyscallReluCreator, OpType_Relu);
} // namespace MNN
