// Gather (ONNX): picks slices of `data` along `axis` (default 0) by the int64/int32 `indices`
// tensor; negative indices count from the end. Output shape:
//   data.shape[:axis] + indices.shape + data.shape[axis+1:]
// Viewing data as [outer, N, inner], out[o, q, :] = data[o, indices[q], :]: every (o, q) pair is
// one contiguous copy of `inner` elements (bytewise, so any element type works).
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUGather : public Execution {
public:
    CPUGather(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* data = inputs[0];
        const int dims     = data->dimensions();
        mAxisN             = mAxis < 0 ? mAxis + dims : mAxis;
        if (mAxisN < 0 || mAxisN >= dims) return INVALID_VALUE;
        mOuter = 1;
        for (int i = 0; i < mAxisN; ++i) mOuter *= data->length(i);
        mN          = data->length(mAxisN);
        mInnerBytes = (size_t)data->stride(mAxisN) * data->getType().bytes();
        mQ          = inputs[1]->elementSize();
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        // Normalise the indices once (negative -> from the end) and check the range.
        mIdx.resize(mQ);
        const Tensor* ind = inputs[1];
        const bool is64   = ind->getType().bits == 64;
        for (int q = 0; q < mQ; ++q) {
            int64_t v = is64 ? ind->host<int64_t>()[q] : ind->host<int32_t>()[q];
            if (v < 0) v += mN;
            if (v < 0 || v >= mN) return INVALID_VALUE;
            mIdx[q] = (int)v;
        }
        const uint8_t* src = inputs[0]->host<uint8_t>();
        uint8_t* dst       = outputs[0]->host<uint8_t>();
        const int tasks    = mOuter * mQ;
        const int threads  = backend()->threadNumber();
        const int chunk    = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, tasks);
            for (int t = begin; t < end; ++t) {
                const int o = t / mQ, q = t % mQ;
                std::memcpy(dst + (size_t)t * mInnerBytes, src + ((size_t)o * mN + mIdx[q]) * mInnerBytes,
                            mInnerBytes);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    int mAxis, mAxisN = 0;
    int mOuter = 1, mN = 1, mQ = 0;
    size_t mInnerBytes = 0;
    std::vector<int> mIdx;
};

class CPUGatherCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUGather(backend, (int)op->getInt("axis", 0));
    }
};

REGISTER_CPU_OP_CREATOR(CPUGatherCreator, OpType_Gather);

} // namespace MNN
