// Einsum (ONNX opset 12+), float, one or two operands. The equation attribute, e.g. "ij,jk->ik",
// names every dimension of every operand with a letter:
//  - a letter in the output is a free index, a letter missing from the output is summed over;
//  - a letter repeated within one operand takes the diagonal ("ii->i");
//  - without "->" (implicit mode) the output holds the letters used exactly once, in alphabetical order;
//  - "..." stands for the leading dimensions not named by letters; they broadcast numpy-style
//    (size-1 dimensions stretch) and, in implicit mode, lead the output.
//
// Scheme: every label gets a size and, per operand, a stride (0 where the operand lacks it or
// broadcasts it; the sum of strides when it repeats, which walks the diagonal). The output is then
//     out[free] (+)= sum over summed labels of  A[...] * B[...]
// evaluated as nested loops: the free labels except the last one outside, the summed labels in the
// middle, and the output's last label innermost, where the output is contiguous. For "ij,jk->ik"
// this is the i-k-j matrix product (the inner loop is row i of C += A[i][j] * row j of B). When the
// output has no labels (a full reduction) the innermost loop runs over the last summed label into
// eight partial sums. The inner loops have variants for the common strides (0 and 1) so the
// compiler can vectorise them.
#include <string>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kEllipsis = -1;  // marker for "..." in a parsed term; letters are 0..51

// Letter ids in character-code order (A..Z = 0..25, a..z = 26..51), the "alphabetical" order of
// the implicit output.
int letterId(char ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return 26 + ch - 'a';
    return -2;
}

// One term of the equation ("ij", "...k") as letter ids with kEllipsis for "...". False on bad syntax.
bool parseTerm(const std::string& text, std::vector<int>& term) {
    term.clear();
    bool sawEllipsis = false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '.') {
            if (sawEllipsis || text.compare(i, 3, "...") != 0) return false;
            sawEllipsis = true;
            term.push_back(kEllipsis);
            i += 2;
            continue;
        }
        const int id = letterId(text[i]);
        if (id < 0) return false;
        term.push_back(id);
    }
    return true;
}

// The inner loop for every stride pattern: out[i * so] (+)= a[i * sa] (* b[i * sb]) for i < n.
// ACCUMULATE = false stores instead (no summed labels: each output element is written once).
template <bool ACCUMULATE>
inline void store(float* out, float v) {
    if (ACCUMULATE) *out += v; else *out = v;
}

template <bool ACCUMULATE>
void innerTwo(const float* a, long sa, const float* b, long sb, float* out, long n) {
    // Output stride is 1 here; the strides of A and B decide the variant.
    if (sa == 1 && sb == 1) {
        for (long i = 0; i < n; ++i) store<ACCUMULATE>(out + i, a[i] * b[i]);
    } else if (sa == 0 && sb == 1) {
        const float av = a[0];
        for (long i = 0; i < n; ++i) store<ACCUMULATE>(out + i, av * b[i]);
    } else if (sa == 1 && sb == 0) {
        const float bv = b[0];
        for (long i = 0; i < n; ++i) store<ACCUMULATE>(out + i, a[i] * bv);
    } else {
        for (long i = 0; i < n; ++i) store<ACCUMULATE>(out + i, a[i * sa] * b[i * sb]);
    }
}

template <bool ACCUMULATE>
void innerOne(const float* a, long sa, float* out, long n) {
    if (sa == 1) {
        for (long i = 0; i < n; ++i) store<ACCUMULATE>(out + i, a[i]);
    } else {
        for (long i = 0; i < n; ++i) store<ACCUMULATE>(out + i, a[i * sa]);
    }
}

// Dot product / sum along one label, eight partial sums so it vectorises without -ffast-math.
float reduceTwo(const float* a, long sa, const float* b, long sb, long n) {
    float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    if (sa == 1 && sb == 1) {
        for (; i + 8 <= n; i += 8) {
            for (int l = 0; l < 8; ++l) part[l] += a[i + l] * b[i + l];
        }
    }
    float sum = 0.0f;
    for (; i < n; ++i) sum += a[i * sa] * b[i * sb];
    for (int l = 0; l < 8; ++l) sum += part[l];
    return sum;
}

float reduceOne(const float* a, long sa, long n) {
    float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    if (sa == 1) {
        for (; i + 8 <= n; i += 8) {
            for (int l = 0; l < 8; ++l) part[l] += a[i + l];
        }
    }
    float sum = 0.0f;
    for (; i < n; ++i) sum += a[i * sa];
    for (int l = 0; l < 8; ++l) sum += part[l];
    return sum;
}

