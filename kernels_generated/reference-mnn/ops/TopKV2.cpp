// TopK (MNN: OpType_TopKV2) for MNN's CPU backend, written against the real MNN tree (replaces
// CPUTopKV2.cpp). For every row of the last dimension the best k values are kept in a small sorted
// buffer: an element enters only when it beats the current k-th, so a row costs about one compare
// per element when k is much smaller than the row. Output is sorted best first (also valid where
// the op does not ask for sorted output); ties keep the lower index first.
#include <cstdint>
#include <vector>

#include "MNN_generated.h"
#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Execution.hpp"
#include "core/Macro.h"
#include "core/TensorUtils.hpp"

namespace MNN {

class MKTopK : public Execution {
public:
    MKTopK(Backend* backend, bool largest) : Execution(backend), mLargest(largest) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        Tensor* x = inputs[0];
        if (TensorUtils::getDescribe(x)->dimensionFormat == MNN_DATA_FORMAT_NC4HW4 || outputs.size() != 2 ||
            x->getType() != halide_type_of<float>() || outputs[1]->getType().bytes() != 4) {
            return NOT_SUPPORT;
        }
        mRow = x->length(x->dimensions() - 1);
        mRows = mRow ? x->elementSize() / mRow : 0;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const int k = inputs[1]->host<int32_t>()[0];
        if (k < 0 || k > mRow) return INVALID_VALUE;
        const float* src = inputs[0]->host<float>();
        float* values = outputs[0]->host<float>();
        int32_t* indices = outputs[1]->host<int32_t>();
        const int threads = std::max(1, std::min(static_cast<CPUBackend*>(backend())->threadNumber(), mRows));
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            for (int r = (int)tId; r < mRows; r += threads) {
                if (mLargest) {
                    row(src + (size_t)r * mRow, k, values + (size_t)r * k, indices + (size_t)r * k,
                        [](float a, float b) { return a > b; });
                } else {
                    row(src + (size_t)r * mRow, k, values + (size_t)r * k, indices + (size_t)r * k,
                        [](float a, float b) { return a < b; });
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    template <typename Better>
    void row(const float* x, int k, float* v, int32_t* idx, Better better) const {
        if (k == 0) return;
        int n = 0;  // entries in v/idx so far, sorted best first
        for (int i = 0; i < mRow; ++i) {
            const float val = x[i];
            if (n == k && !better(val, v[k - 1])) continue;  // strictly better only: earlier index wins ties
            int pos = n < k ? n++ : k - 1;
            while (pos > 0 && better(val, v[pos - 1])) {
                v[pos] = v[pos - 1];
                idx[pos] = idx[pos - 1];
                --pos;
            }
            v[pos] = val;
            idx[pos] = i;
        }
    }

    bool mLargest;
    int mRow = 0, mRows = 0;
};

class CPUTopKV2Creator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const auto* p = op->main_as_TopKV2();
        return new MKTopK(backend, p == nullptr || p->largest());
    }
};

REGISTER_CPU_OP_CREATOR(CPUTopKV2Creator, OpType_TopKV2);

} // namespace MNN
