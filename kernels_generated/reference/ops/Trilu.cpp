// Trilu (ONNX opset 14): keeps the upper (upper=1, the default) or lower (upper=0) triangle of the
// last two dimensions [R, C] and sets the rest to 0. The optional second input k (0-D int64, default 0) shifts the diagonal:
//   upper: keep element (i, j) when j - i >= k       lower: keep it when j - i <= k
// Leading dimensions are batches. Element type does not matter (zero is all-zero bytes).
//
// Each row splits into one kept and one zeroed contiguous range, so a row costs a memcpy and a
// memset.
#include <cstdint>
#include <cstring>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUTrilu : public Execution {
public:
    CPUTrilu(Backend* backend, bool upper) : Execution(backend), mUpper(upper) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        if (dims < 2) return INVALID_VALUE;
        const int64_t k = (inputs.size() > 1 && inputs[1] != nullptr) ? inputs[1]->host<int64_t>()[0] : 0;
        const int R = x->length(dims - 2), C = x->length(dims - 1);
        const int batches  = R == 0 ? 0 : x->elementSize() / (R * ALIMAX(C, 1));
        const size_t bytes = x->getType().bytes();
        const uint8_t* src = x->host<uint8_t>();
        uint8_t* dst       = outputs[0]->host<uint8_t>();
        const int rows     = batches * R;
        const int threads  = backend()->threadNumber();
        const int chunk    = UP_DIV(rows, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, rows);
            for (int r = begin; r < end; ++r) {
                const int64_t i = r % R;
                // Column where the row splits: upper keeps j >= i + k, lower keeps j < i + k + 1.
                const int64_t split = ALIMIN(ALIMAX(i + k + (mUpper ? 0 : 1), (int64_t)0), (int64_t)C);
                const uint8_t* s    = src + (size_t)r * C * bytes;
                uint8_t* o          = dst + (size_t)r * C * bytes;
                const size_t left   = (size_t)split * bytes;
                const size_t right  = (size_t)(C - split) * bytes;
                if (mUpper) {
                    // Zeros left of the diagonal, input from it on.
                    std::memset(o, 0, left);
                    std::memcpy(o + left, s + left, right);
                } else {
                    // Input up to and including the diagonal (j <= i + k), zeros after.
                    std::memcpy(o, s, left);
                    std::memset(o + left, 0, right);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    bool mUpper;
};

class CPUTriluCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUTrilu(backend, op->getInt("upper", 1) != 0);  // ONNX default: upper
    }
};

REGISTER_CPU_OP_CREATOR(CPUTriluCreator, OpType_Trilu);

} // namespace MNN
