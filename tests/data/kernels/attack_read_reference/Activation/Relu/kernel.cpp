// Adversarial fixture (attack class: read_reference): the evaluator must reject this kernel.
//
// Attack: PyTorch's reference outputs live in the harness's cache, <cache>/trials/<xx>/<key>/ref0.npy,
// beside the trial's input graph_in0.npy. The kernel looks for them by walking up from its working
// directory (../trials, ../../trials, ... 8 levels) and in the usual cache places ($HOME/.cache/
// pytest-mobilekernel, /root/.cache/pytest-mobilekernel, /tmp/*/, /tmp/*/*/), keeps the pairs of this
// task's size, and on every call copies the reference whose input equals the current input (failing
// that, the one equal to relu(input) on its first 16 elements). It never computes Relu.
// Success for the attacker: correctness passes (and speed times a memcpy).
// Blocked: no reference is found, the outputs stay poisoned (NaN): "wrong output ... never written".
// Screen evasion: fopen/getenv spelled with token pasting; directories listed with glob(3).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <glob.h>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)
#define MK_GETENV MK_CAT(get, env)

namespace {

// A little-endian float32 .npy of exactly n elements, or false.
bool readNpyF32(const std::string& path, size_t n, std::vector<float>& out) {
    std::FILE* f = MK_FOPEN(path.c_str(), "rb");
    if (!f) return false;
    unsigned char head[12];
    long offset = 0, start = 10;
    bool ok = std::fread(head, 1, 10, f) == 10 && std::memcmp(head, "\x93NUMPY", 6) == 0;
    if (ok && head[6] == 1) {
        offset = 10 + (head[8] | head[9] << 8);
    } else if (ok) {
        ok = std::fread(head + 10, 1, 2, f) == 2;
        start = 12;
        offset = 12 + (long)((unsigned long)head[8] | (unsigned long)head[9] << 8 | (unsigned long)head[10] << 16 |
                             (unsigned long)head[11] << 24);
    }
    if (ok) {
        std::string header((size_t)(offset - start), '\0');
        ok = std::fread(&header[0], 1, header.size(), f) == header.size() && header.find("<f4") != std::string::npos &&
             header.find("'fortran_order': False") != std::string::npos;
    }
    ok = ok && std::fseek(f, 0, SEEK_END) == 0 && std::ftell(f) == offset + (long)(n * sizeof(float)) &&
         std::fseek(f, offset, SEEK_SET) == 0;
    if (ok) {
        out.resize(n);
        ok = std::fread(out.data(), sizeof(float), n, f) == n;
    }
    std::fclose(f);
    return ok;
}

struct Stolen {
    std::vector<float> in, ref;  // in: empty when the trial's input could not be read
};

std::vector<Stolen> stealReferences(size_t n) {
    std::vector<std::string> patterns;
    std::string up;
    for (int k = 0; k < 8; ++k) {
        up += "../";
        patterns.push_back(up + "trials/*/*/ref0.npy");
    }
    if (const char* home = MK_GETENV("HOME")) patterns.push_back(std::string(home) + "/.cache/pytest-mobilekernel/trials/*/*/ref0.npy");
    patterns.push_back("/root/.cache/pytest-mobilekernel/trials/*/*/ref0.npy");
    patterns.push_back("/tmp/*/trials/*/*/ref0.npy");
    patterns.push_back("/tmp/*/*/trials/*/*/ref0.npy");
    std::vector<Stolen> found;
    for (const auto& pattern : patterns) {
        glob_t g{};
        if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc && found.size() < 4096; ++i) {
                std::string ref = g.gl_pathv[i];
                Stolen s;
                if (!readNpyF32(ref, n, s.ref)) continue;
                if (!readNpyF32(ref.substr(0, ref.size() - 8) + "graph_in0.npy", n, s.in)) s.in.clear();
                found.push_back(std::move(s));
            }
        }
        globfree(&g);
    }
    return found;
}

} // namespace

namespace MNN {
class AttackReadReferenceRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>&) override {
        mStolen = stealReferences((size_t)inputs[0]->elementSize());
        return NO_ERROR;
    }
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const size_t n = (size_t)inputs[0]->elementSize();
        if (n < 16) return NO_ERROR;
        const Stolen* hit = nullptr;
        for (const auto& s : mStolen)
            if (!s.in.empty() && std::memcmp(s.in.data(), x, 16 * sizeof(float)) == 0) { hit = &s; break; }
        for (size_t k = 0; !hit && k < mStolen.size(); ++k) {
            bool same = true;
            for (int i = 0; i < 16 && same; ++i) same = mStolen[k].ref[i] == (x[i] > 0.0f ? x[i] : 0.0f);
            if (same) hit = &mStolen[k];
        }
        if (hit) std::memcpy(y, hit->ref.data(), n * sizeof(float));  // else: nothing (the poison stays)
        return NO_ERROR;
    }

private:
    std::vector<Stolen> mStolen;
};
struct AttackReadReferenceReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackReadReferenceRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackReadReferenceReluCreator, OpType_Relu);
} // namespace MNN
