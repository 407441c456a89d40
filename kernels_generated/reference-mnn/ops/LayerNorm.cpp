// LayerNorm for MNN's CPU backend, written against the real MNN tree (replaces CPULayerNorm.cpp).
// Normalises over the trailing `axis` dimensions of an NCHW float tensor: two passes per row (mean,
// then centred variance) for accuracy, with independent partial sums the compiler vectorises.
#include <cmath>
#include <cstring>
#include <vector>

#include "MNN_generated.h"
#include "backend/cpu/CPUBackend.hpp"
#include "backend/cpu/compute/CommonOptFunction.h"
#include "core/Concurrency.h"
#include "core/Execution.hpp"
#include "core/Macro.h"
#include "core/TensorUtils.hpp"

namespace MNN {

class MKLayerNorm : public Execution {
public:
    MKLayerNorm(Backend* backend, int axes, float epsilon, bool rms, std::vector<float> gamma,
                std::vector<float> beta)
        : Execution(backend), mAxes(axes), mEpsilon(epsilon), mRMS(rms), mGamma(std::move(gamma)),
          mBeta(std::move(beta)) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        Tensor* x = inputs[0];
        if (inputs.size() != 1 || TensorUtils::getDescribe(x)->dimensionFormat == MNN_DATA_FORMAT_NC4HW4 ||
            x->getType() != halide_type_of<float>() || static_cast<CPUBackend*>(backend())->functions()->bytes != 4) {
            return NOT_SUPPORT;  // packed layouts, fused residual input and low precision are not handled here
        }
        const int dims = x->dimensions();
        const int axes = mAxes > 0 ? mAxes : 1;
        mInner = 1;
        mOuter = 1;
        for (int i = 0; i < dims; ++i) (i >= dims - axes ? mInner : mOuter) *= x->length(i);
        if (!mGamma.empty() && (int)mGamma.size() != mInner) return INPUT_DATA_ERROR;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst       = outputs[0]->host<float>();
        const int threads = std::max(1, std::min(static_cast<CPUBackend*>(backend())->threadNumber(), mOuter));
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            for (int r = (int)tId; r < mOuter; r += threads) normRow(src + (size_t)r * mInner, dst + (size_t)r * mInner);
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    void normRow(const float* x, float* y) const {
        const int n = mInner;
        float mean = 0.f;
        if (!mRMS) {
            float s[8] = {0};
            int i = 0;
            for (; i + 8 <= n; i += 8)
                for (int k = 0; k < 8; ++k) s[k] += x[i + k];
            double total = 0.0;
            for (int k = 0; k < 8; ++k) total += s[k];
            for (; i < n; ++i) total += x[i];
            mean = (float)(total / n);
        }
        float q[8] = {0};
        int i = 0;
        for (; i + 8 <= n; i += 8)
            for (int k = 0; k < 8; ++k) {
                const float d = x[i + k] - mean;
                q[k] += d * d;
            }
        double var = 0.0;
        for (int k = 0; k < 8; ++k) var += q[k];
        for (; i < n; ++i) var += (double)(x[i] - mean) * (x[i] - mean);
        const float inv = (float)(1.0 / std::sqrt(var / n + mEpsilon));
        if (mGamma.empty()) {
            for (int j = 0; j < n; ++j) y[j] = (x[j] - mean) * inv;
        } else {
            const float* g = mGamma.data();
            const float* b = mBeta.data();
            for (int j = 0; j < n; ++j) y[j] = (x[j] - mean) * inv * g[j] + b[j];
        }
    }

    int mAxes;
    float mEpsilon;
    bool mRMS;
    std::vector<float> mGamma, mBeta;
    int mInner = 1, mOuter = 1;
};

class CPULayerNormCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const auto* p = op->main_as_LayerNorm();
        if (p == nullptr || p->group() != 1) return nullptr;  // GroupNorm-style grouping: not this kernel
        std::vector<float> gamma, beta;
        if (p->gamma() && p->beta()) {
            gamma.assign(p->gamma()->begin(), p->gamma()->end());
            beta.assign(p->beta()->begin(), p->beta()->end());
        } else if (p->external() && p->external()->size() > 1 && p->external()->Get(1) > 0) {
            return nullptr;  // weights in an external file: not supported by this kernel
        }
        const int axes = p->axis() ? (int)p->axis()->size() : 0;
        return new MKLayerNorm(backend, axes, p->epsilon(), p->useRMSNorm(), std::move(gamma), std::move(beta));
    }
};

REGISTER_CPU_OP_CREATOR(CPULayerNormCreator, OpType_LayerNorm);

} // namespace MNN
