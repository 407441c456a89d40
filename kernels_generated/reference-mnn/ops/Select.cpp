// Where (MNN: OpType_Select) for MNN's CPU backend, written against the real MNN tree (replaces
// CPUSelect.cpp). out = cond ? x : y with full numpy broadcasting of all three inputs: the output is
// walked row by row over its last dimension, each input advancing by its own broadcast stride (0 where
// it is broadcast), so a contiguous row of a full-size input is a straight copy loop.
#include <cstdint>
#include <cstring>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Execution.hpp"
#include "core/Macro.h"
#include "core/TensorUtils.hpp"

namespace MNN {

class MKSelect : public Execution {
public:
    explicit MKSelect(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (inputs.size() != 3) return INPUT_DATA_ERROR;
        for (auto* t : {inputs[0], inputs[1], inputs[2], outputs[0]}) {
            if (TensorUtils::getDescribe(t)->dimensionFormat == MNN_DATA_FORMAT_NC4HW4) return NOT_SUPPORT;
        }
        mBytes = outputs[0]->getType().bytes();
        if (mBytes != 1 && mBytes != 2 && mBytes != 4 && mBytes != 8) return NOT_SUPPORT;
        if (inputs[0]->getType().bytes() != 4 && inputs[0]->getType().bytes() != 1) return NOT_SUPPORT;
        mCondBytes = inputs[0]->getType().bytes();
        // Output shape, right-aligned with every input's shape; per input the stride of each output axis.
        const int dims = outputs[0]->dimensions();
        mShape.assign(dims, 1);
        for (int i = 0; i < dims; ++i) mShape[i] = outputs[0]->length(i);
        for (int k = 0; k < 3; ++k) {
            Tensor* t = inputs[k];
            const int td = t->dimensions();
            mStrides[k].assign(dims, 0);
            long stride = 1;
            for (int i = dims - 1; i >= 0; --i) {
                const int ti = i - (dims - td);
                const int len = ti >= 0 ? t->length(ti) : 1;
                if (len != 1 && len != mShape[i]) return INPUT_DATA_ERROR;
                mStrides[k][i] = len == 1 ? 0 : stride;
                stride *= len;
            }
        }
        mInner = dims > 0 ? mShape[dims - 1] : 1;
        mRows = 1;
        for (int i = 0; i + 1 < dims; ++i) mRows *= mShape[i];
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        switch (mBytes) {
            case 1: run<int8_t>(inputs, outputs); break;
            case 2: run<int16_t>(inputs, outputs); break;
            case 4: run<int32_t>(inputs, outputs); break;
            default: run<int64_t>(inputs, outputs); break;
        }
        return NO_ERROR;
    }

private:
    template <typename T>
    void run(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) const {
        const uint8_t* cond = inputs[0]->host<uint8_t>();
        const T* x = inputs[1]->host<T>();
        const T* y = inputs[2]->host<T>();
        T* out = outputs[0]->host<T>();
        const int dims = (int)mShape.size();
        const long sc = dims ? mStrides[0][dims - 1] : 0, sx = dims ? mStrides[1][dims - 1] : 0,
                   sy = dims ? mStrides[2][dims - 1] : 0;
        const int threads = std::max(1, std::min(static_cast<CPUBackend*>(backend())->threadNumber(), (int)mRows));
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            for (long r = (long)tId; r < mRows; r += threads) {
                // offsets of this output row in each input
                long oc = 0, ox = 0, oy = 0, rest = r;
                for (int i = dims - 2; i >= 0; --i) {
                    const long idx = rest % mShape[i];
                    rest /= mShape[i];
                    oc += idx * mStrides[0][i];
                    ox += idx * mStrides[1][i];
                    oy += idx * mStrides[2][i];
                }
                T* o = out + r * mInner;
                if (mCondBytes == 4) {
                    const int32_t* c = reinterpret_cast<const int32_t*>(cond) + oc;
                    for (int j = 0; j < mInner; ++j) o[j] = c[j * sc] ? x[ox + j * sx] : y[oy + j * sy];
                } else {
                    const uint8_t* c = cond + oc;
                    for (int j = 0; j < mInner; ++j) o[j] = c[j * sc] ? x[ox + j * sx] : y[oy + j * sy];
                }
            }
        }
        MNN_CONCURRENCY_END();
    }

    int mBytes = 4, mCondBytes = 4;
    std::vector<int> mShape;
    std::vector<long> mStrides[3];
    long mRows = 1;
    int mInner = 1;
};

class CPUSelectCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new MKSelect(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUSelectCreator, OpType_Select);

} // namespace MNN
