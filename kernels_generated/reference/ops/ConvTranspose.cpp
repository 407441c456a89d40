// ConvTranspose (ONNX), 1-D, 2-D or 3-D: X [N, C, (D,) (H,) W], W [C, M/group, (kD,) (kH,) kW],
// optional B [M] -> Y [N, M, (OD,) (OH,) OW], with strides, pads (all begins, then all ends),
// dilations, group, output_padding, output_shape and auto_pad. The output size is taken from the
// output tensor (output_padding / output_shape only change it); the begin pads place the result.
// All ranks run as 3-D: a 2-D op has a depth of 1, a 1-D op also a height of 1.
//
// Definition: input position i and tap k feed output o = i * stride - padBegin + k * dilation:
//   Y[n, oc, o] = B[oc] + sum over ic of oc's group and taps k of X[n, ic, i] * W[ic, oc', k].
//
// Scheme (output-stationary gather with register tiles, no col2im scatter):
//  1. Per dimension, write o + padBegin = a * stride + ph. Only taps with k * dilation = ph (mod
//     stride) reach o, from input i = a - (k * dilation - ph) / stride. So for each phase ph the taps
//     and their input shifts are fixed (precomputed in onResize); phases without taps give B only.
//  2. Along W, the outputs of one phase (o = b * strideW + pw - padLeft, b = 0, 1, ...) read
//     consecutive input columns b - shift for every tap. A block of 32 consecutive b of one output
//     row and phase is computed like Conv's register tile: first the list of taps that reach it
//     (input channel, kd, kh, kw whose input row exists and whose 32 columns are not all in the zero
//     margin) with their input and weight offsets, then 2 x 32 sums in registers over that list -
//     two output channels at a time (the list serves every channel pair), or, for a single output
//     channel (depthwise), 64 consecutive b.
//  3. X is copied into a buffer with zero columns left and right, so a tile needs no bounds tests.
//     The last tile of a phase is computed at full width; the extra columns are not stored.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kOwTile = 32;  // columns (consecutive b of one phase) of a register tile row; a tile has 2 rows
}  // namespace

