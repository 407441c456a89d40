// Conv, 2-D (ONNX): X [N, C, H, W], W [M, C/group, KH, KW], optional B [M] -> Y [N, M, OH, OW],
// with strides, pads (top, left, bottom, right), dilations, group and auto_pad.
//
// Scheme (a direct convolution with register tiling, no im2col matrix):
//  1. X is copied once per call into a zero-padded buffer, so the inner loops need no bounds tests
//     (skipped when there is no padding).
//  2. Seen from one output pixel, the convolution is a dot product over the taps (input channel,
//     kh, kw) of the group: weight[oc][tap] * padded[tap offset + pixel position]. The offsets are
//     precomputed, so a tile of outputs is computed like MatMul's register tile: 2 output channels
//     x 32 neighbouring output columns, whose 64 sums stay in registers over all taps. Each tap
//     loads 32 inputs once and uses them for both channels, instead of reloading and storing the
//     output for every tap.
//     Tile shape note: with g++ the 32-wide loop is vectorised as a loop with the sums in
//     registers; 16-wide tiles were fully unrolled first and ran ~10x slower.
//  3. Columns past the last full tile and leftover channels use the same sum with a runtime width.
#include <cstdint>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kOcTile = 2;   // output channels per register tile
constexpr int kOwTile = 32;  // output columns per register tile (four AVX registers)
}  // namespace

