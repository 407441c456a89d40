// MaxPool (ONNX), 1-D, 2-D or 3-D: X [N, C, (D,) (H,) W] -> Y [N, C, (OD,) (OH,) OW], with
// kernel_shape, strides, pads (all begins, then all ends), dilations, auto_pad and ceil_mode.
// The output size is taken from the output tensor (ceil_mode only changes it), so only the begin
// pads matter here. Padded positions never win the max. The optional second output Indices (int64,
// flat index into X, storage_order 0) is written when present.
//
// All ranks run as 3-D: a 2-D pool is a 3-D pool with a depth of 1, a 1-D pool also has a height of
// 1 (kernel 1, stride 1, no padding in the added dimensions).
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
        : Execution(backend), mRank((int)kernel.size()), mAutoPad(autoPad) {
        // Spatial dimension i of the op is dimension 3 - rank + i of the 3-D view.
        for (int i = 0; i < 3; ++i) {
            mKernel[i] = mStride[i] = mDilation[i] = 1;
            mPadBegin[i] = 0;
        }
        for (int i = 0; i < mRank; ++i) {
            const int v = 3 - mRank + i;
            mKernel[v]   = (int)kernel[i];
            mStride[v]   = i < (int)strides.size() ? (int)strides[i] : 1;
            mDilation[v] = i < (int)dilations.size() ? (int)dilations[i] : 1;
            mPadBegin[v] = (int)pads.size() == 2 * mRank ? (int)pads[i] : 0;
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
        // SAME_*: output = ceil(in / stride) and the total padding is split, the extra pixel at the
        // end (UPPER) or the beginning (LOWER). VALID: no padding.
        for (int i = 0; i < 3; ++i) {
            if (mAutoPad == "SAME_UPPER" || mAutoPad == "SAME_LOWER") {
                const int total = ALIMAX(0, (mOut[i] - 1) * mStride[i] + (mKernel[i] - 1) * mDilation[i] + 1 - mIn[i]);
                mPadBegin[i]    = mAutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            } else if (mAutoPad == "VALID") {
                mPadBegin[i] = 0;
            }
        }
        const int inW = mIn[2], outW = mOut[2];
        const int kernelW = mKernel[2], strideW = mStride[2], dilationW = mDilation[2], padLeft = mPadBegin[2];
        // For the Indices path: for every kernel column kw, the output columns whose input column
        // ow * strideW - padLeft + kw * dilationW lies inside [0, inW). Precomputed so the inner loop
        // over ow has no bounds test.
        mColBegin.assign(kernelW, 0);
        mColEnd.assign(kernelW, 0);
        for (int kw = 0; kw < kernelW; ++kw) {
            const int shift = kw * dilationW - padLeft;  // iw = ow * strideW + shift
            int begin       = 0;
            while (begin < outW && begin * strideW + shift < 0) ++begin;
            int end = begin;
            while (end < outW && end * strideW + shift < inW) ++end;
            mColBegin[kw] = begin;
            mColEnd[kw]   = end;
        }
        // A window covering the whole plane (a global max pool written as MaxPool): one contiguous
        // reduction per plane instead of row-by-row passes over short rows.
        mWholePlane = true;
        for (int i = 0; i < 3; ++i) {
            mWholePlane = mWholePlane && mOut[i] == 1 && mKernel[i] == mIn[i] && mPadBegin[i] == 0 &&
                          (mDilation[i] == 1 || mKernel[i] == 1);
        }
        // Row buffer of poolPlane: padLeft, the input row, and whatever the last window reaches past it.
        const int reach = (outW - 1) * strideW + (kernelW - 1) * dilationW + 1;
        mPaddedW        = ALIMAX(reach, padLeft + inW);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        Tensor* y       = outputs[0];
        const int planes   = x->batch() * x->channel();
        const int inPlane  = mIn[0] * mIn[1] * mIn[2];
        const int outPlane = mOut[0] * mOut[1] * mOut[2];
        const float* src   = x->host<float>();
        float* dst         = y->host<float>();
        int64_t* indices   = outputs.size() > 1 && outputs[1] != nullptr ? outputs[1]->host<int64_t>() : nullptr;

        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(planes, threads);
        // Every (n, c) plane is independent: threads own disjoint planes of X and Y.
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, planes);
            // Per-thread row buffer for poolPlane: -inf padding | one input row | -inf padding.
            std::vector<float> padded(mPaddedW, -std::numeric_limits<float>::infinity());
            for (int p = begin; p < end; ++p) {
                const float* in = src + (size_t)p * inPlane;
                float* out      = dst + (size_t)p * outPlane;
                if (indices == nullptr && mWholePlane) {
                    out[0] = maxLanes(in, inPlane);
                } else if (indices == nullptr) {
                    if (mStride[2] == 1) {
                        poolPlane<1>(in, out, padded.data());
                    } else if (mStride[2] == 2) {
                        poolPlane<2>(in, out, padded.data());
                    } else {
                        poolPlane<0>(in, out, padded.data());
                    }
                } else {
                    poolPlaneWithIndices(in, out, indices + (size_t)p * outPlane, (int64_t)p * inPlane);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // Maximum of n contiguous floats in 16 independent lanes (two AVX registers; g++ vectorises the
    // fixed-size lane loop).
    static float maxLanes(const float* p, int n) {
        constexpr int kLanes = 16;
        float lanes[kLanes];
        for (int l = 0; l < kLanes; ++l) lanes[l] = -std::numeric_limits<float>::infinity();
        int i = 0;
        for (; i + kLanes <= n; i += kLanes) {
            for (int l = 0; l < kLanes; ++l) lanes[l] = p[i + l] > lanes[l] ? p[i + l] : lanes[l];
        }
        float m = -std::numeric_limits<float>::infinity();
        for (int l = 0; l < kLanes; ++l) m = lanes[l] > m ? lanes[l] : m;
        for (; i < n; ++i) m = p[i] > m ? p[i] : m;
        return m;
    }

    // One plane, values only, as two separable passes per output row (od, oh):
    //  1. vertical: colMax[x] = max over the window's rows (id, ih) of in[id][ih][x], for every input
    //     column x (contiguous loads, vectorises); rows in the padding are skipped, so padding never
    //     wins;
    //  2. horizontal: out[ow] = max over kw of colMax[ow * strideW + kw * dilationW - padLeft].
    //     colMax sits in a buffer with -inf on both sides, so this pass needs no bounds tests
    //     either. STRIDE_W is the stride when known at compile time (the loads then vectorise with
    //     shuffles), 0 for the runtime stride.
    template <int STRIDE_W>
    void poolPlane(const float* in, float* out, float* padded) const {
        const float lowest = -std::numeric_limits<float>::infinity();
        const int strideW  = STRIDE_W > 0 ? STRIDE_W : mStride[2];
        const int inD = mIn[0], inH = mIn[1], inW = mIn[2];
        const int outW     = mOut[2];
        float* colMax      = padded + mPadBegin[2];
        for (int od = 0; od < mOut[0]; ++od) {
            for (int oh = 0; oh < mOut[1]; ++oh) {
                // Pass 1.
                bool any = false;
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
                        if (!any) {
                            for (int c = 0; c < inW; ++c) colMax[c] = inRow[c];
                            any = true;
                        } else {
                            for (int c = 0; c < inW; ++c) colMax[c] = inRow[c] > colMax[c] ? inRow[c] : colMax[c];
                        }
                    }
                }
                if (!any) {  // the window lies entirely in the padding
                    for (int c = 0; c < inW; ++c) colMax[c] = lowest;
                }
                // Pass 2.
                float* row = out + ((size_t)od * mOut[1] + oh) * outW;
                for (int ow = 0; ow < outW; ++ow) row[ow] = lowest;
                for (int kw = 0; kw < mKernel[2]; ++kw) {
                    const float* src = padded + kw * mDilation[2];
                    for (int ow = 0; ow < outW; ++ow) {
                        const float v = src[ow * strideW];
                        row[ow]       = v > row[ow] ? v : row[ow];
                    }
                }
            }
        }
    }

    // Same, also recording the flat index of the maximum; taps are visited in row-major window order
    // and only a strictly greater value replaces, so the first maximum wins.
    void poolPlaneWithIndices(const float* in, float* out, int64_t* idx, int64_t planeOffset) const {
        const float lowest = -std::numeric_limits<float>::infinity();
        const int inD = mIn[0], inH = mIn[1], inW = mIn[2];
        const int outW = mOut[2];
        for (int od = 0; od < mOut[0]; ++od) {
            for (int oh = 0; oh < mOut[1]; ++oh) {
                float* row      = out + ((size_t)od * mOut[1] + oh) * outW;
                int64_t* idxRow = idx + ((size_t)od * mOut[1] + oh) * outW;
                for (int ow = 0; ow < outW; ++ow) {
                    row[ow]    = lowest;
                    idxRow[ow] = -1;
                }
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
                        const int64_t rowStart = ((int64_t)id * inH + ih) * inW;
                        const float* inRow     = in + rowStart;
                        for (int kw = 0; kw < mKernel[2]; ++kw) {
                            const int shift = kw * mDilation[2] - mPadBegin[2];
                            for (int ow = mColBegin[kw]; ow < mColEnd[kw]; ++ow) {
                                const int iw  = ow * mStride[2] + shift;
                                const float v = inRow[iw];
                                if (v > row[ow] || idxRow[ow] < 0) {
                                    row[ow]    = v;
                                    idxRow[ow] = planeOffset + rowStart + iw;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    int mRank;
    std::string mAutoPad;
    // Per view dimension (depth, height, width).
    int mKernel[3], mStride[3], mDilation[3], mPadBegin[3];
    int mIn[3] = {1, 1, 1}, mOut[3] = {1, 1, 1};
    std::vector<int> mColBegin, mColEnd;
    int mPaddedW     = 0;
    bool mWholePlane = false;
};

class CPUMaxPoolCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const std::vector<int64_t> kernel = op->getInts("kernel_shape");
        if (kernel.empty() || kernel.size() > 3 || op->getInt("storage_order", 0) != 0) {
            return nullptr;  // 1-D to 3-D, row-major indices only
        }
        return new CPUMaxPool(backend, kernel, op->getInts("strides"), op->getInts("pads"), op->getInts("dilations"),
                              op->getString("auto_pad", "NOTSET"));
    }
};

REGISTER_CPU_OP_CREATOR(CPUMaxPoolCreator, OpType_MaxPool);

} // namespace MNN
