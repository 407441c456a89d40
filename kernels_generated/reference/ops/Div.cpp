// Div: c = a / b with numpy-style broadcasting, row-major float tensors (IEEE division:
// no special handling of zero divisors, x / 0 gives +-inf or NaN as in PyTorch).
//
// The shapes are right-aligned and every output dimension gets, per operand, a stride that is 0
// where the operand is broadcast. Neighbouring dimensions are then merged whenever both operands
// walk them as one (e.g. [8,32,64,64] / [1,32,1,1] becomes [8, 32, 4096] with b-strides [0, 1, 0]),
// so the innermost loop is long and of one of three kinds: a[i] / b[i], a[i] / b, a / b[i].
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// The elementwise operation; a true division, not a multiplication by 1/b, which would round twice.
struct DivFunctor {
    float operator()(float a, float b) const { return a / b; }
};

class CPUDiv : public Execution {
public:
    explicit CPUDiv(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* a   = inputs[0];
        const Tensor* b   = inputs[1];
        const Tensor* c   = outputs[0];
        const int outDims = c->dimensions();
        if (a->dimensions() > outDims || b->dimensions() > outDims) {
            return INVALID_VALUE;
        }
        // Per output dimension: length and the element stride of each operand (0 = broadcast).
        std::vector<int> length, strideA, strideB;
        for (int d = 0; d < outDims; ++d) {
            const int len = c->length(d);
            int sA = 0, sB = 0;
            if (!operandStride(a, d - (outDims - a->dimensions()), len, &sA) ||
                !operandStride(b, d - (outDims - b->dimensions()), len, &sB)) {
                return INVALID_VALUE;
            }
            if (len == 1) {
                continue;  // contributes nothing to the iteration
            }
            // Merge with the previous (outer) dimension when, for both operands, stepping the outer
            // dimension once equals stepping through this one entirely. A broadcast run (stride 0
            // on both) merges as well: 0 == 0 * len.
            if (!length.empty() && strideA.back() == sA * len && strideB.back() == sB * len) {
                length.back() *= len;
                strideA.back() = sA;
                strideB.back() = sB;
            } else {
                length.push_back(len);
                strideA.push_back(sA);
                strideB.push_back(sB);
            }
        }
        if (length.empty()) {  // every dimension is 1: a single element
            length  = {1};
            strideA = {0};
            strideB = {0};
        }
        mLength  = length;
        mStrideA = strideA;
        mStrideB = strideB;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* a = inputs[0]->host<float>();
        const float* b = inputs[1]->host<float>();
        float* c       = outputs[0]->host<float>();
        if (outputs[0]->elementSize() == 0) {
            return NO_ERROR;
        }
        const int dims  = (int)mLength.size();
        const int inner = mLength[dims - 1];
        const int sA    = mStrideA[dims - 1];
        const int sB    = mStrideB[dims - 1];
        // Number of inner rows: the product of the outer (merged) dimensions.
        int rows = 1;
        for (int d = 0; d + 1 < dims; ++d) rows *= mLength[d];

        // When there are fewer rows than threads (same-shape operands merge into one row), split the
        // rows themselves as well.
        const int threads = backend()->threadNumber();
        int innerParts    = 1;
        int splitInner    = inner;
        if (rows < threads) {
            innerParts = threads;
            splitInner = UP_DIV(inner, innerParts);
        }
        const int tasks = rows * innerParts;
        const int chunk = UP_DIV(tasks, threads);
        const DivFunctor op;
        // Each task writes a disjoint piece of c, so the split is race-free.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, tasks);
            for (int task = begin; task < end; ++task) {
                const int row   = task / innerParts;
                const int part  = task % innerParts;
                const int start = part * splitInner;
                const int stop  = ALIMIN(start + splitInner, inner);
                if (start >= stop) {
                    continue;
                }
                // Offsets of this row in a and b from its multi-index over the outer dimensions.
                size_t offA = 0, offB = 0;
                int rest    = row;
                for (int d = dims - 2; d >= 0; --d) {
                    const int idx = rest % mLength[d];
                    rest /= mLength[d];
                    offA += (size_t)idx * mStrideA[d];
                    offB += (size_t)idx * mStrideB[d];
                }
                applyRow(op, a + offA + (size_t)start * sA, sA, b + offB + (size_t)start * sB, sB,
                         c + (size_t)row * inner + start, stop - start);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // Stride of `t` along its dimension `d` for an output length `outLen`; d < 0 means the operand
    // has fewer dimensions (implicit leading 1). False when the shapes do not broadcast.
    static bool operandStride(const Tensor* t, int d, int outLen, int* stride) {
        if (d < 0) {
            *stride = 0;
            return true;
        }
        const int len = t->length(d);
        if (len == outLen) {
            *stride = len == 1 ? 0 : t->stride(d);
            return true;
        }
        if (len == 1) {
            *stride = 0;
            return true;
        }
        return false;
    }

    // One inner row; the separate loops (one per broadcast kind) let the compiler vectorise each.
    template <typename Op>
    static void applyRow(const Op& op, const float* a, int sA, const float* b, int sB, float* c, int n) {
        if (sA == 1 && sB == 1) {
            for (int i = 0; i < n; ++i) c[i] = op(a[i], b[i]);
        } else if (sA == 1 && sB == 0) {
            const float bv = b[0];
            for (int i = 0; i < n; ++i) c[i] = op(a[i], bv);
        } else if (sA == 0 && sB == 1) {
            const float av = a[0];
            for (int i = 0; i < n; ++i) c[i] = op(av, b[i]);
        } else {
            // Only reachable for a single element (both strides 0 after merging).
            for (int i = 0; i < n; ++i) c[i] = op(a[(size_t)i * sA], b[(size_t)i * sB]);
        }
    }

    std::vector<int> mLength, mStrideA, mStrideB;
};

class CPUDivCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUDiv(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUDivCreator, OpType_Div);

} // namespace MNN
