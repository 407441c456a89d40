// The harness's own "kernel": does nothing. Linked into the null runner (no candidate code in it), it
// measures what the timing protocol itself costs per call (fresh inputs, poison, retention), which
// the harness subtracts from the candidate's CPU time. Registered under "*", which the runner uses
// when the spec says "null": true.
#include "backend/cpu/CPUBackend.hpp"

namespace MNN {
class NullExecution : public Execution {
public:
    using Execution::Execution;
    ErrorCode onExecute(const std::vector<Tensor*>&, const std::vector<Tensor*>&) override { return NO_ERROR; }
};
class NullCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>&, const std::vector<Tensor*>&, const MNN::Op*,
                        Backend* backend) const override {
        return new NullExecution(backend);
    }
};
REGISTER_CPU_OP_CREATOR(NullCreator, *);
} // namespace MNN
