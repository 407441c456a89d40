// RoiAlign (ONNX opset 16+), float: X [N, C, H, W], rois [R, 4] as (x1, y1, x2, y2) in input-image
// coordinates, batch_indices [R] (int64) -> Y [R, C, output_height, output_width].
// Attributes: mode "avg" (default) or "max", output_height / output_width (1), sampling_ratio (0 =
// adaptive: ceil(roi size / output size) samples per bin and axis), spatial_scale (1.0: image to
// feature-map coordinates), coordinate_transformation_mode "half_pixel" (default; pixel centres at
// +0.5, so 0.5 is subtracted after scaling, no minimum RoI size) or "output_half_pixel" (no shift,
// RoI at least 1 x 1).
//
// Each output bin averages (or takes the max of) a grid of samples, each sample a bilinear
// interpolation of the 4 surrounding pixels. Rules, as in onnxruntime / torchvision:
//   - a sample with y < -1, y > H, x < -1 or x > W contributes 0 (it still counts for the average);
//   - otherwise negative coordinates clamp to 0, and a sample at or past the last row/column uses
//     that row/column for both neighbours.
//   - max mode: the max over samples of the largest of the 4 weighted neighbours (onnxruntime).
// The sampling positions and weights depend only on the RoI, not the channel: they are computed once
// per RoI (4 offsets and 4 weights per sample) and reused for every channel.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
struct Sample {
    int offset[4];    // y * W + x of the 4 neighbours
    float weight[4];  // bilinear weights (all 0 for a sample outside the map)
};
}  // namespace

