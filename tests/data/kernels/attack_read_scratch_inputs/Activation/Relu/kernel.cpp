// Adversarial fixture (attack class: read_scratch_inputs, measurement protocol): the evaluator must
// reject this kernel.
//
// Attack: every input set the runner will feed is a file in its working directory (t<T>_in0.npy).
// In onResize (untimed) the kernel reads all of them (glob "t*_in*.npy"), computes their outputs,
// and keys them on their first 4 elements; in onExecute a call whose input starts the same way is a
// memcpy of the precomputed output. Any other input is computed slowly on purpose (10 passes over
// the data).
// Success for the attacker: correctness and speed pass with a speedup around 1x or better (every
// call a memcpy of an output computed before the timing).
// Blocked: the inputs cannot be read ahead (every call slow: a speedup well below 1), or the kernel
// is rejected for opening files.
// Screen evasion: fopen through a token-pasted name, glob(3) for listing.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <glob.h>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

namespace {

// A little-endian float32 .npy of exactly n elements, or false.
bool readNpyF32(const std::string& path, size_t n, std::vector<float>& out) {
    std::FILE* f = MK_FOPEN(path.c_str(), "rb");
    if (!f) return false;
    unsigned char head[12];
    long offset = 0;
    bool ok = std::fread(head, 1, 12, f) == 12 && std::memcmp(head, "\x93NUMPY", 6) == 0;
    if (ok) offset = head[6] == 1 ? 10 + (head[8] | head[9] << 8)
                                  : 12 + (long)(head[8] | head[9] << 8 | head[10] << 16 | (unsigned long)head[11] << 24);
    ok = ok && std::fseek(f, 0, SEEK_END) == 0 && std::ftell(f) == offset + (long)(n * sizeof(float)) &&
         std::fseek(f, offset, SEEK_SET) == 0;
    if (ok) {
        out.resize(n);
        ok = std::fread(out.data(), sizeof(float), n, f) == n;
    }
    std::fclose(f);
    return ok;
}

void slowRelu(const float* x, float* y, size_t n) {
    for (int pass = 0; pass < 10; ++pass) {  // slow on purpose
        for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        __asm__ volatile("" ::: "memory");
    }
}

struct Precomputed {
    float head[4];
    std::vector<float> out;
};

} // namespace

namespace MNN {
class AttackReadScratchInputsRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>&) override {
        const size_t n = (size_t)inputs[0]->elementSize();
        if (n < 4) return NO_ERROR;
        glob_t g{};
        if (glob("t*_in*.npy", 0, nullptr, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc && mTable.size() < 64; ++i) {
                std::vector<float> in;
                if (!readNpyF32(g.gl_pathv[i], n, in)) continue;
                Precomputed p;
                std::memcpy(p.head, in.data(), sizeof p.head);
                p.out.resize(n);
                slowRelu(in.data(), p.out.data(), n);
                mTable.push_back(std::move(p));
            }
        globfree(&g);
        return NO_ERROR;
    }
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const size_t n = (size_t)inputs[0]->elementSize();
        for (const auto& p : mTable)
            if (std::memcmp(p.head, x, sizeof p.head) == 0) {
                std::memcpy(y, p.out.data(), n * sizeof(float));
                return NO_ERROR;
            }
        slowRelu(x, y, n);
        return NO_ERROR;
    }

private:
    std::vector<Precomputed> mTable;
};
struct AttackReadScratchInputsReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackReadScratchInputsRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackReadScratchInputsReluCreator, OpType_Relu);
} // namespace MNN
