// Det for MNN's CPU backend, written against the real MNN tree (replaces CPUDet.cpp).
// Determinant of each trailing M x M matrix by LU decomposition with partial pivoting (the row with
// the largest |pivot| is swapped up, which keeps the elimination stable for general inputs), in
// float32 with the pivot product accumulated in double. One matrix per thread; the working copy of a
// matrix is allocated in onResize.
#include <cmath>
#include <cstring>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Execution.hpp"
#include "core/Macro.h"
#include "core/TensorUtils.hpp"

namespace MNN {

class MKDet : public Execution {
public:
    explicit MKDet(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        Tensor* x = inputs[0];
        if (TensorUtils::getDescribe(x)->dimensionFormat == MNN_DATA_FORMAT_NC4HW4 || x->dimensions() < 2 ||
            x->getType() != halide_type_of<float>()) {
            return NOT_SUPPORT;
        }
        mM = x->length(x->dimensions() - 1);
        if (x->length(x->dimensions() - 2) != mM || mM == 0) return INPUT_DATA_ERROR;
        mBatch = x->elementSize() / (mM * mM);
        mThreads = std::max(1, std::min(static_cast<CPUBackend*>(backend())->threadNumber(), mBatch));
        mWork.assign((size_t)mThreads * mM * mM, 0.f);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* src = inputs[0]->host<float>();
        float* dst = outputs[0]->host<float>();
        MNN_CONCURRENCY_BEGIN(tId, mThreads) {
            float* a = mWork.data() + (size_t)tId * mM * mM;
            for (int b = (int)tId; b < mBatch; b += mThreads) {
                ::memcpy(a, src + (size_t)b * mM * mM, sizeof(float) * mM * mM);
                dst[b] = (float)luDeterminant(a, mM);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    static double luDeterminant(float* a, int n) {
        double det = 1.0;
        for (int k = 0; k < n; ++k) {
            int p = k;
            float best = std::fabs(a[(size_t)k * n + k]);
            for (int i = k + 1; i < n; ++i) {
                const float v = std::fabs(a[(size_t)i * n + k]);
                if (v > best) best = v, p = i;
            }
            if (best == 0.f) return 0.0;  // singular
            if (p != k) {
                float* rk = a + (size_t)k * n;
                float* rp = a + (size_t)p * n;
                for (int j = k; j < n; ++j) std::swap(rk[j], rp[j]);
                det = -det;
            }
            const float* pivotRow = a + (size_t)k * n;
            const float pivot = pivotRow[k];
            det *= pivot;
            const float inv = 1.f / pivot;
            for (int i = k + 1; i < n; ++i) {
                float* row = a + (size_t)i * n;
                const float f = row[k] * inv;
                if (f == 0.f) continue;
                for (int j = k + 1; j < n; ++j) row[j] -= f * pivotRow[j];  // vectorised by the compiler
            }
        }
        return det;
    }

    int mM = 0, mBatch = 0, mThreads = 1;
    std::vector<float> mWork;
};

class CPUDetCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new MKDet(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUDetCreator, OpType_Det);

} // namespace MNN
