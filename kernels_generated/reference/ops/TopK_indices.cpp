// TopK (ONNX opset 11+): the K largest (largest=1) or smallest (largest=0) elements along `axis` of a
// row-major float tensor, with K the single int64 element of the second input. Outputs: Values
// (float) and Indices (int64), both the input shape with K along the axis, best first. Equal values
// keep the smaller index first; NaN counts as larger than every number (as in PyTorch).
// A model may use only the Indices: then the graph exposes one output, and the kernel receives a
// single int64 tensor (told apart from Values by its integer type) and writes only the indices.
//
// The tensor is viewed as [outside, axis, inside]. Each of the outside * inside lines is scanned
// once while a sorted list of the best K seen so far is kept: a new element is compared with the
// current K-th best first, and for K much smaller than the line (the usual case) almost every
// element is rejected by that single comparison. For large K a partial sort is cheaper.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

struct Entry {
    float value;
    int64_t index;
};

// True when `a` ranks strictly before `b`: the better value, then the smaller index.
template <bool LARGEST>
inline bool before(const Entry& a, const Entry& b) {
    const bool aNan = std::isnan(a.value), bNan = std::isnan(b.value);
    if (aNan || bNan) {
        // NaN is the largest value: first when looking for the largest, last for the smallest.
        if (aNan && bNan) return a.index < b.index;
        return LARGEST ? aNan : bNan;
    }
    if (a.value != b.value) return LARGEST ? a.value > b.value : a.value < b.value;
    return a.index < b.index;
}

}  // namespace

class CPUTopK : public Execution {
public:
    CPUTopK(Backend* backend, int axis, bool largest) : Execution(backend), mAxis(axis), mLargest(largest) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        const int axis  = mAxis < 0 ? mAxis + dims : mAxis;
        if (axis < 0 || axis >= dims || outputs.empty()) {
            return INVALID_VALUE;
        }
        // Which outputs are present: (Values, Indices), or Indices alone (an integer tensor).
        mIndicesOnly = outputs.size() == 1 && outputs[0]->getType().code == halide_type_int;
        if (outputs.size() < 2 && !mIndicesOnly) {
            return INVALID_VALUE;
        }
        mOutside = 1;
        for (int i = 0; i < axis; ++i) mOutside *= x->length(i);
        mLength = x->length(axis);
        mInside = x->stride(axis);
        mK      = outputs[0]->length(axis);  // the output shape carries K; checked against input K below
        if (mK > mLength) {
            return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (inputs.size() > 1 && inputs[1] != nullptr && inputs[1]->elementSize() == 1 &&
            inputs[1]->host<int64_t>()[0] != mK) {
            return INVALID_VALUE;  // K input disagrees with the output shape
        }
        const float* src  = inputs[0]->host<float>();
        float* values     = mIndicesOnly ? nullptr : outputs[0]->host<float>();
        int64_t* indices  = outputs[mIndicesOnly ? 0 : 1]->host<int64_t>();
        const int lines   = mOutside * mInside;
        if (mK == 0 || lines == 0) {
            return NO_ERROR;
        }
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(lines, threads);
        // Each line writes its own K outputs: threads own disjoint lines.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, lines);
            std::vector<Entry> best;  // per-thread scratch, reused for every line
            for (int line = begin; line < end; ++line) {
                const int o         = line / mInside;
                const int in        = line % mInside;
                const float* first  = src + (size_t)o * mLength * mInside + in;
                const size_t outOff = (size_t)o * mK * mInside + in;
                if (mLargest) {
                    selectLine<true>(first, best);
                } else {
                    selectLine<false>(first, best);
                }
                for (int k = 0; k < mK; ++k) {
                    if (values) values[outOff + (size_t)k * mInside] = best[k].value;
                    indices[outOff + (size_t)k * mInside] = best[k].index;
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // The best mK entries of the line x[0], x[inside], ..., sorted best first, into `best`.
    template <bool LARGEST>
    void selectLine(const float* x, std::vector<Entry>& best) const {
        const int k = mK;
        if (k > 64 && k * 8 > mLength) {
            // Large K: partial sort of the whole line.
            best.resize(mLength);
            for (int i = 0; i < mLength; ++i) best[i] = {x[(size_t)i * mInside], i};
            std::partial_sort(best.begin(), best.begin() + k, best.end(), before<LARGEST>);
            best.resize(k);
            return;
        }
        // Sorted insertion into a list of the K best so far. The first K elements fill it; after
        // that an element enters only if it ranks before the current last one. Elements come in
        // increasing index order, so an equal value never displaces an earlier one.
        best.clear();
        best.reserve(k);
        for (int i = 0; i < mLength; ++i) {
            const Entry e{x[(size_t)i * mInside], i};
            if ((int)best.size() == k) {
                if (!before<LARGEST>(e, best.back())) {
                    continue;
                }
                best.pop_back();
            }
            // Shift worse entries right to open the slot.
            int pos = (int)best.size();
            best.push_back(e);
            while (pos > 0 && before<LARGEST>(e, best[pos - 1])) {
                best[pos] = best[pos - 1];
                --pos;
            }
            best[pos] = e;
        }
    }

    int mAxis;
    bool mLargest;
    bool mIndicesOnly = false;
    int mOutside = 1, mLength = 1, mInside = 1, mK = 0;
};

class CPUTopKCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // `sorted` = 0 allows any order; sorted output satisfies it too.
        return new CPUTopK(backend, (int)op->getInt("axis", -1), op->getInt("largest", 1) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUTopKCreator, OpType_TopK);

} // namespace MNN