class CPURoiAlign : public Execution {
public:
    CPURoiAlign(Backend* backend, const std::string& mode, int outH, int outW, int samplingRatio, float scale,
                const std::string& transform)
        : Execution(backend), mOutH(outH), mOutW(outW), mSamplingRatio(samplingRatio), mScale(scale) {
        mMax       = mode == "max";
        mHalfPixel = transform != "output_half_pixel";
        mValid     = (mode == "avg" || mode == "max") && (transform == "half_pixel" || transform == "output_half_pixel");
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (!mValid) {
            return NOT_SUPPORT;
        }
        const Tensor* x = inputs[0];
        if (x->dimensions() != 4 || inputs[1]->dimensions() != 2 || inputs[1]->length(1) != 4) {
            return INVALID_VALUE;
        }
        mRois = inputs[1]->length(0);
        if (outputs[0]->elementSize() != mRois * x->channel() * mOutH * mOutW) {
            return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* xt      = inputs[0];
        const float* x        = xt->host<float>();
        const float* rois     = inputs[1]->host<float>();
        const int64_t* batchI = inputs[2]->host<int64_t>();
        float* y              = outputs[0]->host<float>();
        const int batch = xt->batch(), channels = xt->channel(), height = xt->height(), width = xt->width();
        const int bins = mOutH * mOutW;

        // 1. Sample tables of every RoI: for RoI r, bin b, the samples
        //    mSamples[mFirst[r] + b * count[r] ... + count[r]).
        mSamples.clear();
        mFirst.assign(mRois, 0);
        mCount.assign(mRois, 0);
        for (int r = 0; r < mRois; ++r) {
            if (batchI[r] < 0 || batchI[r] >= batch) {
                return INVALID_VALUE;
            }
            const float* box   = rois + (size_t)r * 4;
            const float offset = mHalfPixel ? 0.5f : 0.0f;
            const float startW = box[0] * mScale - offset, startH = box[1] * mScale - offset;
            float roiW = box[2] * mScale - offset - startW;
            float roiH = box[3] * mScale - offset - startH;
            if (!mHalfPixel) {
                roiW = ALIMAX(roiW, 1.0f);
                roiH = ALIMAX(roiH, 1.0f);
            }
            const float binH = roiH / mOutH, binW = roiW / mOutW;
            const int gridH  = mSamplingRatio > 0 ? mSamplingRatio : (int)std::ceil(roiH / mOutH);
            const int gridW  = mSamplingRatio > 0 ? mSamplingRatio : (int)std::ceil(roiW / mOutW);
            mFirst[r] = (int)mSamples.size();
            mCount[r] = gridH * gridW;
            for (int ph = 0; ph < mOutH; ++ph) {
                for (int pw = 0; pw < mOutW; ++pw) {
                    for (int iy = 0; iy < gridH; ++iy) {
                        const float yy = startH + ph * binH + (iy + 0.5f) * binH / gridH;
                        for (int ix = 0; ix < gridW; ++ix) {
                            const float xx = startW + pw * binW + (ix + 0.5f) * binW / gridW;
                            mSamples.push_back(bilinear(yy, xx, height, width));
                        }
                    }
                }
            }
        }

        // 2. Every (RoI, channel) plane of the output; planes are disjoint, so split them over threads.
        const int planes  = mRois * channels;
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(planes, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, planes);
            for (int plane = tId * chunk; plane < end; ++plane) {
                const int r = plane / channels, c = plane % channels;
                const float* map      = x + ((size_t)batchI[r] * channels + c) * height * width;
                const Sample* samples = mSamples.data() + mFirst[r];
                const int count       = mCount[r];
                float* out            = y + (size_t)plane * bins;
                for (int b = 0; b < bins; ++b) {
                    const Sample* s = samples + (size_t)b * count;
                    float acc       = 0.0f;
                    for (int i = 0; i < count; ++i) {
                        const float v0 = s[i].weight[0] * map[s[i].offset[0]];
                        const float v1 = s[i].weight[1] * map[s[i].offset[1]];
                        const float v2 = s[i].weight[2] * map[s[i].offset[2]];
                        const float v3 = s[i].weight[3] * map[s[i].offset[3]];
                        if (mMax) {
                            const float v = ALIMAX(ALIMAX(v0, v1), ALIMAX(v2, v3));
                            acc           = i == 0 ? v : ALIMAX(acc, v);
                        } else {
                            acc += v0 + v1 + v2 + v3;
                        }
                    }
                    out[b] = mMax ? acc : (count > 0 ? acc / count : 0.0f);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // Neighbours and weights of the bilinear sample at (y, x) on a height x width map.
    static Sample bilinear(float y, float x, int height, int width) {
        Sample s = {{0, 0, 0, 0}, {0.0f, 0.0f, 0.0f, 0.0f}};
        if (y < -1.0f || y > height || x < -1.0f || x > width) {
            return s;  // outside: contributes 0
        }
        y = ALIMAX(y, 0.0f);
        x = ALIMAX(x, 0.0f);
        int yLow = (int)y, xLow = (int)x, yHigh, xHigh;
        if (yLow >= height - 1) {
            yHigh = yLow = height - 1;
            y            = (float)yLow;
        } else {
            yHigh = yLow + 1;
        }
        if (xLow >= width - 1) {
            xHigh = xLow = width - 1;
            x            = (float)xLow;
        } else {
            xHigh = xLow + 1;
        }
        const float ly = y - yLow, lx = x - xLow, hy = 1.0f - ly, hx = 1.0f - lx;
        s.offset[0] = yLow * width + xLow;
        s.offset[1] = yLow * width + xHigh;
        s.offset[2] = yHigh * width + xLow;
        s.offset[3] = yHigh * width + xHigh;
        s.weight[0] = hy * hx;
        s.weight[1] = hy * lx;
        s.weight[2] = ly * hx;
        s.weight[3] = ly * lx;
        return s;
    }

    int mOutH, mOutW, mSamplingRatio;
    float mScale;
    bool mMax = false, mHalfPixel = true, mValid = true;
    int mRois = 0;
    std::vector<Sample> mSamples;
    std::vector<int> mFirst, mCount;
};

class CPURoiAlignCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPURoiAlign(backend, op->getString("mode", "avg"), (int)op->getInt("output_height", 1),
                               (int)op->getInt("output_width", 1), (int)op->getInt("sampling_ratio", 0),
                               op->getFloat("spatial_scale", 1.0f),
                               op->getString("coordinate_transformation_mode", "half_pixel"));
    }
};

REGISTER_CPU_OP_CREATOR(CPURoiAlignCreator, OpType_RoiAlign);

} // namespace MNN
