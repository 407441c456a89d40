// GatherElements (ONNX): out has the shape of `indices` (same rank as data, each dimension no
// larger than data's) and out[p] = data[p with its `axis` coordinate replaced by indices[p]];
// negative indices count from the end. For a 3-D tensor and axis 1:
//   out[i][j][k] = data[i][indices[i][j][k]][k]
// Any element type (copied by its byte size); indices int64 or int32.
//
// The output is walked row by row (a row = the last dimension). For a row the data offset of
// every coordinate except the axis one is fixed, so it is computed once per row; inside the row
// only the index and (when the axis is not the last dimension) the column vary.
#include <atomic>
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

template <typename T, typename I>
ErrorCode gatherRows(const T* data, const I* idx, T* out, const std::vector<int>& outShape,
                     const std::vector<size_t>& dataStride, int axis, int axisLen, int threads) {
    const int dims = (int)outShape.size();
    const int cols = outShape[dims - 1];
    int rows       = 1;
    for (int d = 0; d < dims - 1; ++d) rows *= outShape[d];
    const bool axisIsLast = axis == dims - 1;
    const size_t axisStride = dataStride[axis];
    std::atomic<bool> bad(false);  // set by any thread that meets an out-of-range index
    const int chunk = UP_DIV(rows, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, rows);
        for (int r = begin; r < end; ++r) {
            // Data offset of this row, leaving out the axis coordinate.
            size_t base = 0;
            int rem     = r;
            for (int d = dims - 2; d >= 0; --d) {
                const int c = rem % outShape[d];
                rem /= outShape[d];
                if (d != axis) base += (size_t)c * dataStride[d];
            }
            const I* ir = idx + (size_t)r * cols;
            T* orow     = out + (size_t)r * cols;
            for (int k = 0; k < cols; ++k) {
                int64_t v = ir[k];
                if (v < 0) v += axisLen;
                if (v < 0 || v >= axisLen) {
                    bad.store(true);
                    v = 0;
                }
                orow[k] = data[base + (size_t)v * axisStride + (axisIsLast ? 0 : (size_t)k)];
            }
        }
    }
    MNN_CONCURRENCY_END();
    return bad.load() ? INVALID_VALUE : NO_ERROR;
}

template <typename T>
ErrorCode gatherTyped(const Tensor* data, const Tensor* ind, Tensor* out, const std::vector<size_t>& stride,
                      int axis, int threads) {
    const int axisLen = data->length(axis);
    if (ind->getType().bits == 64) {
        return gatherRows(data->host<T>(), ind->host<int64_t>(), out->host<T>(), out->shape(), stride, axis,
                          axisLen, threads);
    }
    return gatherRows(data->host<T>(), ind->host<int32_t>(), out->host<T>(), out->shape(), stride, axis, axisLen,
                      threads);
}

}  // namespace

class CPUGatherElements : public Execution {
public:
    CPUGatherElements(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* data = inputs[0];
        const int dims     = data->dimensions();
        mAxisN             = mAxis < 0 ? mAxis + dims : mAxis;
        if (dims == 0 || mAxisN < 0 || mAxisN >= dims || inputs[1]->dimensions() != dims) return INVALID_VALUE;
        mStride.resize(dims);
        for (int d = 0; d < dims; ++d) mStride[d] = (size_t)data->stride(d);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (outputs[0]->elementSize() == 0) return NO_ERROR;
        const int threads = backend()->threadNumber();
        // Elements are moved, never computed: dispatch on the byte size only.
        switch (inputs[0]->getType().bytes()) {
            case 1: return gatherTyped<uint8_t>(inputs[0], inputs[1], outputs[0], mStride, mAxisN, threads);
            case 2: return gatherTyped<uint16_t>(inputs[0], inputs[1], outputs[0], mStride, mAxisN, threads);
            case 4: return gatherTyped<uint32_t>(inputs[0], inputs[1], outputs[0], mStride, mAxisN, threads);
            case 8: return gatherTyped<uint64_t>(inputs[0], inputs[1], outputs[0], mStride, mAxisN, threads);
            default: return NOT_SUPPORT;
        }
    }

private:
    int mAxis, mAxisN = 0;
    std::vector<size_t> mStride;  // data strides in elements
};

class CPUGatherElementsCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUGatherElements(backend, (int)op->getInt("axis", 0));
    }
};

REGISTER_CPU_OP_CREATOR(CPUGatherElementsCreator, OpType_GatherElements);

} // namespace MNN
