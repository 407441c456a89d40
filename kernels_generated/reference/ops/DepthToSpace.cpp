// DepthToSpace (ONNX): [N, C, H, W] -> [N, C / (b*b), H*b, W*b] with b = `blocksize`. Channel
// blocks of b*b move into b x b spatial tiles. `mode`:
//   DCR (default): out[n][c][h*b + i][w*b + j] = in[n][(i*b + j) * C' + c][h][w]   (C' = C / (b*b))
//   CRD (PyTorch pixel_shuffle): out[n][c][h*b + i][w*b + j] = in[n][c*b*b + i*b + j][h][w]
//
// Work is done per output row (n, c, h*b + i): that row interleaves b input rows (j = 0..b-1),
// each of W elements, so the writes are contiguous and each input row is read sequentially.
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUDepthToSpace : public Execution {
public:
    CPUDepthToSpace(Backend* backend, int block, bool crd) : Execution(backend), mBlock(block), mCRD(crd) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        if (x->dimensions() != 4 || mBlock <= 0 || x->length(1) % (mBlock * mBlock) != 0) return INVALID_VALUE;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x   = inputs[0];
        const int N = x->length(0), C = x->length(1), H = x->length(2), W = x->length(3);
        const int b       = mBlock;
        const int Cout    = C / (b * b);
        const int Wout    = W * b;
        const size_t plane = (size_t)H * W;
        const float* src  = x->host<float>();
        float* dst        = outputs[0]->host<float>();
        // One task per output row: N * Cout * H * b rows of Wout elements.
        const int rows    = N * Cout * H * b;
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(rows, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, rows);
            for (int r = begin; r < end; ++r) {
                // r enumerates (n, c, h, i) with i fastest: output row h*b + i of channel c.
                const int i = r % b;
                const int h = (r / b) % H;
                const int c = (r / (b * H)) % Cout;
                const int n = r / (b * H * Cout);
                float* out  = dst + (((size_t)n * Cout + c) * H * b + (size_t)h * b + i) * Wout;
                for (int j = 0; j < b; ++j) {
                    const int cin  = mCRD ? c * b * b + i * b + j : (i * b + j) * Cout + c;
                    const float* in = src + ((size_t)n * C + cin) * plane + (size_t)h * W;
                    for (int w = 0; w < W; ++w) out[w * b + j] = in[w];
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    int mBlock;
    bool mCRD;
};

class CPUDepthToSpaceCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const std::string mode = op->getString("mode", "DCR");
        return new CPUDepthToSpace(backend, (int)op->getInt("blocksize", 1), mode == "CRD");
    }
};

REGISTER_CPU_OP_CREATOR(CPUDepthToSpaceCreator, OpType_DepthToSpace);

} // namespace MNN
