// BatchNormalization (ONNX opset 15+), inference mode (training_mode = 0): for every channel c of
// X [N, C, D1, ..., Dk] (k >= 0),
//   Y = (X - input_mean[c]) / sqrt(input_var[c] + epsilon) * scale[c] + B[c]
// The statistics are inputs (the running mean/var), not computed from X. The per-channel affine is
// folded into one multiply-add, Y = X * alpha[c] + beta[c], computed once per call (C values) since
// scale, B, mean and var are inputs. `momentum` only updates running statistics in training mode,
// so it does not affect this output.
#include <cmath>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUBatchNormalization : public Execution {
public:
    CPUBatchNormalization(Backend* backend, float epsilon) : Execution(backend), mEpsilon(epsilon) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        if (inputs.size() < 5 || x->dimensions() < 2) {
            return INVALID_VALUE;
        }
        mBatch   = x->length(0);
        mChannel = x->length(1);
        mPlane   = x->dimensions() > 2 ? x->stride(1) : 1;  // product of the spatial dimensions
        for (int i = 1; i <= 4; ++i) {
            if (inputs[i] == nullptr || inputs[i]->elementSize() != mChannel) {
                return INVALID_VALUE;
            }
        }
        mAlpha.assign(mChannel, 0.0f);
        mBeta.assign(mChannel, 0.0f);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x     = inputs[0]->host<float>();
        const float* scale = inputs[1]->host<float>();
        const float* bias  = inputs[2]->host<float>();
        const float* mean  = inputs[3]->host<float>();
        const float* var   = inputs[4]->host<float>();
        float* y           = outputs[0]->host<float>();

        // Fold the normalisation and the affine per channel.
        for (int c = 0; c < mChannel; ++c) {
            const float alpha = scale[c] / std::sqrt(var[c] + mEpsilon);
            mAlpha[c]         = alpha;
            mBeta[c]          = bias[c] - mean[c] * alpha;
        }

        // One task per (n, c) plane: a contiguous run of mPlane elements with one alpha/beta.
        const int planes  = mBatch * mChannel;
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(planes, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int begin = tId * chunk;
            const int end   = ALIMIN(begin + chunk, planes);
            for (int p = begin; p < end; ++p) {
                const int c       = p % mChannel;
                const float alpha = mAlpha[c];
                const float beta  = mBeta[c];
                const float* src  = x + (size_t)p * mPlane;
                float* dst        = y + (size_t)p * mPlane;
                for (int i = 0; i < mPlane; ++i) dst[i] = src[i] * alpha + beta;  // vectorises
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    float mEpsilon;
    int mBatch   = 0;
    int mChannel = 0;
    int mPlane   = 1;
    std::vector<float> mAlpha, mBeta;
};

class CPUBatchNormalizationCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // Training mode (batch statistics, extra running-mean/var outputs) is not an inference kernel.
        if (op->getInt("training_mode", 0) != 0) {
            return nullptr;
        }
        return new CPUBatchNormalization(backend, op->getFloat("epsilon", 1e-5f));
    }
};

REGISTER_CPU_OP_CREATOR(CPUBatchNormalizationCreator, OpType_BatchNormalization);

} // namespace MNN
