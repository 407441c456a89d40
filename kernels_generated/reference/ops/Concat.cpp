// Concat (ONNX): joins the inputs along `axis` (negative counts from the end). All inputs have the
// same shape except along the axis. Element type does not matter: the copy is bytewise.
//
// Viewing every tensor as [outer, length_i * inner] (outer = product of the dimensions before the
// axis, inner = product after it), each output row of the outer loop is the concatenation of one
// contiguous block from every input, so the whole op is a sequence of memcpy calls.
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUConcat : public Execution {
public:
    CPUConcat(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* out = outputs[0];
        const int dims    = out->dimensions();
        const int axis    = mAxis < 0 ? mAxis + dims : mAxis;
        if (axis < 0 || axis >= dims) return INVALID_VALUE;
        const size_t bytes = out->getType().bytes();
        mOuter = 1;
        for (int i = 0; i < axis; ++i) mOuter *= out->length(i);
        const size_t inner = (size_t)out->stride(axis);
        mBlockBytes.clear();
        size_t total = 0;
        for (const Tensor* in : inputs) {
            if (in->dimensions() != dims) return INVALID_VALUE;
            mBlockBytes.push_back((size_t)in->length(axis) * inner * bytes);
            total += mBlockBytes.back();
        }
        mRowBytes = total;
        if (total != (size_t)out->length(axis) * inner * bytes) return INVALID_VALUE;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        uint8_t* dst      = outputs[0]->host<uint8_t>();
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(mOuter, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, mOuter);
            for (int o = begin; o < end; ++o) {
                uint8_t* row = dst + (size_t)o * mRowBytes;
                for (size_t i = 0; i < inputs.size(); ++i) {
                    const size_t n = mBlockBytes[i];
                    std::memcpy(row, inputs[i]->host<uint8_t>() + (size_t)o * n, n);
                    row += n;
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    int mAxis;
    int mOuter       = 1;
    size_t mRowBytes = 0;
    std::vector<size_t> mBlockBytes;  // bytes of one outer row of each input
};

class CPUConcatCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUConcat(backend, (int)op->getInt("axis", 0));
    }
};

REGISTER_CPU_OP_CREATOR(CPUConcatCreator, OpType_Concat);

} // namespace MNN
