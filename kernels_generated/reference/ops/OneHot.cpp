// OneHot (ONNX opset 11+): inputs indices (any numeric type), depth (a scalar) and values [off, on];
// the output has rank(indices) + 1 with a new dimension of size depth at `axis` (default -1, i.e.
// last; negative counts from the end of the output shape). Element type of the output = that of
// values. out[..., d, ...] = on where indices[...] == d, else off. Negative indices count from the
// end (index + depth); indices outside [-depth, depth) give a row of `off`.
//
// View the output as [outer, depth, inner] (outer = product of the index dimensions before axis,
// inner = product of those after it): each inner line is filled with `off`, then one `on` is set.
// Values are only copied, so the element type is handled by its byte size.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// Index element i as int64, whatever the indices' type (float indices are truncated, as ORT does).
int64_t readIndex(const Tensor* t, size_t i) {
    const halide_type_t ty = t->getType();
    if (ty.code == halide_type_float) {
        return ty.bits == 64 ? (int64_t)t->host<double>()[i] : (int64_t)t->host<float>()[i];
    }
    const bool isSigned = ty.code == halide_type_int;
    switch (ty.bits) {
        case 8: return isSigned ? (int64_t)t->host<int8_t>()[i] : (int64_t)t->host<uint8_t>()[i];
        case 16: return isSigned ? (int64_t)t->host<int16_t>()[i] : (int64_t)t->host<uint16_t>()[i];
        case 32: return isSigned ? (int64_t)t->host<int32_t>()[i] : (int64_t)t->host<uint32_t>()[i];
        default: return t->host<int64_t>()[i];
    }
}

template <typename T>
void fill(const Tensor* indices, const Tensor* values, T* out, int outer, int depth, int inner, int threads) {
    const T off = values->host<T>()[0];
    const T on  = values->host<T>()[1];
    const int chunk = UP_DIV(outer, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, outer);
        for (int o = begin; o < end; ++o) {
            T* block = out + (size_t)o * depth * inner;
            for (size_t k = 0; k < (size_t)depth * inner; ++k) block[k] = off;
            for (int i = 0; i < inner; ++i) {
                int64_t d = readIndex(indices, (size_t)o * inner + i);
                if (d < 0) d += depth;
                if (d >= 0 && d < depth) block[(size_t)d * inner + i] = on;
            }
        }
    }
    MNN_CONCURRENCY_END();
}

}  // namespace

class CPUOneHot : public Execution {
public:
    CPUOneHot(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* out = outputs[0];
        const int dims    = out->dimensions();
        mAxisN            = mAxis < 0 ? mAxis + dims : mAxis;
        if (mAxisN < 0 || mAxisN >= dims || inputs[2]->elementSize() != 2) return INVALID_VALUE;
        // The depth is the output's length along the axis (the depth input says the same).
        mDepth = out->length(mAxisN);
        mOuter = 1;
        for (int i = 0; i < mAxisN; ++i) mOuter *= out->length(i);
        mInner = out->stride(mAxisN);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* indices = inputs[0];
        const Tensor* values  = inputs[2];
        Tensor* out           = outputs[0];
        const int threads     = backend()->threadNumber();
        switch (values->getType().bytes()) {
            case 1: fill(indices, values, out->host<uint8_t>(), mOuter, mDepth, mInner, threads); break;
            case 2: fill(indices, values, out->host<uint16_t>(), mOuter, mDepth, mInner, threads); break;
            case 4: fill(indices, values, out->host<uint32_t>(), mOuter, mDepth, mInner, threads); break;
            case 8: fill(indices, values, out->host<uint64_t>(), mOuter, mDepth, mInner, threads); break;
            default: return NOT_SUPPORT;
        }
        return NO_ERROR;
    }

private:
    int mAxis, mAxisN = 0;
    int mDepth = 0, mOuter = 1, mInner = 1;
};

class CPUOneHotCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUOneHot(backend, (int)op->getInt("axis", -1));
    }
};

REGISTER_CPU_OP_CREATOR(CPUOneHotCreator, OpType_OneHot);

} // namespace MNN
