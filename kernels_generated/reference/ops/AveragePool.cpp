// AveragePool (ONNX), 1-D, 2-D or 3-D: X [N, C, (D,) (H,) W] -> Y [N, C, (OD,) (OH,) OW], with
// kernel_shape, strides, pads (all begins, then all ends), dilations, auto_pad, ceil_mode and
// count_include_pad. The output size is taken from the output tensor (ceil_mode only changes it).
//
// The divisor of a window is the number of its taps that count:
//   count_include_pad = 0: taps inside the input;
//   count_include_pad = 1: taps inside the padded input [-pad_begin, in + pad_end) - taps that a
//   ceil_mode window hangs past the end padding are not counted (as PyTorch and onnxruntime do).
// Windows are boxes, so that number is the product of a count per dimension, precomputed per output
// coordinate in onResize.
//
// All ranks run as 3-D: a 2-D pool is a 3-D pool with a depth of 1, a 1-D pool also has a height of
// 1 (kernel 1, stride 1, no padding in the added dimensions).
#include <cstdint>
#include <string>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUAveragePool : public Execution {
public:
    CPUAveragePool(Backend* backend, const std::vector<int64_t>& kernel, const std::vector<int64_t>& strides,
                   const std::vector<int64_t>& pads, const std::vector<int64_t>& dilations, const std::string& autoPad,
                   bool countIncludePad)
        : Execution(backend), mRank((int)kernel.size()), mAutoPad(autoPad), mCountIncludePad(countIncludePad) {
        // Spatial dimension i of the op is dimension 3 - rank + i of the 3-D view.
        for (int i = 0; i < 3; ++i) {
            mKernel[i] = mStride[i] = mDilation[i] = 1;
            mPadBegin[i] = mPadEnd[i] = 0;
        }
        for (int i = 0; i < mRank; ++i) {
            const int v  = 3 - mRank + i;
            mKernel[v]   = (int)kernel[i];
            mStride[v]   = i < (int)strides.size() ? (int)strides[i] : 1;
            mDilation[v] = i < (int)dilations.size() ? (int)dilations[i] : 1;
            if ((int)pads.size() == 2 * mRank) {
                mPadBegin[v] = (int)pads[i];
                mPadEnd[v]   = (int)pads[mRank + i];
            }
        }
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const Tensor* y = outputs[0];
        if (x->dimensions() != mRank + 2 || y->dimensions() != mRank + 2) {
            return INVALID_VALUE;
        }
        for (int i = 0; i < 3; ++i) {
            const int d = i - (3 - mRank) + 2;  // tensor dimension of view dimension i
            mIn[i]      = d >= 2 ? x->length(d) : 1;
            mOut[i]     = d >= 2 ? y->length(d) : 1;
        }
        for (int i = 0; i < 3; ++i) {
            // SAME_*: output = ceil(in / stride), the total padding split with the extra pixel at the
            // end (UPPER) or the beginning (LOWER). VALID: no padding.
            if (mAutoPad == "SAME_UPPER" || mAutoPad == "SAME_LOWER") {
                const int total = ALIMAX(0, (mOut[i] - 1) * mStride[i] + (mKernel[i] - 1) * mDilation[i] + 1 - mIn[i]);
                mPadBegin[i]    = mAutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                mPadEnd[i]      = total - mPadBegin[i];
            } else if (mAutoPad == "VALID") {
                mPadBegin[i] = mPadEnd[i] = 0;
            }
            // Taps of output coordinate o that count towards the divisor.
            const int lo = mCountIncludePad ? -mPadBegin[i] : 0;
            const int hi = mCountIncludePad ? mIn[i] + mPadEnd[i] : mIn[i];
            mCount[i].assign(mOut[i], 0.0f);
            for (int o = 0; o < mOut[i]; ++o) {
                int n = 0;
                for (int k = 0; k < mKernel[i]; ++k) {
                    const int pos = o * mStride[i] - mPadBegin[i] + k * mDilation[i];
                    n += pos >= lo && pos < hi ? 1 : 0;
                }
                mCount[i][o] = (float)n;
            }
        }
        // Row buffer of poolPlane: padLeft, the input row, and whatever the last window reaches past it.
        const int reach = (mOut[2] - 1) * mStride[2] + (mKernel[2] - 1) * mDilation[2] + 1;
        mPaddedW        = ALIMAX(reach, mPadBegin[2] + mIn[2]);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x    = inputs[0];
        Tensor* y          = outputs[0];
        const int planes   = x->batch() * x->channel();
        const int inPlane  = mIn[0] * mIn[1] * mIn[2];
        const int outPlane = mOut[0] * mOut[1] * mOut[2];
        const float* src   = x->host<float>();
        float* dst         = y->host<float>();

        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(planes, threads);
        // Every (n, c) plane is independent: threads own disjoint planes of X and Y.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, planes);
            // Per-thread row buffer: zero padding | one row of column sums | zero padding.
            std::vector<float> padded(mPaddedW, 0.0f);
            for (int p = begin; p < end; ++p) {
                const float* in = src + (size_t)p * inPlane;
                float* out      = dst + (size_t)p * outPlane;
                if (mStride[2] == 1) {
                    poolPlane<1>(in, out, padded.data());
                } else if (mStride[2] == 2) {
                    poolPlane<2>(in, out, padded.data());
                } else {
                    poolPlane<0>(in, out, padded.data());
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // One plane as two separable passes per output row (od, oh):
    //  1. vertical: colSum[x] = sum over the window's rows (id, ih) inside the input of in[id][ih][x]
    //     for every input column x (contiguous loads, vectorises); padding rows add nothing;
    //  2. horizontal: out[ow] = sum over kw of colSum[ow * strideW + kw * dilationW - padLeft],
    //     divided by the window's count. colSum sits in a buffer with zeros on both sides, so this
    //     pass needs no bounds tests. STRIDE_W is the stride when known at compile time, 0 for the
    //     runtime stride.
    template <int STRIDE_W>
    void poolPlane(const float* in, float* out, float* padded) const {
        const int strideW = STRIDE_W > 0 ? STRIDE_W : mStride[2];
        const int inD = mIn[0], inH = mIn[1], inW = mIn[2];
        const int outW    = mOut[2];
        float* colSum     = padded + mPadBegin[2];
        const float* countW = mCount[2].data();
        for (int od = 0; od < mOut[0]; ++od) {
            for (int oh = 0; oh < mOut[1]; ++oh) {
                // Pass 1.
                for (int c = 0; c < inW; ++c) colSum[c] = 0.0f;
                for (int kd = 0; kd < mKernel[0]; ++kd) {
                    const int id = od * mStride[0] - mPadBegin[0] + kd * mDilation[0];
                    if (id < 0 || id >= inD) {
                        continue;
                    }
                    for (int kh = 0; kh < mKernel[1]; ++kh) {
                        const int ih = oh * mStride[1] - mPadBegin[1] + kh * mDilation[1];
                        if (ih < 0 || ih >= inH) {
                            continue;
                        }
                        const float* inRow = in + ((size_t)id * inH + ih) * inW;
                        for (int c = 0; c < inW; ++c) colSum[c] += inRow[c];
                    }
                }
                // Pass 2.
                float* row = out + ((size_t)od * mOut[1] + oh) * outW;
                for (int ow = 0; ow < outW; ++ow) row[ow] = 0.0f;
                for (int kw = 0; kw < mKernel[2]; ++kw) {
                    const float* src = padded + kw * mDilation[2];
                    for (int ow = 0; ow < outW; ++ow) row[ow] += src[ow * strideW];
                }
                const float rowCount = mCount[0][od] * mCount[1][oh];
                for (int ow = 0; ow < outW; ++ow) row[ow] = row[ow] / (rowCount * countW[ow]);
            }
        }
    }

    int mRank;
    std::string mAutoPad;
    bool mCountIncludePad;
    // Per view dimension (depth, height, width).
    int mKernel[3], mStride[3], mDilation[3], mPadBegin[3], mPadEnd[3];
    int mIn[3] = {1, 1, 1}, mOut[3] = {1, 1, 1};
    std::vector<float> mCount[3];  // divisor factor per output coordinate
    int mPaddedW = 0;
};

class CPUAveragePoolCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const std::vector<int64_t> kernel = op->getInts("kernel_shape");
        if (kernel.empty() || kernel.size() > 3) {
            return nullptr;  // 1-D to 3-D pooling
        }
        return new CPUAveragePool(backend, kernel, op->getInts("strides"), op->getInts("pads"),
                                  op->getInts("dilations"), op->getString("auto_pad", "NOTSET"),
                                  op->getInt("count_include_pad", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUAveragePoolCreator, OpType_AveragePool);

} // namespace MNN
