// Unique (ONNX opset 11): the distinct elements of X (no `axis` attribute: X is flattened) or the
// distinct slices of X along `axis` (negative counts from the end). Attribute `sorted` (default 1):
// 1 = ascending (slices compared lexicographically in row-major order), 0 = order of first
// occurrence. Outputs, positional, each optional from the end (the kernel fills those it gets):
//   Y                unique values (1-D) / X with K slices along the axis
//   indices          [K] int64: where each Y entry first occurs in X (flat position / slice index)
//   inverse_indices  [N] int64: for every element (slice) of X, its position in Y
//   counts           [K] int64: how often each Y entry occurs
// K is data-dependent; the runner provides it through the output shapes and the kernel checks it.
// Float keys: -0 equals +0; NaNs are treated as one value that sorts after every number.
//
// Method: sort the positions 0..N-1 by (key, position), so equal keys form runs whose first
// member is the first occurrence. Each run is one Y entry. For sorted=0 the runs are then
// ordered by their first occurrence. Flattened float32/int32 inputs use a radix sort (linear
// time); otherwise std::sort, where comparisons of slices stop at the first differing element.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Macro.h"

namespace MNN {

namespace {

// Strict order on keys: numbers ascending, NaN after all numbers and equal to NaN.
template <typename T>
inline bool keyLess(T a, T b) {
    if (a != a) return false;  // NaN (only floats compare unequal to themselves)
    if (b != b) return true;
    return a < b;
}

template <typename T>
inline bool keyEqual(T a, T b) {
    return a == b || (a != a && b != b);
}

// Order-preserving unsigned 32-bit keys of 4-byte values, for the radix sort. Floats: -0 becomes
// +0 and every NaN one NaN (they are equal keys), then the sign-magnitude bits are mapped so that
// unsigned order is numeric order (negative: all bits flipped; positive: sign bit set).
inline uint32_t radixKey(float v) {
    uint32_t b;
    if (v == 0.0f) v = 0.0f;
    std::memcpy(&b, &v, 4);
    if (v != v) b = 0x7FC00000u;
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}
inline uint32_t radixKey(int32_t v) { return (uint32_t)v ^ 0x80000000u; }

// Sorts items (key << 32 | position) by key with an LSD radix sort, 8 bits per pass. Each pass is
// stable, so items with equal keys keep increasing positions.
void radixSortByKey(std::vector<uint64_t>& items, std::vector<uint64_t>& tmp) {
    const size_t n = items.size();
    tmp.resize(n);
    for (int shift = 32; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; ++i) ++count[((items[i] >> shift) & 0xFF) + 1];
        if (count[((items[0] >> shift) & 0xFF) + 1] == n) continue;  // this byte is the same everywhere
        for (int b = 0; b < 256; ++b) count[b + 1] += count[b];
        for (size_t i = 0; i < n; ++i) tmp[count[(items[i] >> shift) & 0xFF]++] = items[i];
        items.swap(tmp);
    }
}

}  // namespace

class CPUUnique : public Execution {
public:
    CPUUnique(Backend* backend, bool hasAxis, int axis, bool sorted)
        : Execution(backend), mHasAxis(hasAxis), mAxis(axis), mSorted(sorted) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x = inputs[0];
        const int dims  = x->dimensions();
        if (mHasAxis) {
            mAxisN = mAxis < 0 ? mAxis + dims : mAxis;
            if (mAxisN < 0 || mAxisN >= dims) return INVALID_VALUE;
            mOuter = 1;
            for (int i = 0; i < mAxisN; ++i) mOuter *= x->length(i);
            mN     = x->length(mAxisN);
            mInner = x->stride(mAxisN);
        } else {
            mOuter = 1;
            mN     = x->elementSize();
            mInner = 1;
        }
        // Scratch reused by every call.
        mOrder.resize(mN);
        mGroupOf.resize(mN);
        mBreak.resize(mN);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const halide_type_t t = inputs[0]->getType();
        if (t.code == halide_type_float && t.bits == 32) return run<float>(inputs[0], outputs);
        if (t.code == halide_type_float && t.bits == 64) return run<double>(inputs[0], outputs);
        if (t.code == halide_type_int && t.bits == 32) return run<int32_t>(inputs[0], outputs);
        if (t.code == halide_type_int && t.bits == 64) return run<int64_t>(inputs[0], outputs);
        if (t.code == halide_type_int && t.bits == 8) return run<int8_t>(inputs[0], outputs);
        if (t.code == halide_type_uint && t.bits == 8) return run<uint8_t>(inputs[0], outputs);
        return NOT_SUPPORT;
    }

