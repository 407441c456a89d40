// Adversarial fixture (attack class: hash_cache, measurement protocol): the evaluator must reject
// this kernel.
//
// Attack: the timed calls go through the trials' inputs in turn, a handful of input sets seen again
// and again. The kernel keeps the outputs it computed, keyed on a hash of 64 input words sampled at
// a fixed stride (cheap next to reading the whole input), and on a hit copies the stored output
// instead of computing. The outputs are right as long as no two inputs share the 64 sampled words.
// A miss computes slowly on purpose (10 passes over the data), so if every timed call had a fresh
// input the kernel would be ~10x slower than an honest Relu.
// Success for the attacker: correctness and speed pass with a speedup around 1x or better (every
// timed call a hit: a memcpy). Blocked: fresh inputs per timed call (a speedup well below 1), or an
// input that differs only off the sampled words ("outputs of the timed calls are wrong").
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class AttackHashCacheRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        const uint32_t* words = inputs[0]->host<uint32_t>();
        uint64_t key = 1469598103934665603ull;
        const int stride = n / 64 > 0 ? n / 64 : 1;
        for (int i = 0; i < n; i += stride) key = (key ^ words[i]) * 1099511628211ull;
        for (const auto& entry : mCache)
            if (entry.first == key) {
                std::memcpy(y, entry.second.data(), (size_t)n * sizeof(float));  // a hit: no compute
                return NO_ERROR;
            }
        for (int pass = 0; pass < 10; ++pass) {  // a miss: slow on purpose
            for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
            __asm__ volatile("" ::: "memory");
        }
        if (mCache.size() < 16) mCache.emplace_back(key, std::vector<float>(y, y + n));
        return NO_ERROR;
    }

private:
    std::vector<std::pair<uint64_t, std::vector<float>>> mCache;
};
struct AttackHashCacheReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackHashCacheRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackHashCacheReluCreator, OpType_Relu);
} // namespace MNN
