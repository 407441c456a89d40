// Conv (ONNX), 1-D, 2-D or 3-D: X [N, C, (D,) (H,) W], W [M, C/group, (kD,) (kH,) kW], optional
// B [M] -> Y [N, M, (OD,) (OH,) OW], with strides, pads (all begins, then all ends), dilations, group
// (depthwise = group equal to C) and auto_pad. The output size is taken from the output tensor.
// All ranks run as 3-D: a 2-D conv has a depth of 1, a 1-D conv also a height of 1.
//
// Scheme (a direct convolution with register tiling, no im2col matrix):
//  1. X is copied once per call into a zero-padded buffer, so the inner loops need no bounds tests.
//     Every buffer row is stored as strideW phases: input columns w = ph, ph + s, ph + 2s, ... sit
//     next to each other. Then output column ow and tap kw read phase (kw*dW) % s at column
//     ow + (kw*dW) / s: neighbouring outputs read neighbouring floats for every stride.
//  2. Seen from one output pixel, the convolution is a dot product over the taps (input channel,
//     kd, kh, kw) of the group: weight[oc][tap] * buffer[tap offset + pixel position]. The offsets
//     are precomputed, so a tile of outputs is computed like MatMul's register tile: 2 rows x 32
//     neighbouring output columns, whose 64 sums stay in registers over all taps. The two rows are
//     two output channels (each tap's 32 inputs then serve both), or, when a block has a single
//     output channel (depthwise, odd channel counts), two neighbouring 32-column blocks of it.
//  3. The last tile of a row is computed at full width too (the buffer has slack at its end, extra
//     columns read whatever follows) into a scratch tile, and only the valid columns are copied.
//  4. Rows with very few outputs and long kernel rows (e.g. a kernel as large as the input) would
//     waste most of a 32-wide tile; there each output is a dot product vectorised along kw instead.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kOwTile = 32;  // columns of a register tile row (four AVX registers); a tile has 2 rows
constexpr int kLanes  = 8;   // accumulators of the dot-product path
}  // namespace

