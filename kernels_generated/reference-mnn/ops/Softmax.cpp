// Softmax for MNN's CPU backend, written against the real MNN tree (replaces CPUSoftmax.cpp).
// Plain (NCHW) tensors, any axis: the tensor is viewed as [outer, axis, inner]. For inner == 1 each
// row is contiguous: max, then exp and sum in one pass writing into the output, then one scale.
// For inner > 1 the same three passes run across `inner` columns at once, so memory stays sequential.
#include <algorithm>
#include <cmath>
#include <vector>

#include "MNN_generated.h"
#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Execution.hpp"
#include "core/Macro.h"
#include "core/TensorUtils.hpp"

namespace MNN {

class MKSoftmax : public Execution {
public:
    MKSoftmax(Backend* backend, int axis) : Execution(backend), mAxis(axis) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        Tensor* x = inputs[0];
        if (TensorUtils::getDescribe(x)->dimensionFormat == MNN_DATA_FORMAT_NC4HW4 ||
            x->getType() != halide_type_of<float>()) {
            return NOT_SUPPORT;
        }
        const int dims = x->dimensions();
        const int axis = mAxis < 0 ? mAxis + dims : mAxis;
        if (axis < 0 || axis >= dims) return INVALID_VALUE;
        mOuter = mInner = 1;
        for (int i = 0; i < axis; ++i) mOuter *= x->length(i);
        for (int i = axis + 1; i < dims; ++i) mInner *= x->length(i);
        mLen = x->length(axis);
        const int threads = static_cast<CPUBackend*>(backend())->threadNumber();
        mScratch.assign((size_t)threads * (mInner > 1 ? 2 * mInner : 0), 0.f);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst = outputs[0]->host<float>();
        const int threads = std::max(1, std::min(static_cast<CPUBackend*>(backend())->threadNumber(), mOuter));
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            for (int o = (int)tId; o < mOuter; o += threads) {
                const size_t base = (size_t)o * mLen * mInner;
                if (mInner == 1) {
                    row(src + base, dst + base);
                } else {
                    columns(src + base, dst + base, mScratch.data() + (size_t)tId * 2 * mInner);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    void row(const float* x, float* y) const {
        float m = x[0];
        for (int i = 1; i < mLen; ++i) m = std::max(m, x[i]);
        float sum = 0.f;
        for (int i = 0; i < mLen; ++i) {
            const float e = std::exp(x[i] - m);
            y[i] = e;
            sum += e;
        }
        const float inv = 1.f / sum;
        for (int i = 0; i < mLen; ++i) y[i] *= inv;
    }

    void columns(const float* x, float* y, float* scratch) const {
        float* m = scratch;
        float* sum = scratch + mInner;
        std::copy(x, x + mInner, m);
        for (int a = 1; a < mLen; ++a) {
            const float* xa = x + (size_t)a * mInner;
            for (int j = 0; j < mInner; ++j) m[j] = std::max(m[j], xa[j]);
        }
        std::fill(sum, sum + mInner, 0.f);
        for (int a = 0; a < mLen; ++a) {
            const float* xa = x + (size_t)a * mInner;
            float* ya = y + (size_t)a * mInner;
            for (int j = 0; j < mInner; ++j) {
                ya[j] = std::exp(xa[j] - m[j]);
                sum[j] += ya[j];
            }
        }
        for (int j = 0; j < mInner; ++j) sum[j] = 1.f / sum[j];
        for (int a = 0; a < mLen; ++a) {
            float* ya = y + (size_t)a * mInner;
            for (int j = 0; j < mInner; ++j) ya[j] *= sum[j];
        }
    }

    int mAxis;
    int mOuter = 1, mInner = 1, mLen = 1;
    std::vector<float> mScratch;
};

class CPUSoftmaxCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        const auto* p = op->main_as_Axis();
        return new MKSoftmax(backend, p ? p->axis() : -1);
    }
};

REGISTER_CPU_OP_CREATOR(CPUSoftmaxCreator, OpType_Softmax);

} // namespace MNN