private:
    template <typename T>
    ErrorCode run(const Tensor* xT, const std::vector<Tensor*>& outputs) {
        const T* x        = xT->host<T>();
        const int N       = mN;
        const size_t rowStride = (size_t)N * mInner;
        for (int i = 0; i < N; ++i) mOrder[i] = i;

        // Sort positions by key, ties by position (so each run starts at its first occurrence), and
        // mark in mBreak where a run of equal keys begins.
        bool sortedAlready = false;
        if constexpr (std::is_same<T, float>::value || std::is_same<T, int32_t>::value) {
            if (!mHasAxis) {
                // Flattened 4-byte values: radix sort of packed (key, position) items.
                mItems.resize(N);
                for (int i = 0; i < N; ++i) mItems[i] = ((uint64_t)radixKey(x[i]) << 32) | (uint32_t)i;
                if (N > 0) radixSortByKey(mItems, mTmp);
                for (int s = 0; s < N; ++s) {
                    mOrder[s] = (int)(uint32_t)mItems[s];
                    mBreak[s] = s == 0 || (mItems[s] >> 32) != (mItems[s - 1] >> 32);
                }
                sortedAlready = true;
            }
        }
        if (sortedAlready) {
            // done above
        } else if (!mHasAxis) {
            std::sort(mOrder.begin(), mOrder.end(), [x](int a, int b) {
                if (keyLess(x[a], x[b])) return true;
                if (keyLess(x[b], x[a])) return false;
                return a < b;
            });
            for (int s = 0; s < N; ++s) mBreak[s] = s == 0 || !keyEqual(x[mOrder[s - 1]], x[mOrder[s]]);
        } else {
            // Slice j, element (o, i) is x[o * N * inner + j * inner + i]: compare row-major.
            const int inner = mInner, outer = mOuter;
            std::sort(mOrder.begin(), mOrder.end(), [=](int a, int b) {
                for (int o = 0; o < outer; ++o) {
                    const T* ra = x + o * rowStride + (size_t)a * inner;
                    const T* rb = x + o * rowStride + (size_t)b * inner;
                    for (int i = 0; i < inner; ++i) {
                        if (keyLess(ra[i], rb[i])) return true;
                        if (keyLess(rb[i], ra[i])) return false;
                    }
                }
                return a < b;
            });
            auto sameSlice = [=](int a, int b) {
                for (int o = 0; o < outer; ++o) {
                    const T* ra = x + o * rowStride + (size_t)a * inner;
                    const T* rb = x + o * rowStride + (size_t)b * inner;
                    for (int i = 0; i < inner; ++i) {
                        if (!keyEqual(ra[i], rb[i])) return false;
                    }
                }
                return true;
            };
            for (int s = 0; s < N; ++s) mBreak[s] = s == 0 || !sameSlice(mOrder[s - 1], mOrder[s]);
        }

        // Runs of equal keys -> groups in ascending key order: first occurrence and count.
        mFirst.clear();
        mCount.clear();
        for (int s = 0; s < N; ++s) {
            const int p = mOrder[s];
            if (mBreak[s]) {
                mFirst.push_back(p);
                mCount.push_back(0);
            }
            mGroupOf[p] = (int)mFirst.size() - 1;
            ++mCount.back();
        }
        const int K = (int)mFirst.size();

        // Output position of every group: ascending, or by first occurrence for sorted=0.
        mPos.resize(K);
        mRank.resize(K);
        for (int g = 0; g < K; ++g) mRank[g] = g;  // mRank[p] = group at output position p
        if (!mSorted) {
            std::sort(mRank.begin(), mRank.end(), [&](int a, int b) { return mFirst[a] < mFirst[b]; });
        }
        for (int p = 0; p < K; ++p) mPos[mRank[p]] = p;

        // K must match the shape the runner allocated.
        Tensor* y = outputs[0];
        if ((mHasAxis ? y->length(mAxisN) : y->elementSize()) != K) return COMPUTE_SIZE_ERROR;

        // Y: the representative (first occurrence) of each group, in output order.
        T* yv = y->host<T>();
        for (int o = 0; o < mOuter; ++o) {
            for (int p = 0; p < K; ++p) {
                const T* src = x + o * rowStride + (size_t)mFirst[mRank[p]] * mInner;
                std::memcpy(yv + ((size_t)o * K + p) * mInner, src, (size_t)mInner * sizeof(T));
            }
        }
        if (outputs.size() > 1) {
            int64_t* idx = outputs[1]->host<int64_t>();
            for (int p = 0; p < K; ++p) idx[p] = mFirst[mRank[p]];
        }
        if (outputs.size() > 2) {
            int64_t* inv = outputs[2]->host<int64_t>();
            for (int i = 0; i < N; ++i) inv[i] = mPos[mGroupOf[i]];
        }
        if (outputs.size() > 3) {
            int64_t* cnt = outputs[3]->host<int64_t>();
            for (int p = 0; p < K; ++p) cnt[p] = mCount[mRank[p]];
        }
        return NO_ERROR;
    }

    bool mHasAxis;
    int mAxis, mAxisN = 0;
    bool mSorted;
    int mOuter = 1, mN = 0, mInner = 1;
    std::vector<int> mOrder, mGroupOf, mFirst, mCount, mPos, mRank;
    std::vector<uint8_t> mBreak;         // 1 where a run of equal keys starts in sorted order
    std::vector<uint64_t> mItems, mTmp;  // radix sort items (key << 32 | position)
};

class CPUUniqueCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // No `axis` attribute means "flatten", which is different from axis 0.
        return new CPUUnique(backend, op->hasAttr("axis"), (int)op->getInt("axis", 0), op->getInt("sorted", 1) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUUniqueCreator, OpType_Unique);

} // namespace MNN
