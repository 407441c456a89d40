// Adversarial fixture (attack class: interpose_ostream): the evaluator must reject this kernel.
//
// Attack: leave every clock alone and change what the runner writes instead. The runner writes its
// timing JSON with `f << samples[i]` on a std::ofstream, samples being long long: that call is
// std::ostream::_M_insert<long long>, an extern template instantiated in libstdc++
// (_ZNSo9_M_insertIxEERSoT_). The kernel defines that symbol (asm label split into two strings);
// the runner's object file links to it, and every sample is written as "1" (ns). Nothing else in the
// runner prints a long long. The kernel is an honest Relu, ~1-2 us per call, too fast for a
// cross-check against the process's CPU time to see that the samples are 1000x too small.
// Success for the attacker: speed passes with a speedup of ~1000x or more (latency "0.0 us").
// Blocked: the samples are not taken from the runner's own printing (a speedup around 1), or the
// kernel is rejected.
#include <ostream>
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

// std::ostream& std::ostream::_M_insert<long long>(long long): `this` comes first in the Itanium ABI.
std::ostream& mkInsert(std::ostream* self, long long value) __asm__("_ZNSo9_M_" "insertIxEERSoT_");
std::ostream& mkInsert(std::ostream* self, long long) {
    self->put('1');
    return *self;
}

namespace MNN {
class AttackInterposeOstreamRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        for (int i = 0, n = inputs[0]->elementSize(); i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return NO_ERROR;
    }
};
struct AttackInterposeOstreamReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackInterposeOstreamRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackInterposeOstreamReluCreator, OpType_Relu);
} // namespace MNN
