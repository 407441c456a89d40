// The kernel interface, as MNN's source/core/Execution.hpp.
// onResize is called once after the shapes are known (allocate scratch, precompute);
// onExecute is called for every inference and must write every output element.
#ifndef MNN_Execution_hpp
#define MNN_Execution_hpp

#include <vector>

#include <MNN/ErrorCode.hpp>
#include <MNN/Tensor.hpp>
#include "core/Backend.hpp"

namespace MNN {

class Execution {
public:
    Execution() = delete;
    explicit Execution(Backend* backend) : mBackEnd(backend) {}
    Execution(const Execution&)            = delete;
    Execution& operator=(const Execution&) = delete;
    virtual ~Execution() = default;

    virtual ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) {
        (void)inputs;
        (void)outputs;
        return NO_ERROR;
    }
    virtual ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) = 0;

    Backend* backend() const { return mBackEnd; }

private:
    Backend* mBackEnd;
};

} // namespace MNN

#endif