class CPUConvTranspose : public Execution {
public:
    CPUConvTranspose(Backend* backend, int rank, const std::vector<int64_t>& strides,
                     const std::vector<int64_t>& pads, const std::vector<int64_t>& dilations,
                     const std::vector<int64_t>& outputPadding, int group, const std::string& autoPad,
                     bool hasOutputShape)
        : Execution(backend), mRank(rank), mGroup(group), mAutoPad(autoPad), mHasOutputShape(hasOutputShape) {
        // Spatial dimension i of the op is dimension 3 - rank + i of the 3-D view.
        for (int i = 0; i < 3; ++i) {
            mStride[i] = mDilation[i] = 1;
            mPadBegin[i] = mOutputPadding[i] = 0;
        }
        for (int i = 0; i < mRank; ++i) {
            const int v       = 3 - mRank + i;
            mStride[v]        = i < (int)strides.size() ? (int)strides[i] : 1;
            mDilation[v]      = i < (int)dilations.size() ? (int)dilations[i] : 1;
            mPadBegin[v]      = (int)pads.size() == 2 * mRank ? (int)pads[i] : 0;
            mOutputPadding[v] = i < (int)outputPadding.size() ? (int)outputPadding[i] : 0;
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
        if (mGroup < 1 || x->channel() % mGroup != 0 || w->length(0) != x->channel() ||
            w->length(1) * mGroup != y->channel()) {
            return INVALID_VALUE;
        }
        for (int i = 0; i < 3; ++i) {
            // With auto_pad SAME_* or an output_shape the pads follow from the output size (ONNX
            // spec): total = stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - out,
            // split with the odd pixel at the end for SAME_UPPER, at the beginning otherwise.
            const int total = mStride[i] * (mIn[i] - 1) + mOutputPadding[i] + (mKernel[i] - 1) * mDilation[i] + 1 -
                              mOut[i];
            if (mAutoPad == "SAME_UPPER") {
                mPadBegin[i] = total / 2;
            } else if (mAutoPad == "SAME_LOWER" || (mHasOutputShape && mAutoPad == "NOTSET")) {
                mPadBegin[i] = total - total / 2;
            } else if (mAutoPad == "VALID") {
                mPadBegin[i] = 0;
            }
            // 1. Taps of every phase: (tap index k, input shift (k * dilation - ph) / stride).
            mTaps[i].assign(mStride[i], {});
            for (int k = 0; k < mKernel[i]; ++k) {
                const int pos = k * mDilation[i];
                mTaps[i][pos % mStride[i]].push_back({k, pos / mStride[i]});
            }
        }
        // 2. Along W: phase pw holds outputs o = b * strideW + pw - padLeft for b in [mBBegin, mBEnd).
        const int strideW = mStride[2];
        mBBegin.assign(strideW, 0);
        mBEnd.assign(strideW, 0);
        int bMax = 0;
        for (int pw = 0; pw < strideW; ++pw) {
            int b = 0;
            while (b * strideW + pw - mPadBegin[2] < 0) ++b;
            mBBegin[pw] = b;
            mBEnd[pw]   = ALIMAX(b, UP_DIV(mOut[2] + mPadBegin[2] - pw, strideW));
            bMax        = ALIMAX(bMax, mBEnd[pw]);
        }
        // 3. Buffer rows: mMargin zero columns (the largest shift), the input row, zeros up to the
        //    last column any tile reads (a single-channel tile spans 2 * kOwTile columns). Rows are
        //    copied with their own pitch so that a tile never reads across into the next row.
        mMargin = 0;
        for (const auto& phase : mTaps[2]) {
            for (const auto& tap : phase) mMargin = ALIMAX(mMargin, tap.shift);
        }
        mRowPitch = mMargin + ALIMAX(mIn[2], bMax + 2 * kOwTile);
        // Plane stride: a whole, odd number of 64-byte lines. A tile reads the same rows of every
        // input channel; with a stride of a multiple of 4 KB all of them fall into the same L1 sets.
        mPlaneSize = ROUND_UP((size_t)mIn[0] * mIn[1] * mRowPitch, 16);
        if ((mPlaneSize / 16) % 2 == 0) {
            mPlaneSize += 16;
        }
        mPadded.assign((size_t)x->batch() * x->channel() * mPlaneSize, 0.0f);
        mPackedWeight.assign((size_t)w->elementSize(), 0.0f);
        // Per-thread tap lists of a tile: at most every (input channel, kd, kh, kw).
        const size_t maxTaps = (size_t)(x->channel() / mGroup) * mKernel[0] * mKernel[1] * mKernel[2];
        mTapLists.assign(backend()->threadNumber(), TapList{std::vector<int>(maxTaps), std::vector<int>(maxTaps)});
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

        // Copy X into the buffer's interior columns; the margins stay zero from onResize.
        {
            const float* src = x->host<float>();
            const int rows   = batch * inC * mIn[0] * mIn[1];
            const int perPlane = mIn[0] * mIn[1];
            const int chunk  = UP_DIV(rows, threads);
            MNN_CONCURRENCY_BEGIN(tId, threads) {
                const int end = ALIMIN(tId * chunk + chunk, rows);
                for (int r = tId * chunk; r < end; ++r) {
                    const float* s = src + (size_t)r * mIn[2];
                    float* d = mPadded.data() + (size_t)(r / perPlane) * mPlaneSize + (size_t)(r % perPlane) * mRowPitch +
                               mMargin;
                    for (int c = 0; c < mIn[2]; ++c) d[c] = s[c];
                }
            }
            MNN_CONCURRENCY_END();
        }

        // Weights repacked per call (W may change between calls) from [ic][oc'][k] to [g][oc'][k][ic']:
        // a tile walks the taps with the input channel innermost, so its weights become contiguous
        // (in the original layout consecutive input channels are ocPerGroup * kernelSize floats
        // apart, e.g. 16 KB: every load in the same L1 set).
        const int ocPerGroup  = outC / mGroup;
        const int icPerGroup  = inC / mGroup;
        const int kernelSize  = mKernel[0] * mKernel[1] * mKernel[2];
        {
            const float* src = w->host<float>();
            float* packed    = mPackedWeight.data();
            for (int ic = 0; ic < inC; ++ic) {
                const int g = ic / icPerGroup, icl = ic % icPerGroup;
                for (int ocl = 0; ocl < ocPerGroup; ++ocl) {
                    const float* s = src + ((size_t)ic * ocPerGroup + ocl) * kernelSize;
                    float* d = packed + (((size_t)g * ocPerGroup + ocl) * kernelSize) * icPerGroup + icl;
                    for (int k = 0; k < kernelSize; ++k) d[(size_t)k * icPerGroup] = s[k];
                }
            }
        }

        // A task is one output row (od, oh) of one (batch, group), all the group's output channels.
        // Tasks write disjoint outputs, so the split is race-free.
        const int rows        = mOut[0] * mOut[1];
        const int tasks       = batch * mGroup * rows;
        const size_t outPlane = (size_t)rows * mOut[2];
        const float* weight   = mPackedWeight.data();
        const float* bias     = b != nullptr ? b->host<float>() : nullptr;
        float* dst            = y->host<float>();
        const int chunk       = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, tasks);
            for (int task = tId * chunk; task < end; ++task) {
                const int n   = task / (mGroup * rows);
                const int g   = (task / rows) % mGroup;
                const int row = task % rows;
                Job job;
                job.in = mPadded.data() + ((size_t)n * inC + (size_t)g * icPerGroup) * mPlaneSize + mMargin;
                job.weight     = weight + (size_t)g * ocPerGroup * kernelSize * icPerGroup;  // packed
                job.bias       = bias != nullptr ? bias + g * ocPerGroup : nullptr;
                job.out        = dst + ((size_t)n * outC + (size_t)g * ocPerGroup) * outPlane + (size_t)row * mOut[2];
                job.outPlane   = outPlane;
                job.ocCount    = ocPerGroup;
                job.icCount    = icPerGroup;
                job.kernelSize = kernelSize;
                job.od         = row / mOut[1];
                job.oh         = row % mOut[1];
                computeRow(job, mTapLists[tId]);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    struct Tap {
        int k;      // tap index along the dimension
        int shift;  // input coordinate = a - shift
    };

    struct TapList {
        std::vector<int> xOffset;  // buffer offset relative to the tile's first column
        std::vector<int> wOffset;  // offset in an output channel's packed weights [k][ic']
    };

    struct Job {
        const float* in;      // the group's first input channel in the buffer, at column 0
        const float* weight;  // packed weights of the group's first output channel: [k][ic']
        const float* bias;    // the group's first output channel, nullptr when absent
        float* out;           // the row in the group's first output channel
        size_t outPlane;
        int ocCount, icCount, kernelSize;
        int od, oh;
    };

    struct TileArgs {
        int taps;
        const int* xOffset;
        const int* wOffset;
        ptrdiff_t xOff[2];       // input offset of tile row j
        const float* weight[2];  // weights of tile row j (output channel)
        float bias[2];
        float* dst[2];           // kOwTile outputs of tile row j (contiguous scratch)
    };

    // Taps reaching the block of `width` consecutive b starting at b0, for output row (od, oh) and
    // W phase pw; returns their number.
    int collectTaps(const Job& job, int pw, int b0, int width, TapList& list) const {
        const int dP = job.od + mPadBegin[0], hP = job.oh + mPadBegin[1];
        const int ad = dP / mStride[0], ah = hP / mStride[1];
        const int kernelHW = mKernel[1] * mKernel[2];
        int n = 0;
        for (const Tap& td : mTaps[0][dP % mStride[0]]) {
            const int id = ad - td.shift;
            if (id < 0 || id >= mIn[0]) {
                continue;  // input depth outside X: contributes nothing
            }
            for (const Tap& th : mTaps[1][hP % mStride[1]]) {
                const int ih = ah - th.shift;
                if (ih < 0 || ih >= mIn[1]) {
                    continue;
                }
                for (const Tap& tw : mTaps[2][pw]) {
                    const int iw0 = b0 - tw.shift;  // input column of the block's first output
                    if (iw0 + width <= 0 || iw0 >= mIn[2]) {
                        continue;  // every column of the block reads the zero margin
                    }
                    const int x0 = (id * mIn[1] + ih) * mRowPitch - tw.shift;
                    const int w0 = (td.k * kernelHW + th.k * mKernel[2] + tw.k) * job.icCount;
                    for (int ic = 0; ic < job.icCount; ++ic) {
                        list.xOffset[n] = ic * (int)mPlaneSize + x0;
                        list.wOffset[n] = w0 + ic;
                        ++n;
                    }
                }
            }
        }
        return n;
    }

    // One output row of every output channel of the group: per W phase, blocks of consecutive b.
    void computeRow(const Job& job, TapList& list) const {
        const int strideW = mStride[2];
        float partial[2][kOwTile];
        TileArgs args{};
        args.xOffset = list.xOffset.data();
        args.wOffset = list.wOffset.data();
        const int pairs = job.ocCount / 2;
        for (int pw = 0; pw < strideW; ++pw) {
            // Channel pairs: the same 32 b of two channels; one tap list serves every pair.
            for (int b0 = mBBegin[pw]; b0 < mBEnd[pw] && pairs > 0; b0 += kOwTile) {
                const int count = ALIMIN(kOwTile, mBEnd[pw] - b0);
                args.taps       = collectTaps(job, pw, b0, count, list);
                for (int p = 0; p < pairs; ++p) {
                    const int oc   = 2 * p;
                    args.weight[0] = job.weight + (size_t)oc * job.kernelSize * job.icCount;
                    args.weight[1] = args.weight[0] + (size_t)job.kernelSize * job.icCount;
                    args.bias[0]   = job.bias != nullptr ? job.bias[oc] : 0.0f;
                    args.bias[1]   = job.bias != nullptr ? job.bias[oc + 1] : 0.0f;
                    args.dst[0]    = partial[0];
                    args.dst[1]    = partial[1];
                    tile<true>(args, job.in + b0);
                    // Output column of b: b * strideW + pw - padLeft.
                    const int first = b0 * strideW + pw - mPadBegin[2];
                    for (int j = 0; j < 2; ++j) {
                        float* o = job.out + (size_t)(oc + j) * job.outPlane + first;
                        for (int l = 0; l < count; ++l) o[l * strideW] = partial[j][l];
                    }
                }
            }
            // A single channel (depthwise, or the last of an odd count): 64 consecutive b.
            if (job.ocCount % 2 != 0) {
                const int oc   = job.ocCount - 1;
                args.xOff[0]   = 0;
                args.xOff[1]   = kOwTile;
                args.weight[0] = args.weight[1] = job.weight + (size_t)oc * job.kernelSize * job.icCount;
                args.bias[0] = args.bias[1] = job.bias != nullptr ? job.bias[oc] : 0.0f;
                args.dst[0]    = partial[0];
                args.dst[1]    = partial[1];
                for (int b0 = mBBegin[pw]; b0 < mBEnd[pw]; b0 += 2 * kOwTile) {
                    const int count = ALIMIN(2 * kOwTile, mBEnd[pw] - b0);
                    args.taps       = collectTaps(job, pw, b0, count, list);
                    tile<false>(args, job.in + b0);
                    float* o = job.out + (size_t)oc * job.outPlane + (b0 * strideW + pw - mPadBegin[2]);
                    for (int l = 0; l < count; ++l) o[l * strideW] = (&partial[0][0])[l];
                }
            }
        }
    }

    // 2 x kOwTile sums: row j, column l = bias[j] + sum over the listed taps t of
    // weight[j][wOffset[t]] * inOrigin[xOff[j] + xOffset[t] + l]. SHARED: both rows read the same
    // inputs (two channels), loaded once per tap. As in Conv, this exact shape (2 rows of a
    // compile-time 32 columns) is what g++ 12 keeps in registers.
    template <bool SHARED>
    static void tile(const TileArgs& a, const float* inOrigin) {
        float acc[2][kOwTile];
        for (int j = 0; j < 2; ++j) {
            for (int l = 0; l < kOwTile; ++l) acc[j][l] = a.bias[j];
        }
        for (int t = 0; t < a.taps; ++t) {
            for (int j = 0; j < 2; ++j) {
                const float* xp = inOrigin + (SHARED ? 0 : a.xOff[j]) + a.xOffset[t];
                const float wv  = a.weight[j][a.wOffset[t]];
                for (int l = 0; l < kOwTile; ++l) acc[j][l] += wv * xp[l];
            }
        }
        for (int j = 0; j < 2; ++j) {
            for (int l = 0; l < kOwTile; ++l) a.dst[j][l] = acc[j][l];
        }
    }

    int mRank, mGroup;
    std::string mAutoPad;
    bool mHasOutputShape;
    // Per view dimension (depth, height, width).
    int mStride[3], mDilation[3], mPadBegin[3], mOutputPadding[3];
    int mIn[3] = {1, 1, 1}, mOut[3] = {1, 1, 1}, mKernel[3] = {1, 1, 1};
    std::vector<std::vector<Tap>> mTaps[3];  // [dimension][phase] -> taps
    std::vector<int> mBBegin, mBEnd;         // per W phase
    int mMargin = 0, mRowPitch = 0;
    size_t mPlaneSize = 0;
    std::vector<float> mPadded;
    std::vector<float> mPackedWeight;  // [group][oc'][k][ic']
    std::vector<TapList> mTapLists;    // per thread
};

class CPUConvTransposeCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const int rank = inputs[0]->dimensions() - 2;
        if (rank < 1 || rank > 3) {
            return nullptr;  // 1-D to 3-D
        }
        return new CPUConvTranspose(backend, rank, op->getInts("strides"), op->getInts("pads"),
                                    op->getInts("dilations"), op->getInts("output_padding"),
                                    (int)op->getInt("group", 1), op->getString("auto_pad", "NOTSET"),
                                    op->hasAttr("output_shape"));
    }
};

REGISTER_CPU_OP_CREATOR(CPUConvTransposeCreator, OpType_ConvTranspose);

} // namespace MNN
