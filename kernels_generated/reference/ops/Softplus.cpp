// Softplus: y = log(1 + exp(x)), elementwise over a row-major float tensor.
//
// Evaluated as max(x, 0) + log1p(exp(-|x|)): exp never overflows and the small term keeps its
// precision on both tails (for x >> 0 it is a tiny correction to x, for x << 0 it is the whole,
// tiny, result). exp and log1p are branch-free polynomials so that the loops vectorise.
// The loops work on blocks of kBlock elements: a first loop only clamps the exp argument into a small
// buffer, a second one does the arithmetic. Kept apart on purpose: when a clamp to a constant feeds
// further arithmetic in the same loop, g++ folds the constant through the exp into one branch arm
// and then cannot vectorise the loop at all; stored straight to memory, the clamp becomes a SIMD
// min/max.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// exp(x) for x in [-87, 0] (callers clamp), without calls or branches so that g++ -O3 vectorises the
// loop using it (std::exp is a scalar libm call without -ffast-math).
// exp(x) = 2^n * exp(r) with n = round(x / ln2) and |r| <= ln2/2; exp(r) by a degree-6 Taylor
// polynomial (relative error ~2e-7), 2^n built directly in the exponent bits. x >= -87 keeps 2^n a
// normal float; softplus(x) < 1.6e-38 for x < -87 then comes out as 1.6e-38, an absolute error of
// that size.
static inline float expClamped(float x) {
    const float log2e = 1.44269504088896341f;
    // Round to nearest by adding 1.5 * 2^23: the integer lands in the low mantissa bits of t.
    const float magic = 12582912.0f;
    float t           = x * log2e + magic;
    float n           = t - magic;
    // ln2 split in a high part exact in float and a small correction (Cody-Waite), so r is accurate.
    float r = x - n * 0.693145751953125f;
    r       = r - n * 1.428606765330187e-06f;
    float p = 1.0f / 720.0f;
    p       = p * r + 1.0f / 120.0f;
    p       = p * r + 1.0f / 24.0f;
    p       = p * r + 1.0f / 6.0f;
    p       = p * r + 0.5f;
    p       = p * r + 1.0f;
    p       = p * r + 1.0f;
    uint32_t tBits;
    std::memcpy(&tBits, &t, sizeof(tBits));
    const uint32_t pBits = (tBits - 0x4B400000u + 127u) << 23;  // (n + exponent bias) in the exponent field
    float twoPowN;
    std::memcpy(&twoPowN, &pBits, sizeof(twoPowN));
    return p * twoPowN;
}

// log(1 + e) for e in [0, 1]. With s = e / (2 + e) (in [0, 1/3]), log(1 + e) = 2 atanh(s)
// = 2 (s + s^3/3 + s^5/5 + ...); seven terms leave an error below 1e-8 relative. s is formed
// from e directly, never from 1 + e, so a tiny e keeps all its digits.
static inline float log1pUnit(float e) {
    const float s = e / (2.0f + e);
    const float z = s * s;
    float p       = 1.0f / 13.0f;
    p             = p * z + 1.0f / 11.0f;
    p             = p * z + 1.0f / 9.0f;
    p             = p * z + 1.0f / 7.0f;
    p             = p * z + 1.0f / 5.0f;
    p             = p * z + 1.0f / 3.0f;
    p             = p * z + 1.0f;
    return 2.0f * s * p;
}

class CPUSoftplus : public Execution {
public:
    explicit CPUSoftplus(Backend* backend) : Execution(backend) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src  = inputs[0]->host<float>();
        float* dst        = outputs[0]->host<float>();
        const int size    = inputs[0]->elementSize();
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(size, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, size);
            float arg[kBlock];  // -|x| clamped to the domain of expClamped; stays in L1
            for (int base = begin; base < end; base += kBlock) {
                const int n    = ALIMIN(kBlock, end - base);
                const float* s = src + base;
                float* d       = dst + base;
                for (int i = 0; i < n; ++i) {
                    arg[i] = std::max(-std::fabs(s[i]), -87.0f);
                }
                for (int i = 0; i < n; ++i) {
                    d[i] = std::max(s[i], 0.0f) + log1pUnit(expClamped(arg[i]));
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    static constexpr int kBlock = 512;
};

class CPUSoftplusCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUSoftplus(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUSoftplusCreator, OpType_Softplus);

} // namespace MNN
