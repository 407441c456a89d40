// GridSample (ONNX opset 16+, 4-D case): samples X [N, C, H, W] at the locations of grid
// [N, Hout, Wout, 2], giving Y [N, C, Hout, Wout]. grid[..., 0] is x (width), grid[..., 1] is y
// (height), both normalised to [-1, 1]. Attributes:
//   mode          "linear"/"bilinear" (default) or "nearest" ("cubic" is not handled here)
//   padding_mode  "zeros" (default): taps outside the image read 0
//                 "border": coordinates are clamped into the image
//                 "reflection": coordinates are reflected at the borders
//   align_corners 0 (default): -1/1 are the outer edges of the corner pixels; 1: their centres
// Unnormalisation, as in ONNX and PyTorch:
//   align_corners=1: ix = (gx + 1) / 2 * (W - 1)      align_corners=0: ix = ((gx + 1) * W - 1) / 2
//
// The sampling positions are the same for every channel, so for each batch entry the 4 tap offsets
// and weights of every output pixel are computed once into scratch memory; then each channel
// plane is produced with contiguous writes and reads from one input plane (which stays in cache).
#include <cmath>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

enum Padding { ZEROS, BORDER, REFLECTION };

// Reflects x into [lo, hi] by folding it back at the bounds (as PyTorch's reflect_coordinates).
inline float reflect(float x, float lo, float hi) {
    if (lo == hi) return lo;
    const float span = hi - lo;
    x                = std::fabs(x - lo);
    const float flips = std::floor(x / span);
    const float extra = x - flips * span;
    return ((int)flips % 2 == 0) ? lo + extra : hi - extra;
}

// The 4 taps of one output pixel: offsets into the input plane and bilinear weights.
// Nearest mode uses tap 0 only (weight 1) and sets the other weights to 0.
struct Taps {
    int off[4];
    float w[4];
};

}  // namespace

class CPUGridSample : public Execution {
public:
    CPUGridSample(Backend* backend, bool nearest, Padding padding, bool alignCorners)
        : Execution(backend), mNearest(nearest), mPadding(padding), mAlign(alignCorners) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x    = inputs[0];
        const Tensor* grid = inputs[1];
        if (x->dimensions() != 4 || grid->dimensions() != 4 || grid->length(3) != 2) return NOT_SUPPORT;
        mTaps.resize((size_t)grid->length(1) * grid->length(2));
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int N = x->length(0), C = x->length(1), H = x->length(2), W = x->length(3);
        const int Ho = inputs[1]->length(1), Wo = inputs[1]->length(2);
        const int P  = Ho * Wo;
        const float* src  = x->host<float>();
        const float* grid = inputs[1]->host<float>();
        float* dst        = outputs[0]->host<float>();
        const int threads = backend()->threadNumber();
        for (int n = 0; n < N; ++n) {
            const float* g = grid + (size_t)n * P * 2;
            const int chunkP = UP_DIV(P, threads);
            MNN_CONCURRENCY_BEGIN(tId, threads) {
                const int begin = tId * chunkP;
                const int end   = ALIMIN(begin + chunkP, P);
                for (int p = begin; p < end; ++p) computeTaps(g[2 * p], g[2 * p + 1], W, H, mTaps[p]);
            }
            MNN_CONCURRENCY_END();
            const int chunkC = UP_DIV(C, threads);
            MNN_CONCURRENCY_BEGIN(tId, threads) {
                const int begin = tId * chunkC;
                const int end   = ALIMIN(begin + chunkC, C);
                for (int c = begin; c < end; ++c) {
                    const float* plane = src + ((size_t)n * C + c) * H * W;
                    float* out         = dst + ((size_t)n * C + c) * P;
                    for (int p = 0; p < P; ++p) {
                        const Taps& t = mTaps[p];
                        out[p] = t.w[0] * plane[t.off[0]] + t.w[1] * plane[t.off[1]] + t.w[2] * plane[t.off[2]] +
                                 t.w[3] * plane[t.off[3]];
                    }
                }
            }
            MNN_CONCURRENCY_END();
        }
        return NO_ERROR;
    }

private:
    // Pixel coordinate of a normalised coordinate along an axis of `size` pixels, with the
    // padding mode's clamping/reflection applied (zeros: unchanged).
    float sourceIndex(float g, int size) const {
        float v = mAlign ? (g + 1.f) * 0.5f * (size - 1) : ((g + 1.f) * size - 1.f) * 0.5f;
        if (mPadding == BORDER) {
            v = ALIMIN(ALIMAX(v, 0.f), (float)(size - 1));
        } else if (mPadding == REFLECTION) {
            v = mAlign ? reflect(v, 0.f, (float)(size - 1)) : reflect(v, -0.5f, size - 0.5f);
            v = ALIMIN(ALIMAX(v, 0.f), (float)(size - 1));
        }
        return v;
    }

    void computeTaps(float gx, float gy, int W, int H, Taps& t) const {
        const float ix = sourceIndex(gx, W);
        const float iy = sourceIndex(gy, H);
        if (mNearest) {
            // Round half to even, as std::nearbyint in the default rounding mode (PyTorch, ORT).
            const int x0 = (int)std::nearbyint(ix), y0 = (int)std::nearbyint(iy);
            const bool in = x0 >= 0 && x0 < W && y0 >= 0 && y0 < H;
            t.off[0] = in ? y0 * W + x0 : 0;
            t.w[0]   = in ? 1.f : 0.f;
            for (int k = 1; k < 4; ++k) {
                t.off[k] = 0;
                t.w[k]   = 0.f;
            }
            return;
        }
        const float fx0 = std::floor(ix), fy0 = std::floor(iy);
        const int x0 = (int)fx0, y0 = (int)fy0;
        const float ax = ix - fx0, ay = iy - fy0;  // fractional parts in [0, 1)
        const int xs[2]   = {x0, x0 + 1};
        const int ys[2]   = {y0, y0 + 1};
        const float wx[2] = {1.f - ax, ax};
        const float wy[2] = {1.f - ay, ay};
        for (int k = 0; k < 4; ++k) {
            const int xx = xs[k & 1], yy = ys[k >> 1];
            // Out-of-image taps (zeros padding) read offset 0 with weight 0: no branch in the channel loop.
            const bool in = xx >= 0 && xx < W && yy >= 0 && yy < H;
            t.off[k]      = in ? yy * W + xx : 0;
            t.w[k]        = in ? wx[k & 1] * wy[k >> 1] : 0.f;
        }
    }

    bool mNearest;
    Padding mPadding;
    bool mAlign;
    std::vector<Taps> mTaps;  // per output pixel of one batch entry
};

class CPUGridSampleCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const std::string mode    = op->getString("mode", "linear");
        const std::string padding = op->getString("padding_mode", "zeros");
        if (mode != "linear" && mode != "bilinear" && mode != "nearest") return nullptr;  // cubic: not here
        const Padding pad = padding == "border" ? BORDER : padding == "reflection" ? REFLECTION : ZEROS;
        return new CPUGridSample(backend, mode == "nearest", pad, op->getInt("align_corners", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUGridSampleCreator, OpType_GridSample);

} // namespace MNN
