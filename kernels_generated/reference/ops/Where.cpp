// Where (ONNX opset 16): out = condition ? X : Y elementwise, with multidirectional (numpy)
// broadcasting of the three inputs to the output shape. condition is bool (one byte, 0/1); X, Y
// and the output share any element type (handled by its byte size, values are only copied).
//
// Broadcasting: every input gets a stride per output dimension (0 where it is broadcast). The
// output is walked row by row (a row = the last output dimension); a row's starting offsets come
// from its coordinates, and inside a row each input either advances (stride 1) or repeats one
// value (stride 0). The common all-same-shape case is one flat loop the compiler vectorises.
#include <cstdint>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// Strides (in elements) of `t` over the output's `dims` dimensions, right-aligned; 0 = broadcast.
std::vector<size_t> broadcastStrides(const Tensor* t, const Tensor* out) {
    const int dims = out->dimensions();
    const int td   = t->dimensions();
    std::vector<size_t> s(dims, 0);
    for (int d = 0; d < td; ++d) {
        const int od = dims - td + d;
        s[od]        = t->length(d) == 1 ? 0 : (size_t)t->stride(d);
    }
    return s;
}

template <typename T>
void select(const uint8_t* c, const T* x, const T* y, T* out, const std::vector<int>& shape,
            const std::vector<size_t> strides[3], bool flat, int threads) {
    const int dims = (int)shape.size();
    size_t total   = 1;
    for (int d : shape) total *= (size_t)d;
    if (total == 0) return;
    if (flat) {
        // Same shape everywhere: contiguous elementwise select.
        const size_t chunk = (total + threads - 1) / threads;
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const size_t begin = (size_t)tId * chunk;
            const size_t end   = ALIMIN(begin + chunk, total);
            for (size_t i = begin; i < end; ++i) out[i] = c[i] ? x[i] : y[i];
        }
        MNN_CONCURRENCY_END();
        return;
    }
    const int cols = dims > 0 ? shape[dims - 1] : 1;
    const int rows = (int)(total / (size_t)cols);
    // Inner strides: 0 (one value repeated along the row) or 1.
    const size_t ic = dims > 0 ? strides[0][dims - 1] : 0;
    const size_t ix = dims > 0 ? strides[1][dims - 1] : 0;
    const size_t iy = dims > 0 ? strides[2][dims - 1] : 0;
    const int chunk = UP_DIV(rows, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, rows);
        for (int r = begin; r < end; ++r) {
            size_t oc = 0, ox = 0, oy = 0;
            int rem = r;
            for (int d = dims - 2; d >= 0; --d) {
                const size_t k = (size_t)(rem % shape[d]);
                rem /= shape[d];
                oc += k * strides[0][d];
                ox += k * strides[1][d];
                oy += k * strides[2][d];
            }
            const uint8_t* cr = c + oc;
            const T* xr       = x + ox;
            const T* yr       = y + oy;
            T* orow           = out + (size_t)r * cols;
            if (ic == 0) {
                // One condition for the whole row: a plain copy of one input's row (or value).
                const T* src = cr[0] ? xr : yr;
                const size_t is = cr[0] ? ix : iy;
                if (is == 1) {
                    for (int k = 0; k < cols; ++k) orow[k] = src[k];
                } else {
                    for (int k = 0; k < cols; ++k) orow[k] = src[0];
                }
            } else if (ix == 1 && iy == 1) {
                for (int k = 0; k < cols; ++k) orow[k] = cr[k] ? xr[k] : yr[k];
            } else {
                for (int k = 0; k < cols; ++k) orow[k] = cr[k] ? xr[k * ix] : yr[k * iy];
            }
        }
    }
    MNN_CONCURRENCY_END();
}

}  // namespace

class CPUWhere : public Execution {
public:
    explicit CPUWhere(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* out = outputs[0];
        mFlat             = true;
        for (int i = 0; i < 3; ++i) {
            const Tensor* t = inputs[i];
            if (t->dimensions() > out->dimensions()) return INVALID_VALUE;
            // Each input dimension must be 1 or equal to the output's.
            for (int d = 0; d < t->dimensions(); ++d) {
                const int od = out->dimensions() - t->dimensions() + d;
                if (t->length(d) != 1 && t->length(d) != out->length(od)) return INVALID_VALUE;
            }
            mStrides[i] = broadcastStrides(t, out);
            mFlat       = mFlat && t->elementSize() == out->elementSize();
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const uint8_t* c  = inputs[0]->host<uint8_t>();
        Tensor* out       = outputs[0];
        const int threads = backend()->threadNumber();
        switch (out->getType().bytes()) {
            case 1:
                select(c, inputs[1]->host<uint8_t>(), inputs[2]->host<uint8_t>(), out->host<uint8_t>(), out->shape(),
                       mStrides, mFlat, threads);
                break;
            case 2:
                select(c, inputs[1]->host<uint16_t>(), inputs[2]->host<uint16_t>(), out->host<uint16_t>(),
                       out->shape(), mStrides, mFlat, threads);
                break;
            case 4:
                select(c, inputs[1]->host<uint32_t>(), inputs[2]->host<uint32_t>(), out->host<uint32_t>(),
                       out->shape(), mStrides, mFlat, threads);
                break;
            case 8:
                select(c, inputs[1]->host<uint64_t>(), inputs[2]->host<uint64_t>(), out->host<uint64_t>(),
                       out->shape(), mStrides, mFlat, threads);
                break;
            default: return NOT_SUPPORT;
        }
        return NO_ERROR;
    }

private:
    std::vector<size_t> mStrides[3];  // condition, X, Y strides over the output dimensions
    bool mFlat = true;                // no broadcasting at all
};

class CPUWhereCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUWhere(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUWhereCreator, OpType_Where);

} // namespace MNN
