// Gemm (ONNX): Y = alpha * A' x B' + beta * C, where A' = transpose(A) if transA else A ([M, K]),
// B' = transpose(B) if transB else B ([K, N]), and the optional C broadcasts to [M, N]
// (a scalar, [N], [1, N], [M, 1] or [M, N]). Defaults: alpha = beta = 1, transA = transB = 0.
//
// Scheme (the i-k-j matrix product with register tiles and a packed panel of B'):
//  1. A transposed A is copied once per call into a row-major [M, K] scratch matrix (32 x 32 blocks
//     keep reads and writes within a few cache lines).
//  2. Y is computed in column strips of kColTile = 32 columns. The strip's K x 32 panel of B' is
//     the only part of B that strip needs: it stays in cache while every row band of Y uses it, so
//     B is read from memory once instead of once per row band (a [512, 256] weight does not fit
//     in L2). With transB the panel is gathered from B's rows into a contiguous scratch panel.
//  3. Within a strip, three rows of Y are computed at a time with their 3 x 32 sums in registers
//     (3 x 4 AVX registers) over the whole k loop: row i of Y += A'[i][k] * row k of the panel, the
//     innermost loop over contiguous memory. Every loaded panel element is used three times.
//  4. alpha and beta * C are applied when a tile is stored (no second pass over Y).
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kRowTile   = 3;   // rows of Y per register tile
constexpr int kColTile   = 32;  // columns of Y per register tile (four AVX registers per row)
constexpr int kCopyBlock = 32;  // block edge of the transposing copy

// dst[c][r] = src[r][c] for a rows x cols row-major src, in square blocks.
void transposeCopy(const float* src, float* dst, int rows, int cols) {
    for (int r0 = 0; r0 < rows; r0 += kCopyBlock) {
        const int r1 = ALIMIN(r0 + kCopyBlock, rows);
        for (int c0 = 0; c0 < cols; c0 += kCopyBlock) {
            const int c1 = ALIMIN(c0 + kCopyBlock, cols);
            for (int r = r0; r < r1; ++r) {
                for (int c = c0; c < c1; ++c) dst[(size_t)c * rows + r] = src[(size_t)r * cols + c];
            }
        }
    }
}
}  // namespace