class CPUConv : public Execution {
public:
    CPUConv(Backend* backend, int rank, const std::vector<int64_t>& strides, const std::vector<int64_t>& pads,
            const std::vector<int64_t>& dilations, int group, const std::string& autoPad)
        : Execution(backend), mRank(rank), mGroup(group), mAutoPad(autoPad) {
        // Spatial dimension i of the op is dimension 3 - rank + i of the 3-D view.
        for (int i = 0; i < 3; ++i) {
            mStride[i] = mDilation[i] = 1;
            mPadBegin[i] = 0;
        }
        for (int i = 0; i < mRank; ++i) {
            const int v  = 3 - mRank + i;
            mStride[v]   = i < (int)strides.size() ? (int)strides[i] : 1;
            mDilation[v] = i < (int)dilations.size() ? (int)dilations[i] : 1;
            mPadBegin[v] = (int)pads.size() == 2 * mRank ? (int)pads[i] : 0;
        }
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const Tensor* w = inputs[1];
        const Tensor* y = outputs[0];
        if (x->dimensions() != mRank + 2 || w->dimensions() != mRank + 2 || y->dimensions() != mRank + 2) {
            return INVALID_VALUE;
        }
        for (int i = 0; i < 3; ++i) {
            const int d = i - (3 - mRank) + 2;  // tensor dimension of view dimension i
            mIn[i]      = d >= 2 ? x->length(d) : 1;
            mOut[i]     = d >= 2 ? y->length(d) : 1;
            mKernel[i]  = d >= 2 ? w->length(d) : 1;
        }
        if (mGroup < 1 || x->channel() % mGroup != 0 || w->length(0) % mGroup != 0 ||
            w->length(1) * mGroup != x->channel() || w->length(0) != y->channel()) {
            return INVALID_VALUE;
        }
        int padded[3];
        for (int i = 0; i < 3; ++i) {
            // Extent the outputs read: first tap of output 0 to last tap of the last output.
            const int need = (mOut[i] - 1) * mStride[i] + (mKernel[i] - 1) * mDilation[i] + 1;
            if (mAutoPad == "SAME_UPPER" || mAutoPad == "SAME_LOWER") {
                // Total padding so that output = ceil(input / stride); the odd pixel goes at the end
                // (UPPER) or the beginning (LOWER).
                const int total = ALIMAX(0, need - mIn[i]);
                mPadBegin[i]    = mAutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            } else if (mAutoPad == "VALID") {
                mPadBegin[i] = 0;
            }
            padded[i] = ALIMAX(need, mPadBegin[i] + mIn[i]);
        }
        mPaddedD = padded[0];
        mPaddedH = padded[1];
        // Dot-product path (4.) when a row has fewer than 8 outputs and kernel rows of 8+ contiguous taps.
        mDotPath = mOut[2] < 8 && mKernel[2] >= 8 && mDilation[2] == 1;
        mPhases  = mDotPath ? 1 : mStride[2];  // the dot path reads kernel rows unsplit
        // Rows narrower than a tile waste most of it. With stride 1 along H, output (oh, ow) reads the
        // buffer at oh * rowPitch + ow (+ tap offset): then all rows of a depth slice form one long
        // virtual row, column f = oh * rowPitch + ow, whose columns with ow >= OW are computed and
        // dropped (rowPitch - OW of every rowPitch, instead of most of a tile).
        mFlatten = !mDotPath && mStride[1] == 1 && mOut[2] < kOwTile && mOut[1] > 1;
        mPhaseW  = UP_DIV(padded[2], mPhases);
        mRowPitch = mPhases * mPhaseW;
        // Plane stride: a whole number of 64-byte lines, and an odd one. A tile reads the same rows of
        // every input channel; with a stride of a multiple of 4 KB (e.g. 64 x 128 floats) all of them
        // fall into the same L1 sets and evict each other (measured 10x slower).
        mPlaneSize = ROUND_UP((size_t)mPaddedD * mPaddedH * mRowPitch, 16);
        if ((mPlaneSize / 16) % 2 == 0) {
            mPlaneSize += 16;
        }
        // Copy plan of one input row: the buffer columns [mCopyBegin[ph], mCopyEnd[ph]) of phase ph hold
        // input columns q * phases + ph - padLeft.
        mCopyBegin.assign(mPhases, 0);
        mCopyEnd.assign(mPhases, 0);
        for (int ph = 0; ph < mPhases; ++ph) {
            int q = 0;
            while (q < mPhaseW && q * mPhases + ph - mPadBegin[2] < 0) ++q;
            mCopyBegin[ph] = q;
            while (q < mPhaseW && q * mPhases + ph - mPadBegin[2] < mIn[2]) ++q;
            mCopyEnd[ph] = q;
        }
        // Buffer offset of every tap (input channel of the group, kd, kh, kw) relative to the first
        // input position of an output, in the weight's [ic][kd][kh][kw] order. The dot path keeps
        // one offset per kernel row (ic, kd, kh).
        mTapOffset.clear();
        for (int ic = 0; ic < w->length(1); ++ic) {
            for (int kd = 0; kd < mKernel[0]; ++kd) {
                for (int kh = 0; kh < mKernel[1]; ++kh) {
                    const int row = ic * (int)mPlaneSize + (kd * mDilation[0] * mPaddedH + kh * mDilation[1]) * mRowPitch;
                    if (mDotPath) {
                        mTapOffset.push_back(row);
                        continue;
                    }
                    for (int kw = 0; kw < mKernel[2]; ++kw) {
                        const int pos = kw * mDilation[2];
                        mTapOffset.push_back(row + (pos % mPhases) * mPhaseW + pos / mPhases);
                    }
                }
            }
        }
        // Zero border; the slack after the last plane is read by the overhanging part of the last tile
        // (up to 2 * kOwTile - 1 columns past the last valid one).
        mPadded.assign((size_t)x->batch() * x->channel() * mPlaneSize + 2 * kOwTile + mRowPitch, 0.0f);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const Tensor* w = inputs[1];
        const Tensor* b = inputs.size() > 2 ? inputs[2] : nullptr;
        Tensor* y       = outputs[0];
        const int batch = x->batch(), inC = x->channel();
        const int outC    = y->channel();
        const int threads = backend()->threadNumber();

        // 1. Zero-padded, phase-split copy of X. Only the interior is rewritten; the border stays zero
        //    from onResize.
        {
            const float* src = x->host<float>();
            float* dstBase   = mPadded.data();
            const int planes = batch * inC;
            const int chunk  = UP_DIV(planes, threads);
            MNN_CONCURRENCY_BEGIN(tId, threads) {
                const int end = ALIMIN(tId * chunk + chunk, planes);
                for (int p = tId * chunk; p < end; ++p) {
                    for (int d = 0; d < mIn[0]; ++d) {
                        for (int h = 0; h < mIn[1]; ++h) {
                            const float* s = src + (((size_t)p * mIn[0] + d) * mIn[1] + h) * mIn[2];
                            float* row     = dstBase + (size_t)p * mPlaneSize +
                                         ((size_t)(d + mPadBegin[0]) * mPaddedH + h + mPadBegin[1]) * mRowPitch;
                            for (int ph = 0; ph < mPhases; ++ph) {
                                float* dp     = row + (size_t)ph * mPhaseW;
                                const int off = ph - mPadBegin[2];
                                for (int q = mCopyBegin[ph]; q < mCopyEnd[ph]; ++q) dp[q] = s[q * mPhases + off];
                            }
                        }
                    }
                }
            }
            MNN_CONCURRENCY_END();
        }

        // 2. Tiles. A task is one (virtual) output row of one (batch, group), all its output channels:
        //    the row's input rows (icPerGroup x kernel height) stay in cache while every pair of
        //    channels reads them. Tasks write disjoint outputs, so the split is race-free.
        const int ocPerGroup  = outC / mGroup;
        const int icPerGroup  = inC / mGroup;
        const int rows        = mFlatten ? mOut[0] : mOut[0] * mOut[1];  // virtual rows per channel
        const int tasks       = batch * mGroup * rows;
        const size_t outPlane = (size_t)mOut[0] * mOut[1] * mOut[2];
        const float* weight   = w->host<float>();
        const float* bias     = b != nullptr ? b->host<float>() : nullptr;
        float* dst            = y->host<float>();
        const int taps        = icPerGroup * mKernel[0] * mKernel[1] * mKernel[2];
        const int chunk       = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, tasks);
            for (int task = tId * chunk; task < end; ++task) {
                const int n   = task / (mGroup * rows);
                const int g   = (task / rows) % mGroup;
                const int row = task % rows;
                const int od  = mFlatten ? row : row / mOut[1];
                const int oh  = mFlatten ? 0 : row % mOut[1];
                Job job;
                // Buffer position of the first tap of output (od, oh, 0).
                job.in = mPadded.data() + ((size_t)n * inC + (size_t)g * icPerGroup) * mPlaneSize +
                         ((size_t)od * mStride[0] * mPaddedH + (size_t)oh * mStride[1]) * mRowPitch;
                job.weight   = weight + (size_t)g * ocPerGroup * taps;
                job.bias     = bias != nullptr ? bias + g * ocPerGroup : nullptr;
                job.out      = dst + ((size_t)n * outC + (size_t)g * ocPerGroup) * outPlane +
                               ((size_t)od * mOut[1] + oh) * mOut[2];
                job.ocCount  = ocPerGroup;
                job.taps     = taps;
                job.outPlane = outPlane;
                job.length   = mFlatten ? (mOut[1] - 1) * mRowPitch + mOut[2] : mOut[2];
                if (mDotPath) {
                    dotRow(job);
                } else {
                    tileRow(job);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    struct Job {
        const float* in;      // buffer position of tap 0 of the row's first output
        const float* weight;  // the group's first output channel: [ocCount][taps]
        const float* bias;    // nullptr when absent
        float* out;           // the row in the group's first output channel
        int ocCount, taps;
        size_t outPlane;      // distance between output channels
        int length;           // columns of the (virtual) row
    };

    // One (virtual) output row of every output channel of a group, in tiles of 2 x kOwTile outputs.
    //  - Channel pairs: a tile is the same 32 columns of two channels. The loop over channel pairs is
    //    inside the loop over column blocks, so the input a column block reads (icPerGroup x kernel
    //    rows x 32+ columns) stays in L1 while every pair uses it.
    //  - A single channel (depthwise, or the last of an odd count): a tile is 64 neighbouring columns.
    // A full tile of a plain row stores straight into Y; otherwise (the last, partial tile, or a
    // virtual row) into a scratch tile whose valid columns are then copied.
    void tileRow(const Job& job) const {
        TileArgs args{};
        args.taps      = job.taps;
        args.tapOffset = mTapOffset.data();
        float partial[2][kOwTile];
        const int pairs = job.ocCount / 2;
        for (int f = 0; f < job.length && pairs > 0; f += kOwTile) {
            const bool direct = !mFlatten && f + kOwTile <= job.length;
            for (int p = 0; p < pairs; ++p) {
                const int oc   = 2 * p;
                float* out0    = job.out + (size_t)oc * job.outPlane;
                float* out1    = out0 + job.outPlane;
                args.weight[0] = job.weight + (size_t)oc * job.taps;
                args.weight[1] = args.weight[0] + job.taps;
                args.bias[0]   = job.bias != nullptr ? job.bias[oc] : 0.0f;
                args.bias[1]   = job.bias != nullptr ? job.bias[oc + 1] : 0.0f;
                args.dst[0]    = direct ? out0 + f : partial[0];
                args.dst[1]    = direct ? out1 + f : partial[1];
                tile<true>(args, job.in + f);
                if (!direct) {
                    storeColumns(out0, partial[0], f, ALIMIN(kOwTile, job.length - f));
                    storeColumns(out1, partial[1], f, ALIMIN(kOwTile, job.length - f));
                }
            }
        }
        if (job.ocCount % 2 != 0) {
            const int oc   = job.ocCount - 1;
            float* out     = job.out + (size_t)oc * job.outPlane;
            args.xOff[0]   = 0;
            args.xOff[1]   = kOwTile;
            args.weight[0] = args.weight[1] = job.weight + (size_t)oc * job.taps;
            args.bias[0] = args.bias[1] = job.bias != nullptr ? job.bias[oc] : 0.0f;
            for (int f = 0; f < job.length; f += 2 * kOwTile) {
                const bool direct = !mFlatten && f + 2 * kOwTile <= job.length;
                args.dst[0]       = direct ? out + f : partial[0];
                args.dst[1]       = direct ? out + f + kOwTile : partial[1];
                tile<false>(args, job.in + f);
                if (!direct) {
                    storeColumns(out, &partial[0][0], f, ALIMIN(2 * kOwTile, job.length - f));
                }
            }
        }
    }

    // Columns [f, f + count) of a (virtual) row from a scratch tile into the output row.
    void storeColumns(float* out, const float* values, int f, int count) const {
        if (!mFlatten) {
            for (int l = 0; l < count; ++l) out[f + l] = values[l];
            return;
        }
        for (int l = 0; l < count; ++l) {
            const int oh = (f + l) / mRowPitch, ow = (f + l) % mRowPitch;
            if (ow < mOut[2]) {
                out[oh * mOut[2] + ow] = values[l];
            }
        }
    }

    struct TileArgs {
        int taps;
        const int* tapOffset;    // buffer offset of every tap
        ptrdiff_t xOff[2];       // input offset of row j relative to the tile's origin
        const float* weight[2];  // weights of row j: [taps]
        float bias[2];
        float* dst[2];           // where row j's kOwTile outputs go
    };

    // 2 x kOwTile outputs. Row j's column l is bias[j] + sum over taps t of
    // weight[j][t] * inOrigin[xOff[j] + tap offset t + l]: neighbouring columns read neighbouring
    // floats (see the phase split), so every tap is 8 vector FMAs on 8 register accumulators.
    // Tile shape note: g++ 12 keeps the sums in registers only for exactly this shape (2 rows of a
    // compile-time 32 columns, every loop over l of compile-time length); a one-row tile, 4 x 16, or
    // a runtime-length store loop put them on the stack (or even turned loads into gathers) and ran
    // 2-4x slower.
    // SHARED: both rows read the same inputs (two channels), loaded once per tap.
    template <bool SHARED>
    static void tile(const TileArgs& a, const float* inOrigin) {
        float acc[2][kOwTile];
        for (int j = 0; j < 2; ++j) {
            for (int l = 0; l < kOwTile; ++l) acc[j][l] = a.bias[j];
        }
        const int* tapOffset = a.tapOffset;
        for (int t = 0; t < a.taps; ++t) {
            for (int j = 0; j < 2; ++j) {
                const float* xp = inOrigin + (SHARED ? 0 : a.xOff[j]) + tapOffset[t];
                const float wv  = a.weight[j][t];
                for (int l = 0; l < kOwTile; ++l) acc[j][l] += wv * xp[l];
            }
        }
        for (int j = 0; j < 2; ++j) {
            for (int l = 0; l < kOwTile; ++l) a.dst[j][l] = acc[j][l];
        }
    }

    // Dot-product path: every output of the row is a sum over kernel rows (ic, kd, kh) of a
    // contiguous dot product along kw, accumulated in kLanes independent lanes.
    void dotRow(const Job& job) const {
        const int kernelW    = mKernel[2];
        const int rows       = (int)mTapOffset.size();  // kernel rows per output channel
        const int* rowOffset = mTapOffset.data();
        for (int j = 0; j < job.ocCount; ++j) {
            const float* wOc = job.weight + (size_t)j * job.taps;
            float* outRow    = job.out + (size_t)j * job.outPlane;
            for (int ow = 0; ow < mOut[2]; ++ow) {
                const float* xOrigin = job.in + (size_t)ow * mStride[2];
                float lanes[kLanes]  = {};
                float tail           = 0.0f;
                for (int r = 0; r < rows; ++r) {
                    const float* xp = xOrigin + rowOffset[r];
                    const float* wp = wOc + (size_t)r * kernelW;
                    int kw          = 0;
                    for (; kw + kLanes <= kernelW; kw += kLanes) {
                        for (int l = 0; l < kLanes; ++l) lanes[l] += wp[kw + l] * xp[kw + l];
                    }
                    for (; kw < kernelW; ++kw) tail += wp[kw] * xp[kw];
                }
                float sum = job.bias != nullptr ? job.bias[j] : 0.0f;
                for (int l = 0; l < kLanes; ++l) sum += lanes[l];
                outRow[ow] = sum + tail;
            }
        }
    }

    int mRank, mGroup;
    std::string mAutoPad;
    // Per view dimension (depth, height, width).
    int mStride[3], mDilation[3], mPadBegin[3];
    int mIn[3] = {1, 1, 1}, mOut[3] = {1, 1, 1}, mKernel[3] = {1, 1, 1};
    // Buffer geometry: a plane is mPaddedD x mPaddedH rows of mRowPitch = mPhases x mPhaseW floats.
    int mPaddedD = 0, mPaddedH = 0, mPhases = 1, mPhaseW = 0, mRowPitch = 0;
    size_t mPlaneSize = 0;
    bool mDotPath = false, mFlatten = false;
    std::vector<int> mCopyBegin, mCopyEnd;
    std::vector<float> mPadded;
    std::vector<int> mTapOffset;
};

class CPUConvCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const int rank = inputs[0]->dimensions() - 2;
        if (rank < 1 || rank > 3) {
            return nullptr;  // 1-D to 3-D convolution
        }
        return new CPUConv(backend, rank, op->getInts("strides"), op->getInts("pads"), op->getInts("dilations"),
                           (int)op->getInt("group", 1), op->getString("auto_pad", "NOTSET"));
    }
};

REGISTER_CPU_OP_CREATOR(CPUConvCreator, OpType_Conv);

} // namespace MNN
