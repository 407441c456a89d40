// MaxPool, 2-D (ONNX): X [N, C, H, W] -> Y [N, C, OH, OW], with kernel_shape, strides, pads
// (ONNX order: top, left, bottom, right), dilations, auto_pad and ceil_mode. The output size is
// taken from the output tensor (ceil_mode only changes it). Padded positions never win the max.
// The optional second output Indices (int64, flat index into X, storage_order 0) is written when
// present.
#include <cstdint>
#include <limits>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUMaxPool : public Execution {
public:
    CPUMaxPool(Backend* backend, const std::vector<int64_t>& kernel, const std::vector<int64_t>& strides,
               const std::vector<int64_t>& pads, const std::vector<int64_t>& dilations, const std::string& autoPad)
        : Execution(backend), mAutoPad(autoPad) {
        mKernelH   = kernel.size() > 0 ? (int)kernel[0] : 1;
        mKernelW   = kernel.size() > 1 ? (int)kernel[1] : 1;
        mStrideH   = strides.size() > 0 ? (int)strides[0] : 1;
        mStrideW   = strides.size() > 1 ? (int)strides[1] : 1;
        mDilationH = dilations.size() > 0 ? (int)dilations[0] : 1;
        mDilationW = dilations.size() > 1 ? (int)dilations[1] : 1;
        mPadTop    = pads.size() == 4 ? (int)pads[0] : 0;
        mPadLeft   = pads.size() == 4 ? (int)pads[1] : 0;
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const Tensor* y = outputs[0];
        if (x->dimensions() != 4 || y->dimensions() != 4) {
            return NOT_SUPPORT;  // 2-D pooling only
        }
        const int inH = x->height(), inW = x->width();
        const int outH = y->height(), outW = y->width();
        // SAME_*: output = ceil(in / stride) and the total padding is split, the extra pixel at the
        // end (UPPER) or the beginning (LOWER). VALID: no padding.
        if (mAutoPad == "SAME_UPPER" || mAutoPad == "SAME_LOWER") {
            const int totalH = ALIMAX(0, (outH - 1) * mStrideH + (mKernelH - 1) * mDilationH + 1 - inH);
            const int totalW = ALIMAX(0, (outW - 1) * mStrideW + (mKernelW - 1) * mDilationW + 1 - inW);
            mPadTop  = mAutoPad == "SAME_UPPER" ? totalH / 2 : totalH - totalH / 2;
            mPadLeft = mAutoPad == "SAME_UPPER" ? totalW / 2 : totalW - totalW / 2;
        } else if (mAutoPad == "VALID") {
            mPadTop = mPadLeft = 0;
        }
        // For the Indices path: for every kernel column kw, the output columns whose input column
        // ow * strideW - padLeft + kw * dilationW lies inside [0, inW). Precomputed so the inner loop
        // over ow has no bounds test.
        mColBegin.assign(mKernelW, 0);
        mColEnd.assign(mKernelW, 0);
        for (int kw = 0; kw < mKernelW; ++kw) {
            const int shift = kw * mDilationW - mPadLeft;  // iw = ow * strideW + shift
            int begin       = 0;
            while (begin < outW && begin * mStrideW + shift < 0) ++begin;
            int end = begin;
            while (end < outW && end * mStrideW + shift < inW) ++end;
            mColBegin[kw] = begin;
            mColEnd[kw]   = end;
        }
        // Row buffer of poolPlane: padLeft, the input row, and whatever the last window reaches past it.
        const int reach = (outW - 1) * mStrideW + (mKernelW - 1) * mDilationW + 1;
        mPaddedW        = ALIMAX(reach, mPadLeft + inW);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        Tensor* y       = outputs[0];
        const int planes = x->batch() * x->channel();
        const int inH = x->height(), inW = x->width();
        const int outH = y->height(), outW = y->width();
        const float* src = x->host<float>();
        float* dst       = y->host<float>();
        int64_t* indices = outputs.size() > 1 && outputs[1] != nullptr ? outputs[1]->host<int64_t>() : nullptr;

        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(planes, threads);
        // Every (n, c) plane is independent: threads own disjoint planes of X and Y.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, planes);
            // Per-thread row buffer for poolPlane: -inf padding | one input row | -inf padding.
            std::vector<float> padded(mPaddedW, -std::numeric_limits<float>::infinity());
            for (int p = begin; p < end; ++p) {
                const float* in = src + (size_t)p * inH * inW;
                float* out      = dst + (size_t)p * outH * outW;
                if (indices == nullptr) {
                    if (mStrideW == 1) {
                        poolPlane<1>(in, out, inH, inW, outH, outW, padded.data());
                    } else if (mStrideW == 2) {
                        poolPlane<2>(in, out, inH, inW, outH, outW, padded.data());
                    } else {
                        poolPlane<0>(in, out, inH, inW, outH, outW, padded.data());
                    }
                } else {
                    poolPlaneWithIndices(in, out, indices + (size_t)p * outH * outW, (int64_t)p * inH * inW,
                                         inH, inW, outH, outW);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // One plane, values only, as two separable passes per output row:
    //  1. vertical: colMax[x] = max over the window's rows ih of in[ih][x], for every input column x
    //     (contiguous loads, vectorises); rows in the padding are skipped, so padding never wins;
    //  2. horizontal: out[ow] = max over kw of colMax[ow * strideW + kw * dilationW - padLeft].
    //     colMax sits in a buffer with -inf on both sides, so this pass needs no bounds tests
    //     either. STRIDE_W is the stride when known at compile time (the loads then vectorise with
    //     shuffles), 0 for the runtime stride.
    template <int STRIDE_W>
    void poolPlane(const float* in, float* out, int inH, int inW, int outH, int outW, float* padded) const {
        const float lowest = -std::numeric_limits<float>::infinity();
        const int strideW  = STRIDE_W > 0 ? STRIDE_W : mStrideW;
        float* colMax      = padded + mPadLeft;
        for (int oh = 0; oh < outH; ++oh) {
            // Pass 1.
            bool any = false;
            for (int kh = 0; kh < mKernelH; ++kh) {
                const int ih = oh * mStrideH - mPadTop + kh * mDilationH;
                if (ih < 0 || ih >= inH) {
                    continue;
                }
                const float* inRow = in + (size_t)ih * inW;
                if (!any) {
                    for (int x = 0; x < inW; ++x) colMax[x] = inRow[x];
                    any = true;
                } else {
                    for (int x = 0; x < inW; ++x) colMax[x] = inRow[x] > colMax[x] ? inRow[x] : colMax[x];
                }
            }
            if (!any) {  // the window lies entirely in the top or bottom padding
                for (int x = 0; x < inW; ++x) colMax[x] = lowest;
            }
            // Pass 2.
            float* row = out + (size_t)oh * outW;
            for (int ow = 0; ow < outW; ++ow) row[ow] = lowest;
            for (int kw = 0; kw < mKernelW; ++kw) {
                const float* src = padded + kw * mDilationW;
                for (int ow = 0; ow < outW; ++ow) {
                    const float v = src[ow * strideW];
                    row[ow]       = v > row[ow] ? v : row[ow];
                }
            }
        }
    }

    // Same, also recording the flat index of the maximum; taps are visited in row-major window order
    // and only a strictly greater value replaces, so the first maximum wins.
    void poolPlaneWithIndices(const float* in, float* out, int64_t* idx, int64_t planeOffset, int inH, int inW,
                              int outH, int outW) const {
        const float lowest = -std::numeric_limits<float>::infinity();
        for (int oh = 0; oh < outH; ++oh) {
            float* row      = out + (size_t)oh * outW;
            int64_t* idxRow = idx + (size_t)oh * outW;
            for (int ow = 0; ow < outW; ++ow) {
                row[ow]    = lowest;
                idxRow[ow] = -1;
            }
            for (int kh = 0; kh < mKernelH; ++kh) {
                const int ih = oh * mStrideH - mPadTop + kh * mDilationH;
                if (ih < 0 || ih >= inH) {
                    continue;
                }
                const float* inRow = in + (size_t)ih * inW;
                for (int kw = 0; kw < mKernelW; ++kw) {
                    const int shift = kw * mDilationW - mPadLeft;
                    for (int ow = mColBegin[kw]; ow < mColEnd[kw]; ++ow) {
                        const int iw  = ow * mStrideW + shift;
                        const float v = inRow[iw];
                        if (v > row[ow] || idxRow[ow] < 0) {
                            row[ow]    = v;
                            idxRow[ow] = planeOffset + (int64_t)ih * inW + iw;
                        }
                    }
                }
            }
        }
    }

    int mKernelH, mKernelW, mStrideH, mStrideW, mDilationH, mDilationW, mPadTop, mPadLeft;
    std::string mAutoPad;
    std::vector<int> mColBegin, mColEnd;
    int mPaddedW = 0;
};

class CPUMaxPoolCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const std::vector<int64_t> kernel = op->getInts("kernel_shape");
        if (kernel.size() != 2 || op->getInt("storage_order", 0) != 0) {
            return nullptr;  // 2-D, row-major indices only
        }
        return new CPUMaxPool(backend, kernel, op->getInts("strides", {1, 1}), op->getInts("pads", {0, 0, 0, 0}),
                              op->getInts("dilations", {1, 1}), op->getString("auto_pad", "NOTSET"));
    }
};

REGISTER_CPU_OP_CREATOR(CPUMaxPoolCreator, OpType_MaxPool);

} // namespace MNN
