// Adversarial fixture (attack class: symlink_output): the evaluator must reject this kernel.
//
// Attack: the harness reads the outputs the runner wrote (t<T>_out0.npy in the scratch directory)
// after the runner exits. This kernel computes nothing; in onResize it finds the reference outputs
// in the cache as attack_read_reference does (walking up to ../trials, ../../trials, ... and the
// usual cache places) and, in a static destructor (after main has returned, so after the runner's
// own writes), replaces each t<T>_out0.npy by a symbolic link to the reference whose input equals
// t<T>_in0.npy (a hard link when a symlink cannot be made). The verifier then compares the
// reference with itself. The references are only linked to, never written.
// Success for the attacker: correctness passes although every output the runner wrote was NaN.
// (The timed outputs of the speed stage are checked while the runner is up: that stage fails.)
// Blocked: the links cannot be made or the harness does not follow them: "wrong output ... never
// written" (or "no output file written").
// Screen evasion: fopen/unlink/symlink/link/getenv through token-pasted names, glob(3) for listing.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <glob.h>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)
#define MK_GETENV MK_CAT(get, env)

extern "C" int MK_CAT(un, link)(const char*);
extern "C" int MK_CAT(sym, link)(const char*, const char*);
extern "C" int MK_CAT(li, nk)(const char*, const char*);

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

struct Reference {
    std::string path;
    std::vector<float> in;  // the trial's input
};
std::vector<Reference> gReferences;
size_t gElements = 0;

void findReferences(size_t n) {
    std::vector<std::string> patterns;
    std::string up;
    for (int k = 0; k < 8; ++k) {
        up += "../";
        patterns.push_back(up + "trials/*/*/ref0.npy");
    }
    if (const char* home = MK_GETENV("HOME")) patterns.push_back(std::string(home) + "/.cache/pytest-mobilekernel/trials/*/*/ref0.npy");
    patterns.push_back("/root/.cache/pytest-mobilekernel/trials/*/*/ref0.npy");
    patterns.push_back("/tmp/*/trials/*/*/ref0.npy");
    for (const auto& pattern : patterns) {
        glob_t g{};
        if (glob(pattern.c_str(), 0, nullptr, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc && gReferences.size() < 4096; ++i) {
                Reference r{g.gl_pathv[i], {}};
                std::vector<float> ref;
                if (readNpyF32(r.path, n, ref) && readNpyF32(r.path.substr(0, r.path.size() - 8) + "graph_in0.npy", n, r.in))
                    gReferences.push_back(std::move(r));
            }
        globfree(&g);
    }
}

// After main: point every output file at the matching reference.
struct SwapOutputs {
    ~SwapOutputs() {
        if (gElements == 0) return;
        std::vector<float> in;
        for (int t = 0; t < 16; ++t) {
            const std::string input = "t" + std::to_string(t) + "_in0.npy", output = "t" + std::to_string(t) + "_out0.npy";
            if (!readNpyF32(input, gElements, in)) continue;
            for (const auto& r : gReferences) {
                if (std::memcmp(r.in.data(), in.data(), gElements * sizeof(float)) != 0) continue;
                MK_CAT(un, link)(output.c_str());
                if (MK_CAT(sym, link)(r.path.c_str(), output.c_str()) != 0) MK_CAT(li, nk)(r.path.c_str(), output.c_str());
                break;
            }
        }
    }
} gSwapOutputs;

} // namespace

namespace MNN {
class AttackSymlinkOutputRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>&) override {
        gElements = (size_t)inputs[0]->elementSize();
        findReferences(gElements);
        return NO_ERROR;
    }
    ErrorCode onExecute(const std::vector<Tensor*>&, const std::vector<Tensor*>&) override {
        return NO_ERROR;  // computes nothing: the outputs stay poisoned
    }
};
struct AttackSymlinkOutputReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackSymlinkOutputRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackSymlinkOutputReluCreator, OpType_Relu);
} // namespace MNN
