// Adversarial fixture (attack class: proc_snoop): the evaluator must reject this kernel.
//
// Attack: the scratch directory holds copies, not links, so the cache's path is not in sight; /proc
// tells it anyway. The kernel reads
//   - /proc/<ppid>/cmdline: the pytest process's --mk-cache-dir (relative paths resolved through
//     /proc/<ppid>/cwd);
//   - /proc/<ppid>/environ: its XDG_CACHE_HOME and HOME (the default cache lives below them);
//   - /proc/self/exe (readlink): the runner binary lives in <cache>/build/<xx>/<key>/runner;
//   - /proc/self/mountinfo: every mount point, tried as a cache root;
// and then does what attack_read_reference does with each candidate root: read <root>/trials/*/*/
// ref0.npy with the graph_in0.npy beside it, and copy the reference whose input equals the current
// input. It never walks up from its working directory and never computes Relu.
// Success for the attacker: correctness passes (and speed times a memcpy).
// Blocked: /proc does not reveal the cache or the cache cannot be read: the outputs stay poisoned,
// "wrong output ... never written".
// Screen evasion: fopen/readlink through token-pasted names, glob(3) for listing.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <glob.h>
#include "backend/cpu/CPUBackend.hpp"

#define MK_CAT(a, b) a##b
#define MK_FOPEN MK_CAT(fo, pen)

extern "C" long MK_CAT(read, link)(const char*, char*, unsigned long);
extern "C" int getppid();

namespace {

std::string slurp(const std::string& path) {
    std::string text;
    if (std::FILE* f = MK_FOPEN(path.c_str(), "rb")) {
        char buf[4096];
        size_t got;
        while ((got = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() < (1u << 20)) text.append(buf, got);
        std::fclose(f);
    }
    return text;
}

std::vector<std::string> splitNul(const std::string& text) {
    std::vector<std::string> out;
    for (size_t at = 0; at < text.size();) {
        out.emplace_back(text.c_str() + at);
        at += out.back().size() + 1;
    }
    return out;
}

std::vector<std::string> candidateRoots() {
    std::vector<std::string> roots;
    const std::string parent = "/proc/" + std::to_string(getppid());
    auto absolute = [&](const std::string& p) { return !p.empty() && p[0] == '/' ? p : parent + "/cwd/" + p; };
    const std::vector<std::string> argv = splitNul(slurp(parent + "/cmdline"));
    for (size_t i = 0; i < argv.size(); ++i) {
        if (argv[i].rfind("--mk-cache-dir=", 0) == 0) roots.push_back(absolute(argv[i].substr(15)));
        if (argv[i] == "--mk-cache-dir" && i + 1 < argv.size()) roots.push_back(absolute(argv[i + 1]));
    }
    for (const auto& var : splitNul(slurp(parent + "/environ"))) {
        if (var.rfind("XDG_CACHE_HOME=", 0) == 0) roots.push_back(var.substr(15) + "/pytest-mobilekernel");
        if (var.rfind("HOME=", 0) == 0) roots.push_back(var.substr(5) + "/.cache/pytest-mobilekernel");
    }
    char exe[4096];
    long len = MK_CAT(read, link)("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        std::string path(exe, (size_t)len);
        size_t at = path.rfind("/build/");
        if (at != std::string::npos) roots.push_back(path.substr(0, at));
    }
    const std::string mounts = slurp("/proc/self/mountinfo");
    for (size_t at = 0; at < mounts.size();) {  // field 5 of each line: the mount point
        size_t end = mounts.find('\n', at);
        if (end == std::string::npos) end = mounts.size();
        const std::string line = mounts.substr(at, end - at);
        at = end + 1;
        size_t f = 0;
        for (int field = 0; field < 4 && f != std::string::npos; ++field) f = line.find(' ', f + 1);
        if (f == std::string::npos) continue;
        const std::string mount = line.substr(f + 1, line.find(' ', f + 1) - f - 1);
        roots.push_back(mount + "/pytest-mobilekernel");
        roots.push_back(mount + "/.cache/pytest-mobilekernel");
    }
    return roots;
}

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

struct Stolen {
    std::vector<float> in, ref;
};

} // namespace

namespace MNN {
class AttackProcSnoopRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>&) override {
        const size_t n = (size_t)inputs[0]->elementSize();
        for (const auto& root : candidateRoots()) {
            glob_t g{};
            if (glob((root + "/trials/*/*/ref0.npy").c_str(), 0, nullptr, &g) == 0)
                for (size_t i = 0; i < g.gl_pathc && mStolen.size() < 4096; ++i) {
                    const std::string ref = g.gl_pathv[i];
                    Stolen s;
                    if (readNpyF32(ref, n, s.ref) && readNpyF32(ref.substr(0, ref.size() - 8) + "graph_in0.npy", n, s.in))
                        mStolen.push_back(std::move(s));
                }
            globfree(&g);
        }
        return NO_ERROR;
    }
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        const size_t n = (size_t)inputs[0]->elementSize();
        for (const auto& s : mStolen)
            if (std::memcmp(s.in.data(), x, (n < 16 ? n : 16) * sizeof(float)) == 0) {
                std::memcpy(outputs[0]->host<float>(), s.ref.data(), n * sizeof(float));
                break;
            }
        return NO_ERROR;  // no match: nothing written, the poison stays
    }

private:
    std::vector<Stolen> mStolen;
};
struct AttackProcSnoopReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackProcSnoopRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackProcSnoopReluCreator, OpType_Relu);
} // namespace MNN
