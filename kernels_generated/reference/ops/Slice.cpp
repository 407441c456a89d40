// Slice (ONNX opset 13): inputs data, starts, ends, optional axes and steps (1-D int32/int64, one
// entry per sliced axis; axes default 0..n-1, steps default 1, negative axes count from the end).
// For each sliced axis of length d, per the ONNX rules:
//   start/end < 0 -> += d; step > 0: start, end clamped to [0, d]; step < 0: start clamped to
//   [0, d-1], end to [-1, d-1]; the output length is max(0, ceil((end - start) / step)).
// Element type does not matter (bytes are copied).
//
// The parameters are constant inputs, already loaded when onResize runs, so the slice is planned
// there: trailing dimensions that are copied whole (and the last sliced dimension when its step is
// 1) merge into one contiguous run, so the copy is a loop of memcpy calls over the outer dims.
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

int64_t readInt(const Tensor* t, int i) {
    return t->getType().bits == 64 ? t->host<int64_t>()[i] : (int64_t)t->host<int32_t>()[i];
}

}  // namespace

class CPUSlice : public Execution {
public:
    explicit CPUSlice(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* data = inputs[0];
        const int dims     = data->dimensions();
        std::vector<int64_t> start(dims, 0), step(dims, 1), len(dims);
        for (int d = 0; d < dims; ++d) len[d] = data->length(d);
        const int n = inputs[1]->elementSize();
        const Tensor* axesT  = inputs.size() > 3 ? inputs[3] : nullptr;
        const Tensor* stepsT = inputs.size() > 4 ? inputs[4] : nullptr;
        for (int i = 0; i < n; ++i) {
            int64_t axis = axesT ? readInt(axesT, i) : i;
            if (axis < 0) axis += dims;
            if (axis < 0 || axis >= dims) return INVALID_VALUE;
            const int64_t d  = data->length((int)axis);
            const int64_t st = stepsT ? readInt(stepsT, i) : 1;
            if (st == 0) return INVALID_VALUE;
            int64_t b = readInt(inputs[1], i), e = readInt(inputs[2], i);
            if (b < 0) b += d;
            if (e < 0) e += d;
            if (st > 0) {
                b = ALIMIN(ALIMAX(b, (int64_t)0), d);
                e = ALIMIN(ALIMAX(e, (int64_t)0), d);
                len[axis] = e > b ? (e - b + st - 1) / st : 0;
            } else {
                b = ALIMIN(ALIMAX(b, (int64_t)0), d - 1);
                e = ALIMIN(ALIMAX(e, (int64_t)-1), d - 1);
                len[axis] = b > e ? (b - e + (-st) - 1) / (-st) : 0;
            }
            start[axis] = b;
            step[axis]  = st;
        }
        for (int d = 0; d < dims; ++d) {
            if (len[d] != outputs[0]->length(d)) return INVALID_VALUE;
        }
        // Plan: find the contiguous run. Whole trailing dimensions merge; then one more dimension
        // with step 1 joins the run (it is copied from an offset).
        const size_t bytes = data->getType().bytes();
        int last           = dims;  // dims [last, dims) are inside the run
        size_t run         = 1;
        while (last > 0 && start[last - 1] == 0 && step[last - 1] == 1 && len[last - 1] == data->length(last - 1)) {
            run *= (size_t)len[last - 1];
            --last;
        }
        size_t runOffset = 0;  // element offset of the run inside its source block
        if (last > 0 && step[last - 1] == 1) {
            runOffset = (size_t)start[last - 1] * data->stride(last - 1);
            run *= (size_t)len[last - 1];
            --last;
        }
        mRunBytes = run * bytes;
        mBaseByte = runOffset * bytes;
        // Outer dimensions [0, last): per dimension its output length, source start and byte step.
        mOuterLen.clear();
        mOuterStart.clear();
        mOuterStep.clear();
        mRuns = 1;
        for (int d = 0; d < last; ++d) {
            mOuterLen.push_back(len[d]);
            mOuterStart.push_back(start[d] * (int64_t)data->stride(d) * (int64_t)bytes);
            mOuterStep.push_back(step[d] * (int64_t)data->stride(d) * (int64_t)bytes);
            mRuns *= (size_t)len[d];
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const uint8_t* src = inputs[0]->host<uint8_t>() + mBaseByte;
        uint8_t* dst       = outputs[0]->host<uint8_t>();
        if (mRuns == 0 || mRunBytes == 0) return NO_ERROR;
        const int outer   = (int)mOuterLen.size();
        const int threads = backend()->threadNumber();
        const size_t chunk = (mRuns + threads - 1) / threads;
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const size_t begin = (size_t)tId * chunk;
            const size_t end   = ALIMIN(begin + chunk, mRuns);
            for (size_t r = begin; r < end; ++r) {
                // Source byte offset of run r: decompose r over the outer output dimensions.
                int64_t off = 0;
                size_t rem  = r;
                for (int d = outer - 1; d >= 0; --d) {
                    const int64_t c = (int64_t)(rem % (size_t)mOuterLen[d]);
                    rem /= (size_t)mOuterLen[d];
                    off += mOuterStart[d] + c * mOuterStep[d];
                }
                std::memcpy(dst + r * mRunBytes, src + off, mRunBytes);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    size_t mRunBytes = 0, mBaseByte = 0, mRuns = 0;
    std::vector<int64_t> mOuterLen, mOuterStart, mOuterStep;  // starts/steps in bytes
};

class CPUSliceCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUSlice(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUSliceCreator, OpType_Slice);

} // namespace MNN
