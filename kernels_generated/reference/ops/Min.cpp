// Min (ONNX): elementwise minimum of one or more float tensors (the op is variadic) with
// numpy-style multidirectional broadcasting, row-major. NaN propagates, as in torch.minimum.
//
// The inputs are folded pairwise into the output: pass 1 writes c = min(x0, x1), pass k writes
// c = min(c, x_k). Each pass is a two-operand broadcast over the output shape: per output dimension
// each operand gets a stride that is 0 where it is broadcast, and neighbouring dimensions that both
// operands walk as one are merged (two same-shape tensors become one long row), so the innermost loop
// is long and of one of three vectorisable kinds: min(a[i], b[i]), min(a[i], b), min(a, b[i]).
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

// min that returns NaN when either operand is NaN (std::fmin would drop the NaN).
static inline float minPropagateNaN(float a, float b) {
    return (a < b || a != a) ? a : b;
}

class CPUMin : public Execution {
public:
    explicit CPUMin(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* c = outputs[0];
        for (const Tensor* x : inputs) {
            if (x == nullptr || x->dimensions() > c->dimensions()) {
                return INVALID_VALUE;
            }
        }
        // One pass per input after the first; a single input is min(x0, x0), a broadcast copy.
        mPasses.clear();
        const int n = (int)inputs.size();
        for (int k = 1; k < (n > 1 ? n : 2); ++k) {
            const Tensor* a = k == 1 ? inputs[0] : c;  // later passes fold into the output itself
            const Tensor* b = n > 1 ? inputs[k] : inputs[0];
            Pass pass;
            if (!makePass(a, b, c, &pass)) {
                return INVALID_VALUE;
            }
            mPasses.push_back(pass);
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        float* c = outputs[0]->host<float>();
        if (outputs[0]->elementSize() == 0) {
            return NO_ERROR;
        }
        const int n = (int)inputs.size();
        for (int k = 1; k <= (int)mPasses.size(); ++k) {
            const float* a = k == 1 ? inputs[0]->host<float>() : c;
            const float* b = n > 1 ? inputs[k]->host<float>() : inputs[0]->host<float>();
            // Passes run one after the other: pass k reads what pass k-1 wrote to c.
            runPass(mPasses[k - 1], a, b, c);
        }
        return NO_ERROR;
    }

private:
    // A two-operand broadcast after merging dimensions: lengths and per-operand strides (0 = broadcast).
    struct Pass {
        std::vector<int> length, strideA, strideB;
    };

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

    static bool makePass(const Tensor* a, const Tensor* b, const Tensor* c, Pass* pass) {
        const int outDims = c->dimensions();
        for (int d = 0; d < outDims; ++d) {
            const int len = c->length(d);
            int sA = 0, sB = 0;
            if (!operandStride(a, d - (outDims - a->dimensions()), len, &sA) ||
                !operandStride(b, d - (outDims - b->dimensions()), len, &sB)) {
                return false;
            }
            if (len == 1) {
                continue;  // contributes nothing to the iteration
            }
            // Merge with the previous (outer) dimension when, for both operands, stepping the outer
            // dimension once equals stepping through this one entirely (0 == 0 * len for broadcasts).
            if (!pass->length.empty() && pass->strideA.back() == sA * len && pass->strideB.back() == sB * len) {
                pass->length.back() *= len;
                pass->strideA.back() = sA;
                pass->strideB.back() = sB;
            } else {
                pass->length.push_back(len);
                pass->strideA.push_back(sA);
                pass->strideB.push_back(sB);
            }
        }
        if (pass->length.empty()) {  // every dimension is 1: a single element
            pass->length  = {1};
            pass->strideA = {0};
            pass->strideB = {0};
        }
        return true;
    }

    void runPass(const Pass& pass, const float* a, const float* b, float* c) const {
        const int dims  = (int)pass.length.size();
        const int inner = pass.length[dims - 1];
        const int sA    = pass.strideA[dims - 1];
        const int sB    = pass.strideB[dims - 1];
        int rows        = 1;
        for (int d = 0; d + 1 < dims; ++d) rows *= pass.length[d];

        // Fewer rows than threads (e.g. one long row of same-shape inputs): split the rows too.
        const int threads = backend()->threadNumber();
        int innerParts    = 1;
        int splitInner    = inner;
        if (rows < threads) {
            innerParts = threads;
            splitInner = UP_DIV(inner, innerParts);
        }
        const int tasks = rows * innerParts;
        const int chunk = UP_DIV(tasks, threads);
        // Each task writes a disjoint piece of c; when a == c it reads only that same piece.
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
                    const int idx = rest % pass.length[d];
                    rest /= pass.length[d];
                    offA += (size_t)idx * pass.strideA[d];
                    offB += (size_t)idx * pass.strideB[d];
                }
                minRow(a + offA + (size_t)start * sA, sA, b + offB + (size_t)start * sB, sB,
                       c + (size_t)row * inner + start, stop - start);
            }
        }
        MNN_CONCURRENCY_END();
    }

    // One inner row; the separate loops let the compiler vectorise each broadcast kind.
    static void minRow(const float* a, int sA, const float* b, int sB, float* c, int n) {
        if (sA == 1 && sB == 1) {
            for (int i = 0; i < n; ++i) c[i] = minPropagateNaN(a[i], b[i]);
        } else if (sA == 1 && sB == 0) {
            const float bv = b[0];
            for (int i = 0; i < n; ++i) c[i] = minPropagateNaN(a[i], bv);
        } else if (sA == 0 && sB == 1) {
            const float av = a[0];
            for (int i = 0; i < n; ++i) c[i] = minPropagateNaN(av, b[i]);
        } else {
            // Only reachable for a single element (both strides 0 after merging).
            for (int i = 0; i < n; ++i) c[i] = minPropagateNaN(a[(size_t)i * sA], b[(size_t)i * sB]);
        }
    }

    std::vector<Pass> mPasses;
};

class CPUMinCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUMin(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUMinCreator, OpType_Min);

} // namespace MNN
