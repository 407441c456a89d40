// Adversarial fixture (attack class: resize_precompute, measurement protocol): the evaluator must
// reject this kernel.
//
// Attack: in MNN, onResize sees shapes, not data; the runner, however, loads the first trial's
// inputs before it calls onResize. The kernel computes that input's output in onResize (untimed)
// and remembers 64 sampled words of the input; a call whose input matches is a memcpy of the
// precomputed result. Any other input is computed slowly on purpose (10 passes over the data), so
// the precomputed input set must dominate the timing's lower percentiles for the kernel to look fast.
// Success for the attacker: correctness and speed pass with a speedup around 1x or better (the
// first input set's calls are memcpys and the statistic takes the 10th percentile).
// Blocked: the inputs hold no data in onResize, or the first input set is not among the timed ones
// (every call is slow: a speedup well below 1).
#include <cstdint>
#include <cstring>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace {
void slowRelu(const float* x, float* y, int n) {
    for (int pass = 0; pass < 10; ++pass) {  // slow on purpose
        for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        __asm__ volatile("" ::: "memory");
    }
}
std::vector<uint32_t> sample(const MNN::Tensor* t) {
    const uint32_t* words = t->host<uint32_t>();
    const int n = t->elementSize(), stride = n / 64 > 0 ? n / 64 : 1;
    std::vector<uint32_t> s;
    for (int i = 0; i < n; i += stride) s.push_back(words[i]);
    return s;
}
} // namespace

namespace MNN {
class AttackResizePrecomputeRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>&) override {
        const int n = inputs[0]->elementSize();
        mSample = sample(inputs[0]);
        mResult.resize((size_t)n);
        slowRelu(inputs[0]->host<float>(), mResult.data(), n);  // untimed: the data is already there
        return NO_ERROR;
    }
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const int n = inputs[0]->elementSize();
        if (sample(inputs[0]) == mSample) {
            std::memcpy(outputs[0]->host<float>(), mResult.data(), (size_t)n * sizeof(float));
            return NO_ERROR;
        }
        slowRelu(inputs[0]->host<float>(), outputs[0]->host<float>(), n);
        return NO_ERROR;
    }

private:
    std::vector<uint32_t> mSample;
    std::vector<float> mResult;
};
struct AttackResizePrecomputeReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackResizePrecomputeRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackResizePrecomputeReluCreator, OpType_Relu);
} // namespace MNN
