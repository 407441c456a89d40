// ScatterElements (ONNX opset 18): out = copy of data, then for every position p of `indices`
// (same rank as data; `updates` has the shape of indices):
//   out[p with its `axis` coordinate replaced by indices[p]] (op)= updates[p]
// op by `reduction`: "none" (default, assignment), "add", "mul", "max", "min". Negative indices
// count from the end. With "none" and repeated indices ONNX leaves the result undefined; here the
// later position in row-major order wins (as a sequential loop and PyTorch on CPU do).
//
// Updates are applied row by row (a row = the last dimension of indices): the data offset of every
// coordinate but the axis one is computed once per row. The scatter itself stays serial:
// different rows can hit the same output element when the axis is not the last dimension.
#include <cstdint>
#include <cstring>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Macro.h"

namespace MNN {

namespace {

enum Reduction { NONE, ADD, MUL, MAX, MIN };

template <typename T>
inline void combine(T& dst, T v, Reduction r) {
    switch (r) {
        case NONE: dst = v; break;
        case ADD: dst = dst + v; break;
        case MUL: dst = dst * v; break;
        case MAX: dst = dst < v ? v : dst; break;
        case MIN: dst = v < dst ? v : dst; break;
    }
}

template <typename T, typename I>
ErrorCode scatter(const Tensor* data, const Tensor* indices, const Tensor* updates, Tensor* out, int axis,
                  Reduction red) {
    std::memcpy(out->host<uint8_t>(), data->host<uint8_t>(), data->size());
    const int dims = indices->dimensions();
    const std::vector<int> shape = indices->shape();
    const int cols               = shape[dims - 1];
    int rows                     = 1;
    for (int d = 0; d < dims - 1; ++d) rows *= shape[d];
    std::vector<size_t> stride(dims);  // data strides in elements
    for (int d = 0; d < dims; ++d) stride[d] = (size_t)data->stride(d);
    const int axisLen       = data->length(axis);
    const size_t axisStride = stride[axis];
    const bool axisIsLast   = axis == dims - 1;
    const I* idx            = indices->host<I>();
    const T* upd            = updates->host<T>();
    T* dst                  = out->host<T>();
    for (int r = 0; r < rows; ++r) {
        // Data offset of this row without the axis coordinate.
        size_t base = 0;
        int rem     = r;
        for (int d = dims - 2; d >= 0; --d) {
            const int c = rem % shape[d];
            rem /= shape[d];
            if (d != axis) base += (size_t)c * stride[d];
        }
        const I* ir = idx + (size_t)r * cols;
        const T* ur = upd + (size_t)r * cols;
        for (int k = 0; k < cols; ++k) {
            int64_t v = ir[k];
            if (v < 0) v += axisLen;
            if (v < 0 || v >= axisLen) return INVALID_VALUE;
            combine(dst[base + (size_t)v * axisStride + (axisIsLast ? 0 : (size_t)k)], ur[k], red);
        }
    }
    return NO_ERROR;
}

template <typename T>
ErrorCode scatterTyped(const std::vector<Tensor*>& inputs, Tensor* out, int axis, Reduction red) {
    if (inputs[1]->getType().bits == 64) return scatter<T, int64_t>(inputs[0], inputs[1], inputs[2], out, axis, red);
    return scatter<T, int32_t>(inputs[0], inputs[1], inputs[2], out, axis, red);
}

}  // namespace

class CPUScatterElements : public Execution {
public:
    CPUScatterElements(Backend* backend, int axis, Reduction red) : Execution(backend), mAxis(axis), mRed(red) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const int dims = inputs[0]->dimensions();
        mAxisN         = mAxis < 0 ? mAxis + dims : mAxis;
        if (dims == 0 || mAxisN < 0 || mAxisN >= dims || inputs[1]->dimensions() != dims ||
            inputs[1]->shape() != inputs[2]->shape()) {
            return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const halide_type_t t = inputs[0]->getType();
        if (inputs[1]->elementSize() == 0) {
            std::memcpy(outputs[0]->host<uint8_t>(), inputs[0]->host<uint8_t>(), inputs[0]->size());
            return NO_ERROR;
        }
        if (t.code == halide_type_float && t.bits == 32) return scatterTyped<float>(inputs, outputs[0], mAxisN, mRed);
        if (t.code == halide_type_float && t.bits == 64) return scatterTyped<double>(inputs, outputs[0], mAxisN, mRed);
        if (t.code == halide_type_int && t.bits == 32) return scatterTyped<int32_t>(inputs, outputs[0], mAxisN, mRed);
        if (t.code == halide_type_int && t.bits == 64) return scatterTyped<int64_t>(inputs, outputs[0], mAxisN, mRed);
        if (t.bits == 8 && mRed == NONE) return scatterTyped<uint8_t>(inputs, outputs[0], mAxisN, mRed);
        return NOT_SUPPORT;
    }

private:
    int mAxis, mAxisN = 0;
    Reduction mRed;
};

class CPUScatterElementsCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const std::string r = op->getString("reduction", "none");
        Reduction red       = NONE;
        if (r == "add") red = ADD;
        else if (r == "mul") red = MUL;
        else if (r == "max") red = MAX;
        else if (r == "min") red = MIN;
        else if (r != "none") return nullptr;
        return new CPUScatterElements(backend, (int)op->getInt("axis", 0), red);
    }
};

REGISTER_CPU_OP_CREATOR(CPUScatterElementsCreator, OpType_ScatterElements);

} // namespace MNN