class CPUConv : public Execution {
public:
    CPUConv(Backend* backend, const std::vector<int64_t>& strides, const std::vector<int64_t>& pads,
            const std::vector<int64_t>& dilations, int group, const std::string& autoPad)
        : Execution(backend), mGroup(group), mAutoPad(autoPad) {
        mStrideH   = strides.size() > 0 ? (int)strides[0] : 1;
        mStrideW   = strides.size() > 1 ? (int)strides[1] : 1;
        mDilationH = dilations.size() > 0 ? (int)dilations[0] : 1;
        mDilationW = dilations.size() > 1 ? (int)dilations[1] : 1;
        mPadTop    = pads.size() == 4 ? (int)pads[0] : 0;
        mPadLeft   = pads.size() == 4 ? (int)pads[1] : 0;
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const Tensor* w = inputs[1];
        const Tensor* y = outputs[0];
        if (x->dimensions() != 4 || w->dimensions() != 4 || y->dimensions() != 4) {
            return NOT_SUPPORT;  // 2-D convolution only
        }
        mKernelH = w->length(2);
        mKernelW = w->length(3);
        if (mGroup < 1 || x->channel() % mGroup != 0 || w->length(0) % mGroup != 0 ||
            w->length(1) * mGroup != x->channel() || w->length(0) != y->channel()) {
            return INVALID_VALUE;
        }
        const int inH = x->height(), inW = x->width();
        const int outH = y->height(), outW = y->width();
        if (mAutoPad == "SAME_UPPER" || mAutoPad == "SAME_LOWER") {
            // Total padding so that output = ceil(input / stride); the odd pixel goes at the end
            // (UPPER) or the beginning (LOWER).
            const int totalH = ALIMAX(0, (outH - 1) * mStrideH + (mKernelH - 1) * mDilationH + 1 - inH);
            const int totalW = ALIMAX(0, (outW - 1) * mStrideW + (mKernelW - 1) * mDilationW + 1 - inW);
            mPadTop  = mAutoPad == "SAME_UPPER" ? totalH / 2 : totalH - totalH / 2;
            mPadLeft = mAutoPad == "SAME_UPPER" ? totalW / 2 : totalW - totalW / 2;
        } else if (mAutoPad == "VALID") {
            mPadTop = mPadLeft = 0;
        }
        // The padded buffer must hold every position any output reads: top/left padding, the input,
        // then as much bottom/right padding as the last output needs.
        const int needH = (outH - 1) * mStrideH + (mKernelH - 1) * mDilationH + 1;
        const int needW = (outW - 1) * mStrideW + (mKernelW - 1) * mDilationW + 1;
        mPaddedH   = ALIMAX(needH, mPadTop + inH);
        mPaddedW   = ALIMAX(needW, mPadLeft + inW);
        // Offset in the padded input of every tap (input channel of the group, kh, kw) relative to
        // the top-left input position of an output, in the weight's [ic][kh][kw] order.
        mTapOffset.clear();
        for (int ic = 0; ic < w->length(1); ++ic) {
            for (int kh = 0; kh < mKernelH; ++kh) {
                for (int kw = 0; kw < mKernelW; ++kw) {
                    mTapOffset.push_back((ic * mPaddedH + kh * mDilationH) * mPaddedW + kw * mDilationW);
                }
            }
        }
        mNeedsCopy = mPadTop != 0 || mPadLeft != 0 || mPaddedH != inH || mPaddedW != inW;
        if (mNeedsCopy) {
            mPadded.assign((size_t)x->batch() * x->channel() * mPaddedH * mPaddedW, 0.0f);
        } else {
            mPadded.clear();
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const Tensor* w = inputs[1];
        const Tensor* b = inputs.size() > 2 ? inputs[2] : nullptr;
        Tensor* y       = outputs[0];
        const int batch = x->batch(), inC = x->channel(), inH = x->height(), inW = x->width();
        const int outC = y->channel(), outH = y->height(), outW = y->width();
        const int threads = backend()->threadNumber();

        // 1. Zero-padded copy of X. Only the interior is rewritten; the border stays zero from onResize.
        const float* padded = x->host<float>();
        if (mNeedsCopy) {
            const float* src = x->host<float>();
            float* dstBase   = mPadded.data();
            const int planes = batch * inC;
            const int chunk  = UP_DIV(planes, threads);
            MNN_CONCURRENCY_BEGIN(tId, threads) {
                const int end = ALIMIN(tId * chunk + chunk, planes);
                for (int p = tId * chunk; p < end; ++p) {
                    const float* s = src + (size_t)p * inH * inW;
                    float* d       = dstBase + (size_t)p * mPaddedH * mPaddedW + (size_t)mPadTop * mPaddedW + mPadLeft;
                    for (int h = 0; h < inH; ++h) {
                        for (int c = 0; c < inW; ++c) d[(size_t)h * mPaddedW + c] = s[(size_t)h * inW + c];
                    }
                }
            }
            MNN_CONCURRENCY_END();
            padded = mPadded.data();
        }

        // 2. Tiles. A task is one (batch, group, block of kOcTile output channels); tasks write
        //    disjoint output channels, so the split is race-free.
        const int ocPerGroup = outC / mGroup;
        const int icPerGroup = inC / mGroup;
        const int ocBlocks   = UP_DIV(ocPerGroup, kOcTile);
        const int tasks      = batch * mGroup * ocBlocks;
        const float* weight  = w->host<float>();
        const float* bias    = b != nullptr ? b->host<float>() : nullptr;
        float* dst           = y->host<float>();
        const int chunk      = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, tasks);
            for (int task = tId * chunk; task < end; ++task) {
                const int n       = task / (mGroup * ocBlocks);
                const int g       = (task / ocBlocks) % mGroup;
                const int ocBegin = g * ocPerGroup + (task % ocBlocks) * kOcTile;
                const int ocCount = ALIMIN(kOcTile, (g + 1) * ocPerGroup - ocBegin);
                Job job;
                job.in      = padded + ((size_t)n * inC + (size_t)g * icPerGroup) * mPaddedH * mPaddedW;
                job.weight  = weight + (size_t)ocBegin * icPerGroup * mKernelH * mKernelW;
                job.bias    = bias != nullptr ? bias + ocBegin : nullptr;
                job.out     = dst + ((size_t)n * outC + ocBegin) * outH * outW;
                job.ocCount = ocCount;
                job.icCount = icPerGroup;
                job.outH    = outH;
                job.outW    = outW;
                runJob(job);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    struct Job {
        const float* in;      // first input channel of the group, padded layout
        const float* weight;  // first output channel of the block: [ocCount][icCount][KH][KW]
        const float* bias;    // nullptr when absent
        float* out;           // first output channel of the block
        int ocCount, icCount, outH, outW;
    };

    void runJob(const Job& job) const {
        const int fullCols = job.outW - job.outW % kOwTile;
        for (int oh = 0; oh < job.outH; ++oh) {
            if (job.ocCount == kOcTile) {
                for (int ow = 0; ow < fullCols; ow += kOwTile) {
                    if (mStrideW == 1) {
                        tile<1>(job, oh, ow);
                    } else {
                        tile<0>(job, oh, ow);
                    }
                }
                edge(job, oh, fullCols, job.outW);
            } else {
                edge(job, oh, 0, job.outW);
            }
        }
    }

    // kOcTile x kOwTile outputs starting at (row oh, column ow0). The sum over the taps
    // (input channel, kh, kw) is a matrix product like MatMul's register tile: tap t contributes
    // weight[oc][t] * in[tap offset t + column]. UNIT_STRIDE = 1 tells the compiler the input
    // columns are contiguous; 0 uses the runtime stride.
    template <int UNIT_STRIDE>
    void tile(const Job& job, int oh, int ow0) const {
        const int strideW     = UNIT_STRIDE ? 1 : mStrideW;
        const int taps        = (int)mTapOffset.size();  // icCount * KH * KW
        const float* inOrigin = job.in + (size_t)oh * mStrideH * mPaddedW + (size_t)ow0 * strideW;
        const int* tapOffset  = mTapOffset.data();
        float acc[kOcTile][kOwTile];
        for (int j = 0; j < kOcTile; ++j) {
            const float b0 = job.bias != nullptr ? job.bias[j] : 0.0f;
            for (int l = 0; l < kOwTile; ++l) acc[j][l] = b0;
        }
        for (int t = 0; t < taps; ++t) {
            const float* xp = inOrigin + tapOffset[t];
            for (int j = 0; j < kOcTile; ++j) {
                const float wv = job.weight[(size_t)j * taps + t];
                for (int l = 0; l < kOwTile; ++l) acc[j][l] += wv * xp[l * strideW];
            }
        }
        for (int j = 0; j < kOcTile; ++j) {
            float* outRow = job.out + (size_t)j * job.outH * job.outW + (size_t)oh * job.outW + ow0;
            for (int l = 0; l < kOwTile; ++l) outRow[l] = acc[j][l];
        }
    }

    // Outputs [owBegin, owEnd) of row oh for every output channel of the block, one channel and at
    // most kOwTile columns at a time (a runtime-length version of tile()).
    void edge(const Job& job, int oh, int owBegin, int owEnd) const {
        const int taps       = (int)mTapOffset.size();
        const int* tapOffset = mTapOffset.data();
        for (int j = 0; j < job.ocCount; ++j) {
            const float* wOc = job.weight + (size_t)j * taps;
            float* outRow    = job.out + (size_t)j * job.outH * job.outW + (size_t)oh * job.outW;
            for (int ow0 = owBegin; ow0 < owEnd; ow0 += kOwTile) {
                const int count       = ALIMIN(kOwTile, owEnd - ow0);
                const float* inOrigin = job.in + (size_t)oh * mStrideH * mPaddedW + (size_t)ow0 * mStrideW;
                float acc[kOwTile];
                const float b0 = job.bias != nullptr ? job.bias[j] : 0.0f;
                for (int l = 0; l < count; ++l) acc[l] = b0;
                for (int t = 0; t < taps; ++t) {
                    const float* xp = inOrigin + tapOffset[t];
                    const float wv  = wOc[t];
                    for (int l = 0; l < count; ++l) acc[l] += wv * xp[l * mStrideW];
                }
                for (int l = 0; l < count; ++l) outRow[ow0 + l] = acc[l];
            }
        }
    }

    int mGroup;
    std::string mAutoPad;
    int mStrideH, mStrideW, mDilationH, mDilationW, mPadTop, mPadLeft;
    int mKernelH = 1, mKernelW = 1;
    int mPaddedH = 0, mPaddedW = 0;
    bool mNeedsCopy = false;
    std::vector<float> mPadded;
    std::vector<int> mTapOffset;
};

class CPUConvCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUConv(backend, op->getInts("strides", {1, 1}), op->getInts("pads", {0, 0, 0, 0}),
                           op->getInts("dilations", {1, 1}), (int)op->getInt("group", 1),
                           op->getString("auto_pad", "NOTSET"));
    }
};

REGISTER_CPU_OP_CREATOR(CPUConvCreator, OpType_Conv);

} // namespace MNN
