// PRelu: y = x for x >= 0, slope * x otherwise, elementwise over a row-major float tensor X. The
// second input is the slope (a learned parameter), unidirectionally broadcast to X's shape: e.g.
// [C] against [N, C] (one slope per feature) or [C, 1, 1] against [N, C, H, W] (one per channel).
//
// Computed as max(x, 0) + slope * min(x, 0), the same function without a data-dependent branch, so
// the inner loops vectorise (a `x > 0 ? x : slope * x` select is left scalar by g++).
//
// The slope gets a stride per dimension of X (0 where it is broadcast); neighbouring dimensions are
// merged where the slope walks them as one, e.g. [64, 1024] with a [1024] slope becomes 64 rows of a
// 1024-long run over the slope vector, and [N, C, H, W] with [C, 1, 1] becomes N*C rows of H*W
// elements, each with one slope value.
#include <algorithm>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUPRelu : public Execution {
public:
    explicit CPUPRelu(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x     = inputs[0];
        const Tensor* slope = inputs[1];
        const int dims      = x->dimensions();
        const int offset    = dims - slope->dimensions();  // the slope's shape is right-aligned
        if (offset < 0) {
            return INVALID_VALUE;
        }
        std::vector<int> length, strideS;
        for (int d = 0; d < dims; ++d) {
            const int len = x->length(d);
            int sS        = 0;  // implicit leading 1 of the slope, or a dimension of length 1: broadcast
            if (d >= offset) {
                const int sLen = slope->length(d - offset);
                if (sLen != len && sLen != 1) {
                    return INVALID_VALUE;
                }
                sS = (sLen == 1) ? 0 : slope->stride(d - offset);
            }
            if (len == 1) {
                continue;
            }
            // X is contiguous, so merging only needs the slope to step through both as one.
            if (!length.empty() && strideS.back() == sS * len) {
                length.back() *= len;
                strideS.back() = sS;
            } else {
                length.push_back(len);
                strideS.push_back(sS);
            }
        }
        if (length.empty()) {
            length  = {1};
            strideS = {0};
        }
        mLength  = length;
        mStrideS = strideS;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x     = inputs[0]->host<float>();
        const float* slope = inputs[1]->host<float>();
        float* y           = outputs[0]->host<float>();
        if (outputs[0]->elementSize() == 0) {
            return NO_ERROR;
        }
        const int dims  = (int)mLength.size();
        const int inner = mLength[dims - 1];
        const int sS    = mStrideS[dims - 1];
        int rows        = 1;
        for (int d = 0; d + 1 < dims; ++d) rows *= mLength[d];

        const int threads = backend()->threadNumber();
        // Rows are independent; a single long row is split into pieces so every thread gets work.
        const int parts   = rows < threads ? threads : 1;
        const int partLen = UP_DIV(inner, parts);
        const int tasks   = rows * parts;
        const int chunk   = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, tasks);
            for (int task = begin; task < end; ++task) {
                const int row   = task / parts;
                const int start = (task % parts) * partLen;
                const int stop  = ALIMIN(start + partLen, inner);
                if (start >= stop) {
                    continue;
                }
                // Offset of this row in the slope from its multi-index over the outer dimensions.
                size_t offS = 0;
                int rest    = row;
                for (int d = dims - 2; d >= 0; --d) {
                    offS += (size_t)(rest % mLength[d]) * mStrideS[d];
                    rest /= mLength[d];
                }
                const size_t offX = (size_t)row * inner + start;
                const float* xs   = x + offX;
                float* ys         = y + offX;
                const int n       = stop - start;
                if (sS == 1) {  // one slope per element of the run
                    const float* ss = slope + offS + start;
                    for (int i = 0; i < n; ++i) {
                        ys[i] = std::max(xs[i], 0.0f) + ss[i] * std::min(xs[i], 0.0f);
                    }
                } else {  // the whole run shares one slope value
                    const float s = slope[offS];
                    for (int i = 0; i < n; ++i) {
                        ys[i] = std::max(xs[i], 0.0f) + s * std::min(xs[i], 0.0f);
                    }
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    std::vector<int> mLength, mStrideS;
};

class CPUPReluCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUPRelu(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUPReluCreator, OpType_PRelu);

} // namespace MNN
