// The timing protocol, runner side (protocol v2, docs/timing.md): what the lite runner and the
// on-tree runner share. The harness's half is pytest_mobilekernel/protocol.py; the arithmetic here
// (splitmix64, the chunk choice, the retention layout) must agree with it bit for bit.
//
// Per block the harness sends a nonce. Call i of the block gets fresh inputs: a mixed input is made
// of up to CHUNKS runs, each from the trial chosen by splitmix64(nonce, i, input, chunk); a picked
// input is one trial's, whole; constants stay. After every call the outputs are copied into the
// retention area (a memory file shared with the harness, or retained-NONCE.bin), and the per-call
// samples go to timing-NONCE.json. Nothing here is trusted: the harness checks outputs and clocks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <sys/mman.h>

#include "json.hpp"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mk {

inline uint64_t splitmix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}
inline uint64_t callKey(uint64_t nonce, uint64_t call) { return splitmix(nonce ^ splitmix(call + 0x5851F42D4C957F2Dull)); }
constexpr size_t CHUNKS = 64;  // an input is mixed from up to 64 runs

// The trial whose data a picked input takes in this call.
inline int pickedTrial(uint64_t key, int sets) { return (int)(splitmix(key ^ 0xFFFFFFFFFFFFull) % (uint64_t)sets); }

// One input of call `key`: `dst` (n elements of `es` bytes) from the trials' copies `sets[t]`.
// mixKey < 0: taken whole from trial `picked`; else mixed chunk-wise with graph input id `mixKey`.
inline void makeInput(uint8_t* dst, size_t n, size_t es, const std::vector<const uint8_t*>& sets, uint64_t key,
                      int mixKey, int picked) {
    if (mixKey < 0) {
        std::memcpy(dst, sets[(size_t)picked], n * es);
        return;
    }
    const size_t chunk = (n + CHUNKS - 1) / CHUNKS;
    const uint64_t g   = (uint64_t)mixKey << 40;
    for (size_t c = 0, e = 0; e < n; ++c, e += chunk) {
        const int t        = (int)(splitmix(key ^ splitmix(g ^ (uint64_t)c)) % (uint64_t)sets.size());
        const size_t count = std::min(chunk, n - e);
        std::memcpy(dst + e * es, sets[(size_t)t] + e * es, count * es);
    }
}

// Copy a call's outputs into the retention area without pulling that area through the caches
// (streaming stores where the ISA has them): the protocol's traffic should disturb the kernel's
// working set as little as it can.
inline void retain(uint8_t* dst, const uint8_t* src, size_t n) {
#if defined(__SSE2__)
    size_t i = 0;
    if ((((uintptr_t)dst | (uintptr_t)src) & 15) == 0) {
        for (; i + 64 <= n; i += 64) {
            const __m128i a = _mm_load_si128((const __m128i*)(src + i));
            const __m128i b = _mm_load_si128((const __m128i*)(src + i + 16));
            const __m128i c = _mm_load_si128((const __m128i*)(src + i + 32));
            const __m128i d = _mm_load_si128((const __m128i*)(src + i + 48));
            _mm_stream_si128((__m128i*)(dst + i), a);
            _mm_stream_si128((__m128i*)(dst + i + 16), b);
            _mm_stream_si128((__m128i*)(dst + i + 32), c);
            _mm_stream_si128((__m128i*)(dst + i + 48), d);
        }
        _mm_sfence();
    }
    std::memcpy(dst + i, src + i, n - i);
#else
    std::memcpy(dst, src, n);
#endif
}

inline size_t slotOf(size_t bytes) { return ((bytes + 63) / 64) * 64; }

// Where every timed call's outputs go: the harness's memory file (fd), or a buffer written to
// retained-NONCE.bin after the block (devices without a shared file).
class Retention {
public:
    // `fd` < 0: no shared file. Returns "" or what went wrong.
    std::string open(size_t bytes, int fd) {
        bytes_ = bytes;
        if (fd >= 0) {
            void* m = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (m == MAP_FAILED) return "cannot map the retention area";
            area_   = static_cast<uint8_t*>(m);
            shared_ = true;
        } else {
            own_.assign(bytes, 0);
            area_ = own_.data();
        }
        return "";
    }
    size_t bytes() const { return bytes_; }
    uint8_t* slot(size_t call, size_t slotBytes) { return area_ + call * slotBytes; }
    // after the block: the file the harness reads when nothing is shared ("" or the error)
    std::string finish(uint64_t nonce, size_t used) const {
        if (shared_) return "";
        std::ofstream r("retained-" + std::to_string(nonce) + ".bin", std::ios::binary);
        r.write(reinterpret_cast<const char*>(area_), (std::streamsize)used);
        return r ? "" : "short write of the retained outputs";
    }

private:
    uint8_t* area_ = nullptr;
    size_t bytes_  = 0;
    bool shared_   = false;
    std::vector<uint8_t> own_;
};

// timing-NONCE.json: the runner's per-call samples of one block ("" or the error)
inline std::string writeTiming(uint64_t nonce, const std::vector<long long>& samples) {
    const std::string name = "timing-" + std::to_string(nonce) + ".json";
    std::ofstream f(name);
    if (!f) return "cannot write " + name;
    f << "{\"samples_ns\": [";
    for (size_t i = 0; i < samples.size(); ++i) f << (i ? ", " : "") << samples[i];
    f << "], \"nonce\": " << nonce << "}\n";
    return f ? "" : "short write to " + name;
}

// Serve mode: one process runs every block of a measurement. The harness writes
// "block|null NONCE WARMUP ITERATIONS" lines; each block ends with "done NONCE". Returns "" at EOF,
// or the bad line.
inline std::string serve(const std::function<void(uint64_t, int, int, bool)>& block) {
    std::printf("ready\n");
    std::fflush(stdout);
    char line[256], word[16];
    unsigned long long nonce = 0;
    int w = 0, n = 0;
    while (std::fgets(line, sizeof line, stdin)) {
        if (std::sscanf(line, "%15s %llu %d %d", word, &nonce, &w, &n) != 4 ||
            (std::strcmp(word, "block") != 0 && std::strcmp(word, "null") != 0))
            return std::string("bad serve command: ") + line;
        block(nonce, w, n, std::strcmp(word, "null") == 0);
        std::printf("done %llu\n", nonce);
        std::fflush(stdout);
    }
    return "";
}

// The end of a block: its samples, and its retained outputs where nothing is shared ("" or the error)
inline std::string finishBlock(uint64_t nonce, const std::vector<long long>& samples, const Retention& retained,
                               size_t usedBytes) {
    std::string error = writeTiming(nonce, samples);
    return error.empty() ? retained.finish(nonce, usedBytes) : error;
}

// Run what the spec's "timing" asks for: serve mode (blocks from stdin), or this invocation's one
// block. Returns "" or what went wrong.
inline std::string runBlocks(const Json& timing, const std::function<void(uint64_t, int, int, bool)>& block) {
    if (timing.has("serve") && timing["serve"].asInt() != 0) return serve(block);
    block((uint64_t)std::stoull(timing["nonce"].str), (int)timing["warmup"].asInt(), (int)timing["iterations"].asInt(),
          timing.has("null") && timing["null"].asInt() != 0);
    return "";
}

} // namespace mk
