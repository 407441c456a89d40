// MatMul (ONNX, numpy.matmul semantics): A [..., M, K] x B [..., K, N] -> C [..., M, N].
// Leading (batch) dimensions broadcast numpy-style; a 1-D A is a row [1, K] and a 1-D B a column
// [K, 1], and that dimension is dropped from C.
//
// Each 2-D product uses the i-k-j order: C's row i is built as the sum over k of A[i][k] * B's
// row k, so the innermost loop runs over contiguous memory of B and C and vectorises. Rows of C
// are computed three at a time with the sums for a 32-column strip kept in registers (3 x 4 = 12
// of the 16 AVX registers): every element of B loaded is used three times, and C is stored once
// per strip instead of once per k.
// Tile shape note: with g++ a 32-wide inner loop is vectorised as a loop and its sums stay in
// registers; 16-wide tiles were fully unrolled before vectorisation and ran ~10x slower.
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kRowTile = 3;   // rows of C per register tile (M need not be a multiple)
constexpr int kColTile = 32;  // columns of C per register tile (four AVX registers per row)
}  // namespace

class CPUMatMul : public Execution {
public:
    explicit CPUMatMul(Backend* backend) : Execution(backend) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* a = inputs[0];
        const Tensor* b = inputs[1];
        const int aDims = a->dimensions(), bDims = b->dimensions();
        if (aDims < 1 || bDims < 1) {
            return INVALID_VALUE;
        }
        // Matrix view of each operand.
        mM = aDims == 1 ? 1 : a->length(aDims - 2);
        mK = a->length(aDims - 1);
        mN = bDims == 1 ? 1 : b->length(bDims - 1);
        const int kB = bDims == 1 ? b->length(0) : b->length(bDims - 2);
        if (kB != mK) {
            return INVALID_VALUE;
        }
        // Batch dimensions, right-aligned and broadcast; per batch dimension the matrix stride of A
        // and B (0 where the operand is broadcast).
        const int aBatchDims = ALIMAX(aDims - 2, 0), bBatchDims = ALIMAX(bDims - 2, 0);
        const int batchDims  = ALIMAX(aBatchDims, bBatchDims);
        mBatchLength.assign(batchDims, 1);
        mBatchStrideA.assign(batchDims, 0);
        mBatchStrideB.assign(batchDims, 0);
        size_t strideA = (size_t)mM * mK, strideB = (size_t)mK * mN;  // in elements, innermost first
        for (int d = batchDims - 1; d >= 0; --d) {
            const int ia   = d - (batchDims - aBatchDims);
            const int ib   = d - (batchDims - bBatchDims);
            const int lenA = ia >= 0 ? a->length(ia) : 1;
            const int lenB = ib >= 0 ? b->length(ib) : 1;
            if (lenA != lenB && lenA != 1 && lenB != 1) {
                return INVALID_VALUE;
            }
            mBatchLength[d]  = ALIMAX(lenA, lenB);
            mBatchStrideA[d] = lenA == 1 ? 0 : strideA;
            mBatchStrideB[d] = lenB == 1 ? 0 : strideB;
            strideA *= lenA;
            strideB *= lenB;
        }
        mBatch = 1;
        for (int len : mBatchLength) mBatch *= len;
        if ((size_t)outputs[0]->elementSize() != (size_t)mBatch * mM * mN) {
            return INVALID_VALUE;
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* a = inputs[0]->host<float>();
        const float* b = inputs[1]->host<float>();
        float* c       = outputs[0]->host<float>();
        if (mBatch * mM * mN == 0) {
            return NO_ERROR;
        }
        // A task is one batch and one band of kRowTile rows of C: disjoint outputs, race-free.
        const int rowBands = UP_DIV(mM, kRowTile);
        const int tasks    = mBatch * rowBands;
        const int threads  = backend()->threadNumber();
        const int chunk    = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const int end = ALIMIN(tId * chunk + chunk, tasks);
            for (int task = tId * chunk; task < end; ++task) {
                const int batch = task / rowBands;
                const int row0  = (task % rowBands) * kRowTile;
                // Offsets of this batch's matrices from its multi-index.
                size_t offA = 0, offB = 0;
                int rest    = batch;
                for (int d = (int)mBatchLength.size() - 1; d >= 0; --d) {
                    const int idx = rest % mBatchLength[d];
                    rest /= mBatchLength[d];
                    offA += idx * mBatchStrideA[d];
                    offB += idx * mBatchStrideB[d];
                }
                const float* aRows = a + offA + (size_t)row0 * mK;
                const float* bMat  = b + offB;
                float* cRows       = c + (size_t)batch * mM * mN + (size_t)row0 * mN;
                const int rows     = ALIMIN(kRowTile, mM - row0);
                multiplyBand(aRows, bMat, cRows, rows);
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // C[0..rows) = A[0..rows) x B for a band of at most kRowTile rows.
    void multiplyBand(const float* a, const float* b, float* c, int rows) const {
        const int fullCols = mN - mN % kColTile;
        if (rows == kRowTile) {
            for (int j0 = 0; j0 < fullCols; j0 += kColTile) {
                // Register tile: kRowTile x kColTile sums, each B strip element reused kRowTile times.
                float acc[kRowTile][kColTile] = {};
                for (int k = 0; k < mK; ++k) {
                    const float* bRow = b + (size_t)k * mN + j0;
                    for (int r = 0; r < kRowTile; ++r) {
                        const float av = a[(size_t)r * mK + k];
                        for (int j = 0; j < kColTile; ++j) acc[r][j] += av * bRow[j];
                    }
                }
                for (int r = 0; r < kRowTile; ++r) {
                    for (int j = 0; j < kColTile; ++j) c[(size_t)r * mN + j0 + j] = acc[r][j];
                }
            }
        } else {
            // Fewer than kRowTile rows left: the same columns in plain i-k-j order.
            multiplyPlain(a, b, c, rows, 0, fullCols);
        }
        // Columns beyond the last full strip (and the whole of a narrow B): plain i-k-j order.
        multiplyPlain(a, b, c, rows, fullCols, mN);
    }

    // Plain i-k-j product for columns [colBegin, colEnd): row i of C is zeroed, then accumulates
    // A[i][k] * B[k][colBegin..colEnd) with the contiguous column loop innermost.
    void multiplyPlain(const float* a, const float* b, float* c, int rows, int colBegin, int colEnd) const {
        if (colBegin >= colEnd) {
            return;
        }
        for (int r = 0; r < rows; ++r) {
            float* cRow = c + (size_t)r * mN;
            for (int j = colBegin; j < colEnd; ++j) cRow[j] = 0.0f;
            for (int k = 0; k < mK; ++k) {
                const float av    = a[(size_t)r * mK + k];
                const float* bRow = b + (size_t)k * mN;
                for (int j = colBegin; j < colEnd; ++j) cRow[j] += av * bRow[j];
            }
        }
    }

    int mM = 0, mK = 0, mN = 0, mBatch = 1;
    std::vector<int> mBatchLength;
    std::vector<size_t> mBatchStrideA, mBatchStrideB;
};

class CPUMatMulCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUMatMul(backend);
    }
};

REGISTER_CPU_OP_CREATOR(CPUMatMulCreator, OpType_MatMul);

} // namespace MNN
