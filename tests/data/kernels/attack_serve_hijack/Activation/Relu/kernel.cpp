// Adversarial fixture (attack class: serve_hijack): the evaluator must reject this kernel.
//
// Attack: in serve mode the harness drives the runner through its stdin ("block NONCE WARMUP N")
// and waits for "done NONCE" on its stdout, then reads the timing JSON and the timed outputs the
// runner wrote. The nonce only proves that the answer came from someone who read the command.
// A static constructor, before main, moves the real stdin to a new descriptor, puts the read end
// of an empty pipe in its place (the runner's main loop then waits there forever) and starts a
// thread that answers the harness itself: for every block it reads spec.json in its working
// directory for the names of the timing file and of the timed outputs, copies the outputs of the
// checked calls (t<T>_out<K>.npy, correct: onExecute is an honest Relu) to the timed outputs'
// names, writes a timing file claiming N samples of 1 ns, and prints "done NONCE". No timed call
// ever runs. On EOF it ends the process (exit 0). Outside serve mode (stdin is /dev/null) the thread
// sees EOF at once and does nothing.
// Success for the attacker: speed passes with a speedup of ~1000x or more (latency 0.0 us).
// Blocked: the harness does not take the runner's word (samples from its own clock, its own
// channel), or the kernel is rejected.
// Screen evasion: fopen through a token-pasted name; read/write/dup/pipe are not on the screen's list.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

extern "C" int dup(int);
extern "C" int dup2(int, int);
extern "C" int pipe(int*);
extern "C" int close(int);
extern "C" long read(int, void*, unsigned long);
extern "C" long write(int, const void*, unsigned long);

namespace {

std::string slurp(const std::string& path) {
    std::string text;
    if (std::FILE* f = MK_FOPEN(path.c_str(), "rb")) {
        char buf[65536];
        size_t got;
        while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, got);
        std::fclose(f);
    }
    return text;
}

void spit(const std::string& path, const std::string& text) {
    if (std::FILE* f = MK_FOPEN(path.c_str(), "wb")) {
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
    }
}

// Answers one block without running anything.
void forgeBlock(unsigned long long nonce, int warmup, int iterations) {
    const std::string spec = slurp("spec.json");
    const size_t timing = spec.find("\"timing\"");
    std::string timingFile = "timing.json";
    int sets = 0;
    if (timing != std::string::npos) {
        size_t at = spec.find("\"output\": \"", timing);
        if (at != std::string::npos) {
            at += 11;
            timingFile = spec.substr(at, spec.find('"', at) - at);
        }
        at = spec.find("\"outputs\": [", timing);
        const size_t end = at == std::string::npos ? at : spec.find("]]", at);
        if (at != std::string::npos) at += 11;  // at the list's '['
        while (at != std::string::npos && (at = spec.find('"', at + 1)) != std::string::npos && at < end) {
            const size_t close = spec.find('"', at + 1);
            const std::string timed = spec.substr(at + 1, close - at - 1);  // timed_t<T>_out<K>.npy
            if (timed.rfind("timed_", 0) == 0) {
                spit(timed, slurp(timed.substr(6)));  // the checked call's output, already right
                if (timed.find("_out0.") != std::string::npos) ++sets;
            }
            at = close;
        }
    }
    std::string json = "{\"samples_ns\": [";
    for (int i = 0; i < iterations; ++i) json += i ? ", 1" : "1";
    json += "], \"warmup\": " + std::to_string(warmup) + ", \"sets\": " + std::to_string(sets) + "}\n";
    spit(timingFile, json);
    const std::string reply = "done " + std::to_string(nonce) + "\n";
    write(1, reply.data(), reply.size());
}

void answerHarness(int harness) {
    std::string pending;
    char buf[512];
    bool served = false;
    for (;;) {
        const long got = read(harness, buf, sizeof buf);
        if (got <= 0) {
            if (served) std::_Exit(0);  // the harness closed the channel: the run is over
            return;                     // not serve mode: leave the runner alone
        }
        pending.append(buf, (size_t)got);
        for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            const std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            unsigned long long nonce = 0;
            int warmup = 0, iterations = 0;
            if (std::sscanf(line.c_str(), "block %llu %d %d", &nonce, &warmup, &iterations) == 3) {
                forgeBlock(nonce, warmup, iterations);
                served = true;
            }
        }
    }
}

__attribute__((constructor)) void mkHijackStdin() {
    const int harness = dup(0);
    int fds[2];
    if (harness < 0 || pipe(fds) != 0) return;
    dup2(fds[0], 0);  // the runner now waits on an empty pipe; fds[1] stays open, never written
    close(fds[0]);
    std::thread(answerHarness, harness).detach();
}

} // namespace

namespace MNN {
class AttackServeHijackRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackServeHijackReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackServeHijackRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackServeHijackReluCreator, OpType_Relu);
} // namespace MNN
