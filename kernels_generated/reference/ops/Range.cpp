// Range (ONNX opset 11): out[i] = start + i * delta for i in [0, n), n = max(ceil((limit - start) /
// delta), 0). start, limit and delta are 0-D tensors of one type (float, double, int16/32/64).
// The output length is data-dependent; the runner provides it as the output's shape.
//
// Each element is computed directly from its index (not by repeatedly adding delta), so rounding
// does not accumulate along the output; float32 is evaluated in double and rounded once.
#include <cmath>
#include <cstdint>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

template <typename T, typename Acc>
ErrorCode fillRange(const std::vector<Tensor*>& inputs, Tensor* out, int threads) {
    const Acc start = (Acc)inputs[0]->host<T>()[0];
    const Acc limit = (Acc)inputs[1]->host<T>()[0];
    const Acc delta = (Acc)inputs[2]->host<T>()[0];
    if (delta == Acc(0)) return INVALID_VALUE;
    // The expected length, to catch a shape that does not belong to these inputs.
    const double len = std::ceil(((double)limit - (double)start) / (double)delta);
    const int n      = out->elementSize();
    if ((double)n != (len > 0 ? len : 0.0)) return INVALID_VALUE;
    T* dst          = out->host<T>();
    const int chunk = UP_DIV(n, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, n);
        for (int i = begin; i < end; ++i) dst[i] = (T)(start + (Acc)i * delta);
    }
    MNN_CONCURRENCY_END();
    return NO_ERROR;
}

}  // namespace

class CPURange : public Execution {
public:
    explicit CPURange(Backend* backend) : Execution(backend) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (inputs.size() != 3) return INVALID_VALUE;
        const halide_type_t t = inputs[0]->getType();
        const int threads     = backend()->threadNumber();
        Tensor* out           = outputs[0];
        if (t.code == halide_type_float && t.bits == 32) return fillRange<float, double>(inputs, out, threads);
        if (t.code == halide_type_float && t.bits == 64) return fillRange<double, double>(inputs, out, threads);
        if (t.code == halide_type_int && t.bits == 16) return fillRange<int16_t, int64_t>(inputs, out, threads);
        if (t.code == halide_type_int && t.bits == 32) return fillRange<int32_t, int64_t>(inputs, out, threads);
        if (t.code == halide_type_int && t.bits == 64) return fillRange<int64_t, int64_t>(inputs, out, threads);
        return NOT_SUPPORT;
    }
};

class CPURangeCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPURange(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPURangeCreator, OpType_Range);

} // namespace MNN
