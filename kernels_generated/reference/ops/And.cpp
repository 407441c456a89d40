// And: c = a AND b elementwise on bool tensors (one byte 0/1) with numpy-style broadcasting.
//
// Broadcasting: the shapes are right-aligned and every output dimension gets, per operand, a stride
// that is 0 where the operand is broadcast. Neighbouring dimensions are merged whenever both operands
// walk them as one (e.g. [8,128,256] with [8,128,256] becomes a single run of 262144 elements), so
// the innermost loop is long and of one of three vectorisable kinds: f(a[i], b[i]), f(a[i], b),
// f(a, b[i]).
#include <cstdint>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// The iteration space after broadcasting and merging: lengths (outer to inner) and element strides.
struct BroadcastPlan {
    std::vector<int> length, strideA, strideB;
};

// Stride of `t` along its dimension `d` for an output length `outLen`; d < 0 means the operand has
// fewer dimensions (an implicit leading 1). False when the shapes do not broadcast.
bool operandStride(const Tensor* t, int d, int outLen, int* stride) {
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

bool makePlan(const Tensor* a, const Tensor* b, const Tensor* c, BroadcastPlan* plan) {
    const int outDims = c->dimensions();
    if (a->dimensions() > outDims || b->dimensions() > outDims) {
        return false;
    }
    BroadcastPlan p;
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
        // dimension once equals stepping through this one entirely (0 == 0 * len for broadcast runs).
        if (!p.length.empty() && p.strideA.back() == sA * len && p.strideB.back() == sB * len) {
            p.length.back() *= len;
            p.strideA.back() = sA;
            p.strideB.back() = sB;
        } else {
            p.length.push_back(len);
            p.strideA.push_back(sA);
            p.strideB.push_back(sB);
        }
    }
    if (p.length.empty()) {  // every dimension is 1: a single element
        p.length  = {1};
        p.strideA = {0};
        p.strideB = {0};
    }
    *plan = p;
    return true;
}

// c = f(a, b) over the plan. The rows (innermost runs) are spread over the threads; a single long
// row is split into pieces so that every thread gets work. Every piece writes its own part of c.
template <typename TIn, typename TOut, typename F>
void runBroadcast(const BroadcastPlan& plan, const TIn* a, const TIn* b, TOut* c, int threads, F f) {
    const int dims  = (int)plan.length.size();
    const int inner = plan.length[dims - 1];
    const int sA    = plan.strideA[dims - 1];
    const int sB    = plan.strideB[dims - 1];
    int rows = 1;
    for (int d = 0; d + 1 < dims; ++d) rows *= plan.length[d];
    const int parts     = rows < threads ? threads : 1;
    const int partLen   = UP_DIV(inner, parts);
    const int tasks     = rows * parts;
    const int chunk     = UP_DIV(tasks, threads);
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
            // Offsets of this row in a and b from its multi-index over the outer dimensions.
            size_t offA = 0, offB = 0;
            int rest    = row;
            for (int d = dims - 2; d >= 0; --d) {
                const int idx = rest % plan.length[d];
                rest /= plan.length[d];
                offA += (size_t)idx * plan.strideA[d];
                offB += (size_t)idx * plan.strideB[d];
            }
            const TIn* ra = a + offA + (size_t)start * sA;
            const TIn* rb = b + offB + (size_t)start * sB;
            TOut* rc      = c + (size_t)row * inner + start;
            const int n   = stop - start;
            // Separate loops per broadcast kind so the compiler vectorises each one.
            if (sA == 1 && sB == 1) {
                for (int i = 0; i < n; ++i) rc[i] = f(ra[i], rb[i]);
            } else if (sA == 1 && sB == 0) {
                const TIn bv = rb[0];
                for (int i = 0; i < n; ++i) rc[i] = f(ra[i], bv);
            } else if (sA == 0 && sB == 1) {
                const TIn av = ra[0];
                for (int i = 0; i < n; ++i) rc[i] = f(av, rb[i]);
            } else {
                // Only a single element gets here (both strides 0 after merging).
                for (int i = 0; i < n; ++i) rc[i] = f(ra[(size_t)i * sA], rb[(size_t)i * sB]);
            }
        }
    }
    MNN_CONCURRENCY_END();
}

}  // namespace

class CPUAnd : public Execution {
public:
    explicit CPUAnd(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (inputs[0]->getType() != inputs[1]->getType()) {
            return INVALID_VALUE;  // ONNX requires both operands to have the same element type
        }
        return makePlan(inputs[0], inputs[1], outputs[0], &mPlan) ? NO_ERROR : INVALID_VALUE;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (outputs[0]->elementSize() == 0) {
            return NO_ERROR;
        }
        const Tensor* a   = inputs[0];
        const Tensor* b   = inputs[1];
        Tensor* c         = outputs[0];
        const int threads = backend()->threadNumber();
        // ONNX bool tensors are one byte holding 0 or 1; testing `!= 0` keeps any nonzero byte true.
        runBroadcast(mPlan, a->host<uint8_t>(), b->host<uint8_t>(), c->host<uint8_t>(), threads,
                     [](uint8_t x, uint8_t y) -> uint8_t { return (uint8_t)((x != 0) & (y != 0)); });
        return NO_ERROR;
    }

private:
    BroadcastPlan mPlan;
};

class CPUAndCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUAnd(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUAndCreator, OpType_And);

} // namespace MNN
