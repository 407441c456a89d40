// Tile (ONNX): repeats the input `repeats[d]` times along every dimension d (repeats: 1-D int64,
// one entry per input dimension). out[i_0, ..., i_k] = in[i_0 % d_0, ..., i_k % d_k].
// Element type does not matter (bytes are copied).
//
// The output is produced row by row (a row = the last output dimension): an output row is the
// matching input row (coordinates taken modulo the input shape) written repeats[last] times.
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUTile : public Execution {
public:
    explicit CPUTile(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* in  = inputs[0];
        const Tensor* out = outputs[0];
        const int dims    = in->dimensions();
        if (out->dimensions() != dims || inputs[1]->elementSize() != dims) return INVALID_VALUE;
        for (int d = 0; d < dims; ++d) {
            if (out->length(d) != in->length(d) * (int)inputs[1]->host<int64_t>()[d]) return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* in  = inputs[0];
        const Tensor* out = outputs[0];
        const int dims    = in->dimensions();
        const size_t bytes = in->getType().bytes();
        if (out->elementSize() == 0) return NO_ERROR;
        if (dims == 0) {
            std::memcpy(out->host<uint8_t>(), in->host<uint8_t>(), bytes);
            return NO_ERROR;
        }
        const size_t inRowBytes = (size_t)in->length(dims - 1) * bytes;
        const int reps          = out->length(dims - 1) / in->length(dims - 1);
        int rows                = 1;
        for (int d = 0; d < dims - 1; ++d) rows *= out->length(d);
        const uint8_t* src = in->host<uint8_t>();
        uint8_t* dst       = out->host<uint8_t>();
        const int threads  = backend()->threadNumber();
        const int chunk    = UP_DIV(rows, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, rows);
            for (int r = begin; r < end; ++r) {
                // Input row of output row r: each output coordinate modulo the input length.
                size_t inRow = 0, scale = 1;
                int rem = r;
                for (int d = dims - 2; d >= 0; --d) {
                    const int c = rem % out->length(d);
                    rem /= out->length(d);
                    inRow += (size_t)(c % in->length(d)) * scale;
                    scale *= (size_t)in->length(d);
                }
                const uint8_t* s = src + inRow * inRowBytes;
                uint8_t* o       = dst + (size_t)r * reps * inRowBytes;
                for (int k = 0; k < reps; ++k) std::memcpy(o + (size_t)k * inRowBytes, s, inRowBytes);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }
};

class CPUTileCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUTile(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUTileCreator, OpType_Tile);

} // namespace MNN
