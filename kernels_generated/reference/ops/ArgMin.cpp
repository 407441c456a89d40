// ArgMin (ONNX opset 13+): the index (int64) of the smallest element along `axis` (default 0,
// negative counts from the end) of a row-major float tensor. keepdims (default 1) only changes the
// output shape, not the order of the values in memory. Among equal minima the first index wins, or the
// last one with select_last_index = 1. NaN is not treated specially (comparisons with it are false).
//
// The tensor is viewed as [outer, reduce, inner] around the axis. With inner = 1 each result comes
// from one contiguous row. With inner > 1 the kernel walks the reduced rows of a tile of
// neighbouring columns, keeping the best value and its index per column in small arrays, so the inner
// loop is contiguous and the tile stays in L1 while the input is read row by row. Indices are kept as
// int32 while scanning: selects on same-width float/int32 lanes vectorise, float/int64 ones poorly.
#include <cstdint>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// Columns per tile when the reduced rows are strided (inner > 1).
constexpr int kTile = 1024;

// The order of ArgMin: a is strictly better than b.
inline bool strictlyBetter(float a, float b) { return a < b; }

// Does an element at a later index replace the best so far? Only when strictly better (the first
// index wins among equal values) or, with select_last_index, also when equal (the last one wins).
template <bool LAST>
inline bool replaces(float candidate, float best) {
    return LAST ? !strictlyBetter(best, candidate) : strictlyBetter(candidate, best);
}

// One step of the scan: the element `value` at `position` (later than every position seen so far)
// replaces (best, index) if replaces<LAST>. Written without branches and without a conditional
// store: the index is blended with an all-ones/all-zeros mask. (With `index = take ? position :
// index` g++ emits masked stores, which stall the following loads of the same array.)
template <bool LAST>
inline void update(float value, int32_t position, float& best, int32_t& index) {
    const int32_t take = -(int32_t)replaces<LAST>(value, best);  // all ones where value wins
    index              = (index & ~take) | (position & take);
    best               = strictlyBetter(value, best) ? value : best;  // equal values leave it unchanged
}

// Index of the best of n contiguous values: one scan. The branch is rarely taken on random data
// (a new best becomes rarer as the scan goes on), so it predicts well.
template <bool LAST>
int64_t argRow(const float* p, int n) {
    float best    = p[0];
    int32_t index = 0;
    for (int i = 1; i < n; ++i) {
        if (replaces<LAST>(p[i], best)) {
            best  = p[i];
            index = i;
        }
    }
    return index;
}

// dst[j] = index of the best over r < rows of p[r * stride + j], for j < n.
template <bool LAST>
void argColumns(const float* p, int rows, size_t stride, int n, int64_t* dst) {
    float best[kTile];
    int32_t index[kTile];
    for (int j = 0; j < n; ++j) {
        best[j]  = p[j];
        index[j] = 0;
    }
    for (int r = 1; r < rows; ++r) {
        const float* row = p + r * stride;
        for (int j = 0; j < n; ++j) update<LAST>(row[j], r, best[j], index[j]);
    }
    for (int j = 0; j < n; ++j) dst[j] = index[j];
}

}  // namespace

class CPUArgMin : public Execution {
public:
    CPUArgMin(Backend* backend, int axis, bool selectLast) : Execution(backend), mAxis(axis), mSelectLast(selectLast) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        const int axis  = mAxis < 0 ? mAxis + dims : mAxis;
        if (axis < 0 || axis >= dims) {
            return INVALID_VALUE;
        }
        mOuter = 1;
        mInner = 1;
        for (int d = 0; d < axis; ++d) mOuter *= x->length(d);
        for (int d = axis + 1; d < dims; ++d) mInner *= x->length(d);
        mReduce = x->length(axis);
        if (mReduce == 0 && outputs[0]->elementSize() > 0) {
            return INVALID_VALUE;  // no index exists along an empty axis
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (outputs[0]->elementSize() == 0) {
            return NO_ERROR;
        }
        const float* src = inputs[0]->host<float>();
        int64_t* dst     = outputs[0]->host<int64_t>();
        // Work items are (block, tile) pairs; each writes its own results, so threads split them freely.
        const size_t tiles   = mInner == 1 ? 1 : UP_DIV(mInner, (size_t)kTile);
        const size_t items   = mOuter * tiles;
        const int threads    = (int)ALIMIN((size_t)backend()->threadNumber(), items);
        const size_t perTask = UP_DIV(items, (size_t)threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const size_t end = ALIMIN((tId + 1) * perTask, items);
            for (size_t item = tId * perTask; item < end; ++item) {
                const size_t o   = item / tiles;
                const float* blk = src + o * mReduce * mInner;
                int64_t* res     = dst + o * mInner;
                if (mInner == 1) {
                    res[0] = mSelectLast ? argRow<true>(blk, mReduce) : argRow<false>(blk, mReduce);
                } else {
                    const size_t j0 = (item % tiles) * kTile;
                    const int n     = (int)ALIMIN((size_t)kTile, mInner - j0);
                    if (mSelectLast) {
                        argColumns<true>(blk + j0, mReduce, mInner, n, res + j0);
                    } else {
                        argColumns<false>(blk + j0, mReduce, mInner, n, res + j0);
                    }
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    int mAxis;
    bool mSelectLast;
    size_t mOuter = 1;
    int mReduce   = 1;
    size_t mInner = 1;
};

class CPUArgMinCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUArgMin(backend, (int)op->getInt("axis", 0), op->getInt("select_last_index", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUArgMinCreator, OpType_ArgMin);

} // namespace MNN
