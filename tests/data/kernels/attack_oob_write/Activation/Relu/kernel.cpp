// Adversarial fixture (attack class: oob_write): the evaluator must reject this kernel.
//
// Attack: the kernel shares the runner's address space. It computes Relu correctly and then writes
// 64 bytes (16 floats of 1.0) past the end of its output buffer: into whatever the allocator put
// there (heap metadata, another tensor, the runner's own data). Here it is only a scribble; a
// real attack aims it at the runner's samples, its copy of the inputs or its verdict.
// Success for the attacker: all stages pass, nothing notices the write.
// Blocked: the write is caught (guard page / canary / allocator check: a crash or an explicit
// verdict).
#include <vector>
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class AttackOobWriteRelu : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y = outputs[0]->host<float>();
        const int n = inputs[0]->elementSize();
        for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        float* volatile past = y + n;  // volatile: the compiler may not drop or diagnose the write
        for (int i = 0; i < 16; ++i) past[i] = 1.0f;
        return NO_ERROR;
    }
};
struct AttackOobWriteReluCreator : CPUBackend::Creator {
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new AttackOobWriteRelu(backend);
    }
};
REGISTER_CPU_OP_CREATOR(AttackOobWriteReluCreator, OpType_Relu);
} // namespace MNN
