// Det (ONNX opset 11+): determinant of each square matrix in the last two dimensions of a float
// tensor [*, n, n]; output shape [*] (a scalar for a single matrix).
//
// Method: LU factorisation with partial pivoting, det = (-1)^swaps * product of the pivots.
//  - Partial pivoting (the largest |value| of the column becomes the pivot) keeps the multipliers
//    <= 1 in magnitude; without it a small pivot amplifies rounding and random matrices lose
//    most of their digits.
//  - Each matrix is copied into scratch memory (the input must not change). Row swaps exchange row
//    pointers instead of data.
//  - Blocked right-looking LU, as LAPACK's getrf: columns are taken kPanel at a time.
//      1. Panel: plain elimination with pivoting, restricted to the panel's columns (all rows below).
//      2. U12: the panel rows' columns right of the panel are solved with the panel's unit lower
//         triangle (row r -= L[r][p] * row p for the earlier panel rows p).
//      3. Trailing update A22 -= L21 x U12: a matrix product with a short (kPanel) inner
//         dimension, computed like MatMul's register tile (kRowTile rows x kColTile columns of sums
//         in registers, each U12 element loaded once per kRowTile rows).
//    The trailing matrix is read and written once per panel instead of once per column, which is
//    what limits plain elimination once the matrix outgrows the L1/L2 caches.
//  - The product of pivots is accumulated in double: it cannot overflow or underflow midway for
//    any determinant that float can represent.
// Matrices of a batch are independent and split over threads.
#include <cmath>
#include <utility>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

class CPUDet : public Execution {
public:
    explicit CPUDet(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        if (dims < 2 || x->length(dims - 1) != x->length(dims - 2)) {
            return INVALID_VALUE;
        }
        mN     = x->length(dims - 1);
        mBatch = mN == 0 ? 0 : x->elementSize() / (mN * mN);
        if (mN == 0) {
            mBatch = outputs[0]->elementSize();  // det of a 0 x 0 matrix is 1
        }
        if (outputs[0]->elementSize() != mBatch) {
            return INVALID_VALUE;
        }
        // One scratch matrix and row-pointer table per thread.
        const int threads = backend()->threadNumber();
        mScratch.assign((size_t)threads * mN * mN, 0.0f);
        mRows.assign((size_t)threads * mN, nullptr);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* x = inputs[0]->host<float>();
        float* y       = outputs[0]->host<float>();
        const int threads = backend()->threadNumber();
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            float* scratch = mScratch.data() + (size_t)tId * mN * mN;
            float** rows   = mRows.data() + (size_t)tId * mN;
            for (int b = tId; b < mBatch; b += threads) {
                y[b] = determinant(x + (size_t)b * mN * mN, scratch, rows);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    float determinant(const float* src, float* a, float** rows) const {
        const int n = mN;
        for (int i = 0; i < n; ++i) {
            rows[i] = a + (size_t)i * n;
            for (int j = 0; j < n; ++j) rows[i][j] = src[(size_t)i * n + j];
        }
        double det  = 1.0;
        bool negate = false;
        for (int k0 = 0; k0 < n; k0 += kPanel) {
            const int kEnd = ALIMIN(k0 + kPanel, n);
            // 1. Panel columns [k0, kEnd): elimination with partial pivoting over all rows below.
            for (int k = k0; k < kEnd; ++k) {
                int best      = k;
                float bestAbs = std::fabs(rows[k][k]);
                for (int i = k + 1; i < n; ++i) {
                    const float v = std::fabs(rows[i][k]);
                    if (v > bestAbs) {
                        bestAbs = v;
                        best    = i;
                    }
                }
                if (bestAbs == 0.0f) {
                    return 0.0f;  // a zero column: singular
                }
                if (best != k) {
                    std::swap(rows[best], rows[k]);  // whole rows move, L part included
                    negate = !negate;
                }
                const float* p = rows[k];
                det *= (double)p[k];
                const float inv = 1.0f / p[k];
                for (int i = k + 1; i < n; ++i) {
                    float* r      = rows[i];
                    const float l = r[k] * inv;
                    r[k]          = l;  // keep the multiplier: steps 2 and 3 use it
                    for (int j = k + 1; j < kEnd; ++j) r[j] -= l * p[j];
                }
            }
            if (kEnd == n) {
                break;
            }
            // 2. U12 = L11^-1 A12 (L11 unit lower triangular), row by row.
            for (int r = k0 + 1; r < kEnd; ++r) {
                float* row = rows[r];
                for (int p = k0; p < r; ++p) {
                    const float l      = row[p];
                    const float* pivot = rows[p];
                    for (int j = kEnd; j < n; ++j) row[j] -= l * pivot[j];
                }
            }
            // 3. A22 -= L21 x U12.
            trailingUpdate(rows, k0, kEnd);
        }
        if (negate) det = -det;
        return (float)det;
    }

    // Rows and columns [kEnd, n) minus the product of L21 (columns [k0, kEnd) of those rows) and
    // U12 (rows [k0, kEnd), columns [kEnd, n)). The sums are accumulated from zero and subtracted
    // when stored, so the accumulators stay in registers.
    void trailingUpdate(float** rows, int k0, int kEnd) const {
        const int n = mN;
        for (int i0 = kEnd; i0 < n; i0 += kRowTile) {
            const int rowCount = ALIMIN(kRowTile, n - i0);
            for (int j0 = kEnd; j0 < n; j0 += kColTile) {
                const int count = ALIMIN(kColTile, n - j0);
                if (rowCount == kRowTile && count == kColTile) {
                    float acc[kRowTile][kColTile] = {};
                    for (int p = k0; p < kEnd; ++p) {
                        const float* u = rows[p] + j0;
                        for (int r = 0; r < kRowTile; ++r) {
                            const float l = rows[i0 + r][p];
                            for (int j = 0; j < kColTile; ++j) acc[r][j] += l * u[j];
                        }
                    }
                    for (int r = 0; r < kRowTile; ++r) {
                        float* row = rows[i0 + r] + j0;
                        for (int j = 0; j < kColTile; ++j) row[j] -= acc[r][j];
                    }
                    continue;
                }
                // Edge tile: one row at a time, runtime width.
                for (int r = 0; r < rowCount; ++r) {
                    float* row          = rows[i0 + r];
                    float acc[kColTile] = {};
                    for (int p = k0; p < kEnd; ++p) {
                        const float l  = row[p];
                        const float* u = rows[p] + j0;
                        for (int j = 0; j < count; ++j) acc[j] += l * u[j];
                    }
                    for (int j = 0; j < count; ++j) row[j0 + j] -= acc[j];
                }
            }
        }
    }

    static constexpr int kPanel   = 32;  // columns per panel
    static constexpr int kRowTile = 4;   // trailing-update rows per register tile
    static constexpr int kColTile = 24;  // trailing-update columns per register tile (3 AVX registers)

    int mN = 0, mBatch = 0;
    std::vector<float> mScratch;
    std::vector<float*> mRows;
};

class CPUDetCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUDet(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUDetCreator, OpType_Det);

} // namespace MNN