// A set of loop labels as sizes and per-operand strides, walked like an odometer.
struct Loops {
    std::vector<long> size;
    std::vector<long> strideA, strideB, strideOut;
    long count() const {
        long n = 1;
        for (long s : size) n *= s;
        return n;
    }
    // Offsets of the flat index `index` (last label fastest).
    void offsets(long index, long& offA, long& offB, long& offOut) const {
        offA = offB = offOut = 0;
        for (int d = (int)size.size() - 1; d >= 0; --d) {
            const long i = index % size[d];
            index /= size[d];
            offA += i * strideA[d];
            offB += i * strideB[d];
            offOut += i * strideOut[d];
        }
    }
};
}  // namespace

class CPUEinsum : public Execution {
public:
    CPUEinsum(Backend* backend, const std::string& equation) : Execution(backend) {
        // Parse once; shapes come in onResize.
        std::string eq;
        for (char ch : equation) {
            if (ch != ' ') eq.push_back(ch);
        }
        const size_t arrow = eq.find("->");
        const std::string lhs = eq.substr(0, arrow);
        mExplicit = arrow != std::string::npos;
        mValid    = true;
        size_t start = 0;
        while (true) {
            const size_t comma = lhs.find(',', start);
            std::vector<int> term;
            mValid = mValid && parseTerm(lhs.substr(start, comma - start), term);
            mTerms.push_back(term);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        if (mExplicit) {
            mValid = mValid && parseTerm(eq.substr(arrow + 2), mOutTerm);
        }
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const int operands = (int)mTerms.size();
        if (!mValid || (operands != 1 && operands != 2) || (int)inputs.size() != operands) {
            return NOT_SUPPORT;
        }
        // Label ids: letters 0..51, ellipsis dimensions 52 + position (right-aligned across operands).
        const int kLabels = 52 + 8;
        int ellipsisRank  = 0;
        std::vector<std::vector<int>> labels(operands);  // per operand, per dimension
        for (int o = 0; o < operands; ++o) {
            int letters = 0;
            for (int id : mTerms[o]) letters += id != kEllipsis;
            const int rank = inputs[o]->dimensions();
            const int extra = rank - letters;
            const bool hasEllipsis = (int)mTerms[o].size() != letters;
            if (extra < 0 || (extra > 0 && !hasEllipsis) || extra > 8) {
                return INVALID_VALUE;
            }
            ellipsisRank = ALIMAX(ellipsisRank, extra);
        }
        for (int o = 0; o < operands; ++o) {
            const int rank  = inputs[o]->dimensions();
            int letters     = 0;
            for (int id : mTerms[o]) letters += id != kEllipsis;
            const int extra = rank - letters;
            for (int id : mTerms[o]) {
                if (id != kEllipsis) {
                    labels[o].push_back(id);
                    continue;
                }
                for (int e = 0; e < extra; ++e) labels[o].push_back(52 + ellipsisRank - extra + e);
            }
        }
        // Sizes (size-1 ellipsis dimensions broadcast) and per-operand strides.
        std::vector<long> size(kLabels, -1);
        std::vector<int> uses(kLabels, 0);
        std::vector<long> stride[2] = {std::vector<long>(kLabels, 0), std::vector<long>(kLabels, 0)};
        for (int o = 0; o < operands; ++o) {
            for (int d = 0; d < (int)labels[o].size(); ++d) {
                const int id   = labels[o][d];
                const long len = inputs[o]->length(d);
                ++uses[id];
                if (id >= 52 && len == 1) {
                    if (size[id] < 0) size[id] = 1;
                    continue;  // broadcast: stride stays 0
                }
                if (size[id] >= 0 && size[id] != len && !(id >= 52 && size[id] == 1)) {
                    return INVALID_VALUE;
                }
                size[id] = len;
                stride[o][id] += inputs[o]->stride(d);  // repeated label: diagonal
            }
        }
        // Output labels: explicit, or implicit (ellipsis first, then letters used once, alphabetical).
        std::vector<int> outLabels;
        if (mExplicit) {
            for (int id : mOutTerm) {
                if (id != kEllipsis) {
                    outLabels.push_back(id);
                    continue;
                }
                for (int e = 0; e < ellipsisRank; ++e) outLabels.push_back(52 + e);
            }
        } else {
            for (int e = 0; e < ellipsisRank; ++e) outLabels.push_back(52 + e);
            for (int id = 0; id < 52; ++id) {
                if (uses[id] == 1) outLabels.push_back(id);
            }
        }
        std::vector<bool> isOut(kLabels, false);
        long outElements = 1;
        for (int id : outLabels) {
            if (size[id] < 0 || isOut[id]) {
                return INVALID_VALUE;  // unknown or repeated output label
            }
            isOut[id] = true;
            outElements *= size[id];
        }
        if (outputs[0]->elementSize() != outElements) {
            return INVALID_VALUE;
        }
        // Output strides (contiguous, last label fastest).
        std::vector<long> outStride(kLabels, 0);
        long s = 1;
        for (int d = (int)outLabels.size() - 1; d >= 0; --d) {
            outStride[outLabels[d]] = s;
            s *= size[outLabels[d]];
        }
        auto addLoop = [&](Loops& loops, int id) {
            loops.size.push_back(size[id]);
            loops.strideA.push_back(stride[0][id]);
            loops.strideB.push_back(stride[1][id]);
            loops.strideOut.push_back(outStride[id]);
        };
        mOuter = Loops();
        mSum   = Loops();
        mInner = Loops();
        for (size_t d = 0; d + 1 < outLabels.size(); ++d) addLoop(mOuter, outLabels[d]);
        std::vector<int> summed;
        for (int id = 0; id < kLabels; ++id) {
            if (size[id] >= 0 && !isOut[id]) summed.push_back(id);
        }
        mReduceInner = outLabels.empty();
        if (!outLabels.empty()) {
            addLoop(mInner, outLabels.back());
        } else if (!summed.empty()) {
            addLoop(mInner, summed.back());  // full reduction: the last summed label is innermost
            summed.pop_back();
        }
        for (int id : summed) addLoop(mSum, id);
        // Operand offsets of every summed index, computed once here instead of by division in the
        // hot loop.
        const long sumCount = mSum.count();
        mSumOffA.resize(sumCount);
        mSumOffB.resize(sumCount);
        for (long i = 0; i < sumCount; ++i) {
            long unusedOut;
            mSum.offsets(i, mSumOffA[i], mSumOffB[i], unusedOut);
        }
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const float* a = inputs[0]->host<float>();
        const float* b = inputs.size() > 1 ? inputs[1]->host<float>() : nullptr;
        float* out     = outputs[0]->host<float>();
        const long innerLen   = mInner.size.empty() ? 1 : mInner.size[0];
        const long sa         = mInner.size.empty() ? 0 : mInner.strideA[0];
        const long sb         = mInner.size.empty() ? 0 : mInner.strideB[0];
        const long outerCount = mOuter.count();
        const long sumCount   = (long)mSumOffA.size();
        const bool accumulate = !mSum.size.empty();
        // Output positions of different outer indices are disjoint: split them over threads.
        const int threads = backend()->threadNumber();
        const long chunk  = UP_DIV(outerCount, (long)threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            const long begin = (long)tId * chunk;
            const long end   = ALIMIN(begin + chunk, outerCount);
            if (mReduceInner) {
                // Scalar output (no outer label, so one thread does it): the sum of the innermost
                // reductions over every summed index.
                double total = 0.0;
                for (long s = 0; s < sumCount && begin < end; ++s) {
                    total += b != nullptr ? reduceTwo(a + mSumOffA[s], sa, b + mSumOffB[s], sb, innerLen)
                                          : reduceOne(a + mSumOffA[s], sa, innerLen);
                }
                if (begin < end) out[0] = (float)total;
                return;
            }
            if (!accumulate) {
                // No summed label: every output element is written exactly once. Tiles of kTile outer
                // indices x kTile inner indices: when the inner stride is large (a transpose), the
                // kTile outer neighbours usually read neighbouring addresses, so each cache line of
                // the input is used kTile times while it is in cache.
                // Contiguous inputs need no tiling: one outer index at a time, the whole inner row.
                constexpr int kTile   = 16;
                const bool contiguous = sa <= 1 && (b == nullptr || sb <= 1);
                const int groupMax    = contiguous ? 1 : kTile;
                const long innerStep  = contiguous ? ALIMAX(innerLen, 1L) : kTile;
                long offA[kTile], offB[kTile], offOut[kTile];
                for (long o0 = begin; o0 < end; o0 += groupMax) {
                    const int group = (int)ALIMIN((long)groupMax, end - o0);
                    for (int g = 0; g < group; ++g) mOuter.offsets(o0 + g, offA[g], offB[g], offOut[g]);
                    for (long i0 = 0; i0 < innerLen; i0 += innerStep) {
                        const long n = ALIMIN(innerStep, innerLen - i0);
                        for (int g = 0; g < group; ++g) {
                            float* dst = out + offOut[g] + i0;
                            if (b != nullptr) innerTwo<false>(a + offA[g] + i0 * sa, sa, b + offB[g] + i0 * sb, sb, dst, n);
                            else innerOne<false>(a + offA[g] + i0 * sa, sa, dst, n);
                        }
                    }
                }
                return;
            }
            for (long o = begin; o < end; ++o) {
                long oa, ob, oo;
                mOuter.offsets(o, oa, ob, oo);
                if (b != nullptr && sa == 0 && sb == 1 && o + kRowTile <= end && matmulBand(a, b, out, o)) {
                    o += kRowTile - 1;  // kRowTile outer indices done as one matrix-product band
                    continue;
                }
                float* dst = out + oo;
                for (long i = 0; i < innerLen; ++i) dst[i] = 0.0f;
                for (long s = 0; s < sumCount; ++s) {
                    if (b != nullptr) innerTwo<true>(a + oa + mSumOffA[s], sa, b + ob + mSumOffB[s], sb, dst, innerLen);
                    else innerOne<true>(a + oa + mSumOffA[s], sa, dst, innerLen);
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    // The matrix-product pattern: A contributes one scalar per (outer, summed) index (inner stride
    // 0) and B a contiguous row (inner stride 1), as in "ij,jk->ik". When the kRowTile outer indices
    // from `o0` read the same B rows (same B offset), they form a band of a matrix product and are
    // computed like MatMul's register tile: kRowTile x kColTile sums stay in registers over all
    // summed indices and every loaded B element is used kRowTile times. False if the band does not
    // qualify (the caller then takes the plain loop).
    bool matmulBand(const float* a, const float* b, float* out, long o0) const {
        long offA[kRowTile], offB[kRowTile], offOut[kRowTile];
        for (int r = 0; r < kRowTile; ++r) {
            mOuter.offsets(o0 + r, offA[r], offB[r], offOut[r]);
            if (offB[r] != offB[0]) return false;
        }
        const long n        = mInner.size[0];
        const long sumCount = (long)mSumOffA.size();
        const float* bBase  = b + offB[0];
        for (long j0 = 0; j0 < n; j0 += kColTile) {
            const long count = ALIMIN((long)kColTile, n - j0);
            float acc[kRowTile][kColTile] = {};
            if (count == kColTile) {
                for (long s = 0; s < sumCount; ++s) {
                    const float* bRow = bBase + mSumOffB[s] + j0;
                    for (int r = 0; r < kRowTile; ++r) {
                        const float av = a[offA[r] + mSumOffA[s]];
                        for (int j = 0; j < kColTile; ++j) acc[r][j] += av * bRow[j];
                    }
                }
            } else {
                for (long s = 0; s < sumCount; ++s) {
                    const float* bRow = bBase + mSumOffB[s] + j0;
                    for (int r = 0; r < kRowTile; ++r) {
                        const float av = a[offA[r] + mSumOffA[s]];
                        for (long j = 0; j < count; ++j) acc[r][j] += av * bRow[j];
                    }
                }
            }
            for (int r = 0; r < kRowTile; ++r) {
                for (long j = 0; j < count; ++j) out[offOut[r] + j0 + j] = acc[r][j];
            }
        }
        return true;
    }

    static constexpr int kRowTile = 3;   // outer indices per matrix-product band
    static constexpr int kColTile = 32;  // inner columns per register tile (four AVX registers per row)

    bool mValid = false, mExplicit = false;
    std::vector<std::vector<int>> mTerms;  // parsed input terms
    std::vector<int> mOutTerm;             // parsed output term (explicit mode)
    Loops mOuter, mSum, mInner;            // free labels but the last, summed labels, innermost label
    bool mReduceInner = false;             // no free label: the innermost loop is a reduction
    std::vector<long> mSumOffA, mSumOffB;  // operand offsets of each summed index
};

class CPUEinsumCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUEinsum(backend, op->getString("equation", ""));
    }
};

REGISTER_CPU_OP_CREATOR(CPUEinsumCreator, OpType_Einsum);

} // namespace MNN
