// Tensor of the lite SDK. Mirrors the accessors of MNN's include/MNN/Tensor.hpp that CPU kernels use.
// Difference from MNN: memory is always plain row-major (NCHW for 4-D), never NC4HW4, so
// stride(i) is the product of the lengths after i.
#ifndef MNN_Tensor_hpp
#define MNN_Tensor_hpp

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <MNN/HalideRuntime.h>
#include <MNN/MNNDefine.h>

namespace MNN {

class Tensor {
public:
    // Caffe = NCHW, the only layout of the lite SDK; the names exist so MNN code compiles.
    enum DimensionType { TENSORFLOW, CAFFE, CAFFE_C4 };

    Tensor(const std::vector<int>& shape, halide_type_t type, bool allocate = true) : mShape(shape), mType(type) {
        if (allocate) {
            allocateHost();
        }
    }
    ~Tensor() { releaseHost(); }
    Tensor(const Tensor&)            = delete;
    Tensor& operator=(const Tensor&) = delete;

    // Shape only; memory comes from Backend::onAcquireBuffer (as in MNN).
    template <typename T>
    static Tensor* createDevice(const std::vector<int>& shape, DimensionType = CAFFE) {
        return new Tensor(shape, halide_type_of<T>(), false);
    }
    // Shape and host memory.
    template <typename T>
    static Tensor* create(const std::vector<int>& shape, void* data = nullptr, DimensionType = CAFFE) {
        auto t = new Tensor(shape, halide_type_of<T>(), true);
        if (data != nullptr) {
            auto src = static_cast<const uint8_t*>(data);
            auto dst = t->host<uint8_t>();
            for (size_t i = 0; i < t->size(); ++i) dst[i] = src[i];
        }
        return t;
    }

    template <typename T>
    T* host() const { return reinterpret_cast<T*>(mHost); }

    const halide_type_t& getType() const { return mType; }
    std::vector<int> shape() const { return mShape; }
    int dimensions() const { return (int)mShape.size(); }
    int length(int index) const { return mShape[index]; }
    void setLength(int index, int length) { mShape[index] = length; }
    int stride(int index) const {
        int s = 1;
        for (int i = index + 1; i < dimensions(); ++i) s *= mShape[i];
        return s;
    }
    int elementSize() const {
        int n = 1;
        for (int d : mShape) n *= d;
        return n;
    }
    size_t size() const { return (size_t)elementSize() * mType.bytes(); }
    size_t usize() const { return size(); }

    // NCHW views, as MNN's batch()/channel()/height()/width(); 1 where the dimension is absent.
    int batch() const { return dimensions() > 0 ? mShape[0] : 1; }
    int channel() const { return dimensions() > 1 ? mShape[1] : 1; }
    int height() const { return dimensions() > 2 ? mShape[2] : 1; }
    int width() const { return dimensions() > 3 ? mShape[3] : 1; }
    DimensionType getDimensionType() const { return CAFFE; }

    // Used by Backend::onAcquireBuffer / onReleaseBuffer. Defined by the runner: every buffer ends at
    // a guard page (64-byte aligned start, the slack before the guard filled with a canary), so a
    // write past the end is caught when it happens or when the runner checks the canary.
    bool allocateHost();
    void releaseHost();
    // true while the bytes between the end of the data and the guard page are untouched
    bool tailIntact() const;

private:
    std::vector<int> mShape;
    halide_type_t mType;
    void* mHost = nullptr;
    void* mMapping = nullptr;
    size_t mMapped = 0;
};

} // namespace MNN

#endif