class CPUGemm : public Execution {
public:
    CPUGemm(Backend* backend, float alpha, float beta, bool transA, bool transB)
        : Execution(backend), mAlpha(alpha), mBeta(beta), mTransA(transA), mTransB(transB) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* a = inputs[0];
        const Tensor* b = inputs[1];
        const Tensor* c = inputs.size() > 2 ? inputs[2] : nullptr;
        if (a->dimensions() != 2 || b->dimensions() != 2) {
            return INVALID_VALUE;
        }
        mM = mTransA ? a->length(1) : a->length(0);
        mK = mTransA ? a->length(0) : a->length(1);
        mN = mTransB ? b->length(0) : b->length(1);
        const int kB = mTransB ? b->length(1) : b->length(0);
        if (kB != mK || outputs[0]->elementSize() != mM * mN) {
            return INVALID_VALUE;
        }
        // C broadcasting (unidirectional, right-aligned to [M, N]): its element for Y[i][j] is
        // C[i * mCRowStride + j * mCColStride], a stride being 0 along a broadcast dimension.
        mCRowStride = mCColStride = 0;
        if (c != nullptr) {
            const int cDims = c->dimensions();
            if (cDims > 2) {
                return INVALID_VALUE;
            }
            const int cRows = cDims == 2 ? c->length(0) : 1;
            const int cCols = cDims >= 1 ? c->length(cDims - 1) : 1;
            if ((cRows != 1 && cRows != mM) || (cCols != 1 && cCols != mN)) {
                return INVALID_VALUE;
            }
            mCColStride = cCols == 1 ? 0 : 1;
            mCRowStride = cRows == 1 ? 0 : cCols;
        }
        mPackedA.resize(mTransA ? (size_t)mM * mK : 0);
        // One K x kColTile panel of B' per thread.
        mPanel.resize(mTransB ? (size_t)backend()->threadNumber() * mK * kColTile : 0);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* cTensor = inputs.size() > 2 ? inputs[2] : nullptr;
        const float* a = inputs[0]->host<float>();
        const float* b = inputs[1]->host<float>();
        if (mTransA) {
            transposeCopy(a, mPackedA.data(), mK, mM);  // A is [K, M]
            a = mPackedA.data();
        }
        Epilogue epi;
        epi.alpha      = mAlpha;
        epi.beta       = mBeta;
        epi.c          = cTensor != nullptr ? cTensor->host<float>() : nullptr;
        epi.cRowStride = mCRowStride;
        epi.cColStride = mCColStride;
        float* y = outputs[0]->host<float>();
        if (mM * mN == 0) {
            return NO_ERROR;
        }
        // A task is one column strip of Y: disjoint outputs, race-free.
        const int strips  = UP_DIV(mN, kColTile);
        const int threads = backend()->threadNumber();
        const int chunk   = UP_DIV(strips, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, strips);
            for (int strip = tId * chunk; strip < end; ++strip) {
                const int j0    = strip * kColTile;
                const int width = ALIMIN(kColTile, mN - j0);
                // The strip's panel of B': row k at panel + k * ldp.
                const float* panel;
                int ldp;
                if (mTransB) {
                    float* packed = mPanel.data() + (size_t)tId * mK * kColTile;
                    for (int j = 0; j < width; ++j) {
                        const float* bRow = b + (size_t)(j0 + j) * mK;  // B is [N, K]: row j0+j is column j0+j of B'
                        for (int k = 0; k < mK; ++k) packed[(size_t)k * kColTile + j] = bRow[k];
                    }
                    panel = packed;
                    ldp   = kColTile;
                } else {
                    panel = b + j0;
                    ldp   = mN;
                }
                multiplyStrip(a, panel, ldp, y, j0, width, epi);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    struct Epilogue {
        float alpha, beta;
        const float* c;  // nullptr: no C term
        int cRowStride, cColStride;
        // Final value of Y[row][col] from the accumulated product.
        float apply(float acc, int row, int col) const {
            float v = alpha * acc;
            if (c != nullptr) v += beta * c[(size_t)row * cRowStride + (size_t)col * cColStride];
            return v;
        }
    };

    // Columns [j0, j0 + width) of every row of Y, width <= kColTile, from the panel of B'.
    void multiplyStrip(const float* a, const float* panel, int ldp, float* y, int j0, int width,
                       const Epilogue& epi) const {
        int row0 = 0;
        if (width == kColTile) {
            for (; row0 + kRowTile <= mM; row0 += kRowTile) {
                // Register tile: kRowTile x kColTile sums; each panel element is reused kRowTile times.
                const float* aRows = a + (size_t)row0 * mK;
                float acc[kRowTile][kColTile] = {};
                for (int k = 0; k < mK; ++k) {
                    const float* bRow = panel + (size_t)k * ldp;
                    for (int r = 0; r < kRowTile; ++r) {
                        const float av = aRows[(size_t)r * mK + k];
                        for (int j = 0; j < kColTile; ++j) acc[r][j] += av * bRow[j];
                    }
                }
                for (int r = 0; r < kRowTile; ++r) {
                    float* yRow = y + (size_t)(row0 + r) * mN + j0;
                    for (int j = 0; j < kColTile; ++j) yRow[j] = epi.apply(acc[r][j], row0 + r, j0 + j);
                }
            }
        }
        // Remaining rows (or a narrow last strip): one row at a time, same i-k-j order.
        for (int row = row0; row < mM; ++row) {
            const float* aRow = a + (size_t)row * mK;
            float acc[kColTile] = {};
            for (int k = 0; k < mK; ++k) {
                const float av    = aRow[k];
                const float* bRow = panel + (size_t)k * ldp;
                for (int j = 0; j < width; ++j) acc[j] += av * bRow[j];
            }
            float* yRow = y + (size_t)row * mN + j0;
            for (int j = 0; j < width; ++j) yRow[j] = epi.apply(acc[j], row, j0 + j);
        }
    }

    float mAlpha, mBeta;
    bool mTransA, mTransB;
    int mM = 0, mK = 0, mN = 0;
    int mCRowStride = 0, mCColStride = 0;
    std::vector<float> mPackedA;  // row-major copy of a transposed A
    std::vector<float> mPanel;    // per-thread K x kColTile panels of a transposed B
};

class CPUGemmCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUGemm(backend, op->getFloat("alpha", 1.0f), op->getFloat("beta", 1.0f),
                           op->getInt("transA", 0) != 0, op->getInt("transB", 0) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUGemmCreator, OpType_Gemm);

} // namespace MNN
