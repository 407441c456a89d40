// Backend of the lite SDK: thread count and scratch-buffer allocation, as MNN's source/core/Backend.hpp.
#ifndef MNN_Backend_hpp
#define MNN_Backend_hpp

#include <MNN/ErrorCode.hpp>
#include <MNN/Tensor.hpp>

namespace MNN {

class Backend {
public:
    // Same names as MNN so `backend()->onAcquireBuffer(t, Backend::DYNAMIC)` compiles unchanged.
    enum StorageType { STATIC, DYNAMIC, DYNAMIC_SEPERATE };

    explicit Backend(int threadNumber) : mThreadNumber(threadNumber < 1 ? 1 : threadNumber) {}
    virtual ~Backend() = default;

    int threadNumber() const { return mThreadNumber; }

    bool onAcquireBuffer(Tensor* tensor, StorageType) { return tensor->allocateHost(); }
    bool onReleaseBuffer(Tensor* tensor, StorageType) {
        // MNN's DYNAMIC release only marks memory reusable; here the memory stays until the tensor
        // is destroyed so a kernel that keeps using it (as MNN allows) stays correct.
        (void)tensor;
        return true;
    }

private:
    int mThreadNumber;
};

} // namespace MNN

#endif
