// ReduceSum (ONNX opset 13+): sums a row-major float tensor over the axes given by the optional
// second input (int64; opset < 13 used the `axes` attribute), keepdims (layout is the same either
// way) and noop_with_empty_axes (empty axes: reduce everything, or copy when the flag is 1).
//
// The input dimensions are grouped into runs of neighbouring dimensions that are all reduced or all
// kept (dimensions of length 1 drop out), e.g. [8,128,64,32] over axis 1 becomes
// kept 8 | reduced 128 | kept 2048. The output is zeroed and every input element is added to its
// output element, walking the input in memory order. The innermost run is then a contiguous loop:
// either out[j] += in[j] over a kept run (vectorises) or a lane-wise sum over a reduced run.
#include <cstdint>
#include <cstring>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// Sum of n contiguous floats in eight independent accumulators: with one, every addition waits for
// the previous one (the compiler may not reorder float additions); eight chains overlap, and they also
// keep the rounding error of long sums lower.
static inline float sumLanes(const float* p, int n) {
    float lanes[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; ++l) lanes[l] += p[i + l];
    }
    float sum = 0.0f;
    for (int l = 0; l < 8; ++l) sum += lanes[l];
    for (; i < n; ++i) sum += p[i];
    return sum;
}

class CPUReduceSum : public Execution {
public:
    CPUReduceSum(Backend* backend, const std::vector<int64_t>& attrAxes, bool noopWithEmptyAxes)
        : Execution(backend), mAttrAxes(attrAxes), mNoopWithEmptyAxes(noopWithEmptyAxes) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        // Axes: the constant second input if given (it is loaded before onResize), else the attribute.
        std::vector<int64_t> axes = mAttrAxes;
        if (inputs.size() > 1 && inputs[1] != nullptr) {
            const int64_t* p = inputs[1]->host<int64_t>();
            axes.assign(p, p + inputs[1]->elementSize());
        }
        std::vector<bool> reduced(dims, false);
        if (axes.empty()) {
            if (mNoopWithEmptyAxes) {
                mCopy = true;
                return NO_ERROR;
            }
            reduced.assign(dims, true);
        } else {
            for (int64_t axis : axes) {
                const int64_t a = axis < 0 ? axis + dims : axis;
                if (a < 0 || a >= dims) {
                    return INVALID_VALUE;
                }
                reduced[a] = true;
            }
        }
        mCopy = false;

        // Runs of neighbouring dimensions with the same reduced/kept status.
        mRuns.clear();
        for (int d = 0; d < dims; ++d) {
            const int len = x->length(d);
            if (len == 1) {
                continue;  // reduced or not, it changes nothing
            }
            if (!mRuns.empty() && mRuns.back().reduced == reduced[d]) {
                mRuns.back().length *= len;
            } else {
                mRuns.push_back({len, (bool)reduced[d], 0, 0});
            }
        }
        // Input strides of the runs (the tensor is contiguous) and output strides of the kept runs.
        size_t inStride = 1, outStride = 1;
        for (int r = (int)mRuns.size() - 1; r >= 0; --r) {
            mRuns[r].inStride = inStride;
            inStride *= mRuns[r].length;
            if (!mRuns[r].reduced) {
                mRuns[r].outStride = outStride;
                outStride *= mRuns[r].length;
            }
        }
        if (x->elementSize() > 0 && (size_t)outputs[0]->elementSize() != outStride) {
            return INVALID_VALUE;
        }
        // Threads split the outermost kept run: different indices of it write different outputs.
        mSplitRun = -1;
        for (int r = 0; r < (int)mRuns.size(); ++r) {
            if (!mRuns[r].reduced) {
                mSplitRun = r;
                break;
            }
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        const int outSize = outputs[0]->elementSize();
        if (mCopy) {
            std::memcpy(dst, src, (size_t)outSize * sizeof(float));
            return NO_ERROR;
        }
        for (int i = 0; i < outSize; ++i) dst[i] = 0.0f;
        if (inputs[0]->elementSize() == 0) {
            return NO_ERROR;  // sums over nothing stay 0
        }
        if (mRuns.empty()) {  // every dimension has length 1
            dst[0] = src[0];
            return NO_ERROR;
        }
        if (mSplitRun < 0) {  // everything is reduced: one sum
            dst[0] = sumLanes(src, inputs[0]->elementSize());
            return NO_ERROR;
        }
        const int splitLength = mRuns[mSplitRun].length;
        const int threads     = backend()->threadNumber();
        const int chunk       = UP_DIV(splitLength, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, splitLength);
            if (begin < end) {
                accumulate(src, dst, 0, begin, end);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    struct Run {
        int length;
        bool reduced;
        size_t inStride;   // elements between neighbouring indices of this run in the input
        size_t outStride;  // same in the output (kept runs only)
    };

    // Adds the input block selected so far (src, dst already offset) for runs level..end; the split
    // run only covers [splitBegin, splitEnd).
    void accumulate(const float* src, float* dst, int level, int splitBegin, int splitEnd) const {
        const Run& run = mRuns[level];
        const int begin = level == mSplitRun ? splitBegin : 0;
        const int end   = level == mSplitRun ? splitEnd : run.length;
        if (level + 1 == (int)mRuns.size()) {
            // Innermost run: contiguous in the input (stride 1).
            if (run.reduced) {
                dst[0] += sumLanes(src + begin, end - begin);
            } else {
                for (int j = begin; j < end; ++j) dst[j] += src[j];
            }
            return;
        }
        for (int i = begin; i < end; ++i) {
            accumulate(src + i * run.inStride, run.reduced ? dst : dst + i * run.outStride, level + 1, splitBegin,
                       splitEnd);
        }
    }

    std::vector<int64_t> mAttrAxes;
    bool mNoopWithEmptyAxes;
    bool mCopy = false;
    std::vector<Run> mRuns;
    int mSplitRun = -1;
};

class CPUReduceSumCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUReduceSum(backend, op->getInts("axes"), op->getInt("noop_with_empty_axes", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUReduceSumCreator, OpType_ReduceSum);

} // namespace MNN
