// CumSum (ONNX opset 14+): running sum along the axis given by the second input (a 0-D or 1-element
// int32/int64 tensor; negative counts from the end). Attributes: exclusive (default 0: element i
// includes x[i]; 1: sum of the elements before i) and reverse (default 0; 1: sums run from the end).
//
// The tensor is viewed as [outer, length, inner]. For each outer index the sum advances one
// axis step at a time over a whole contiguous row of `inner` elements, so the inner loop is a
// vector add of two contiguous rows rather than a strided walk along the axis.
#include <cstdint>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// out[o, i, :] = sum over the chosen prefix of x[o, :, :], one row of `inner` at a time.
template <typename T>
void cumsum(const T* src, T* dst, int outer, int length, int inner, bool exclusive, bool reverse, int threads) {
    const int chunk = UP_DIV(outer, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, outer);
        for (int o = begin; o < end; ++o) {
            const T* x = src + (size_t)o * length * inner;
            T* y       = dst + (size_t)o * length * inner;
            // Walk the axis forwards or backwards; `prev` is the previous output row in walk order.
            const int first = reverse ? length - 1 : 0;
            const int step  = reverse ? -1 : 1;
            T* row          = y + (size_t)first * inner;
            const T* xrow   = x + (size_t)first * inner;
            for (int k = 0; k < inner; ++k) row[k] = exclusive ? T(0) : xrow[k];
            for (int n = 1; n < length; ++n) {
                const int i    = first + n * step;
                T* cur         = y + (size_t)i * inner;
                const T* prev  = cur - (ptrdiff_t)step * inner;
                // Inclusive: y[i] = y[i-1] + x[i]; exclusive: y[i] = y[i-1] + x[i-1].
                const T* add   = x + (size_t)(exclusive ? i - step : i) * inner;
                for (int k = 0; k < inner; ++k) cur[k] = prev[k] + add[k];
            }
        }
    }
    MNN_CONCURRENCY_END();
}

}  // namespace

class CPUCumSum : public Execution {
public:
    CPUCumSum(Backend* backend, bool exclusive, bool reverse)
        : Execution(backend), mExclusive(exclusive), mReverse(reverse) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x  = inputs[0];
        const Tensor* ax = inputs[1];
        // The axis tensor is int32 or int64.
        int axis = ax->getType().bits == 64 ? (int)ax->host<int64_t>()[0] : ax->host<int32_t>()[0];
        const int dims = x->dimensions();
        if (axis < 0) axis += dims;
        if (axis < 0 || axis >= dims) return INVALID_VALUE;
        int outer = 1;
        for (int i = 0; i < axis; ++i) outer *= x->length(i);
        const int length  = x->length(axis);
        const int inner   = x->stride(axis);
        const int threads = backend()->threadNumber();
        if (length == 0 || outer == 0 || inner == 0) return NO_ERROR;
        const halide_type_t t = x->getType();
        // float32 sums in float: rounding grows with the axis length (about 1e-6 over 32 values of size 1).
        if (t.code == halide_type_float && t.bits == 32) {
            cumsum(x->host<float>(), outputs[0]->host<float>(), outer, length, inner, mExclusive, mReverse, threads);
        } else if (t.code == halide_type_float && t.bits == 64) {
            cumsum(x->host<double>(), outputs[0]->host<double>(), outer, length, inner, mExclusive, mReverse, threads);
        } else if (t.code == halide_type_int && t.bits == 32) {
            cumsum(x->host<int32_t>(), outputs[0]->host<int32_t>(), outer, length, inner, mExclusive, mReverse,
                   threads);
        } else if (t.code == halide_type_int && t.bits == 64) {
            cumsum(x->host<int64_t>(), outputs[0]->host<int64_t>(), outer, length, inner, mExclusive, mReverse,
                   threads);
        } else {
            return NOT_SUPPORT;
        }
        return NO_ERROR;
    }

private:
    bool mExclusive, mReverse;
};

class CPUCumSumCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUCumSum(backend, op->getInt("exclusive", 0) != 0, op->getInt("reverse", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUCumSumCreator, OpType_CumSum);

} // namespace MNN
