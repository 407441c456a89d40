// LSTM (ONNX opset 14+), float. Inputs: X, W [dirs, 4H, I], R [dirs, 4H, H], optional B [dirs, 8H]
// (Wb then Rb), sequence_lens [batch], initial_h / initial_c [dirs, batch, H], P [dirs, 3H] (peepholes).
// Gate blocks in W, R, B are ordered i, o, f, c (input, output, forget, cell); P is i, o, f.
// Per time step, with f = sigmoid, g = h = tanh by default:
//     i = f(X W_i^T + H R_i^T + P_i * C + Wb_i + Rb_i)      o uses the new C for its peephole
//     f = f(X W_f^T + H R_f^T + P_f * C + Wb_f + Rb_f)      (input_forget = 1: f = 1 - i)
//     c = g(X W_c^T + H R_c^T + Wb_c + Rb_c)
//     C' = f * C + i * c,   o = f(X W_o^T + H R_o^T + P_o * C' + Wb_o + Rb_o),   H' = o * h(C')
// `clip` bounds the gate inputs (of i, f, c, o) to [-clip, clip]; as in onnxruntime the cell state
// fed to h is not clipped. direction: forward, reverse or
// bidirectional; layout 0: X [seq, batch, I], Y [seq, dirs, batch, H], Y_h / Y_c [dirs, batch, H];
// layout 1: X [batch, seq, I], Y [batch, seq, dirs, H], Y_h / Y_c [batch, dirs, H]. With
// sequence_lens, batch entry b runs only its first len[b] steps: later Y entries are 0 and Y_h/Y_c
// hold the state after its last step. The graph may expose any of Y, Y_h, Y_c: they are told apart by
// rank (Y is 4-D; the 3-D outputs are Y_h then Y_c).
//
// Scheme, per direction:
//  1. W and R are transposed into scratch ([I, 4H] and [H, 4H]) so that every product below walks
//     contiguous rows: a gate row += x[k] * row k of W^T (the i-k-j order of a matrix product, with
//     MatMul's register tiles).
//  2. The input part X W^T + Wb + Rb does not depend on the recurrence: it is computed for all time
//     steps at once before the loop, as one matrix product.
//  3. Each step adds H R^T for the whole batch (one [batch, H] x [H, 4H] product), then applies the
//     gate equations element-wise with exp-based sigmoid/tanh written branch-free so the loops
//     vectorise (std::exp is a libm call).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

// exp(x) for x in [-87, 88] (callers clamp; exp stays a normal float there), relative error
// ~2e-7: exp(x) = 2^n * exp(r), n = round(x / ln2), |r| <= ln2 / 2, exp(r) by a degree-6 Taylor
// polynomial, 2^n built in the exponent bits. Branch-free, so loops calling it vectorise.
inline float expClamped(float x) {
    const float magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    const float t     = x * 1.44269504088896341f + magic;
    const float n     = t - magic;
    float r           = x - n * 0.693145751953125f;  // ln2 split in two parts (Cody-Waite)
    r                 = r - n * 1.428606765330187e-06f;
    float p           = 1.0f / 720.0f;
    p                 = p * r + 1.0f / 120.0f;
    p                 = p * r + 1.0f / 24.0f;
    p                 = p * r + 1.0f / 6.0f;
    p                 = p * r + 0.5f;
    p                 = p * r + 1.0f;
    p                 = p * r + 1.0f;
    const int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof(scale));
    return p * scale;
}

// v[i] = clamp(factor * v[i], -87, 88), the domain of expClamped. A loop of its own on purpose: g++
// turns the selects into SIMD min/max only when the result goes straight to memory; feeding further
// arithmetic it keeps branches and the whole loop stays scalar.
inline void scaleClamped(float* v, int n, float factor) {
    for (int i = 0; i < n; ++i) {
        const float t = factor * v[i];
        v[i]          = t < -87.0f ? -87.0f : (t > 88.0f ? 88.0f : t);
    }
}

enum Activation { kSigmoid, kTanh, kRelu };

// Applies `kind` to n values in place, with the switch outside the loops so each loop vectorises.
void activateAll(Activation kind, float* v, int n) {
    switch (kind) {
        case kSigmoid:  // 1 / (1 + exp(-x))
            scaleClamped(v, n, -1.0f);
            for (int i = 0; i < n; ++i) v[i] = 1.0f / (1.0f + expClamped(v[i]));
            break;
        case kTanh:  // 1 - 2 / (exp(2x) + 1): exact limits +-1 at both ends
            scaleClamped(v, n, 2.0f);
            for (int i = 0; i < n; ++i) v[i] = 1.0f - 2.0f / (expClamped(v[i]) + 1.0f);
            break;
        default:
            for (int i = 0; i < n; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
    }
}

bool parseActivation(const std::string& name, Activation& out) {
    if (name == "Sigmoid") out = kSigmoid;
    else if (name == "Tanh") out = kTanh;
    else if (name == "Relu") out = kRelu;
    else return false;
    return true;
}

// dst[c][r] = src[r][c] for a rows x cols row-major matrix.
void transpose(const float* src, float* dst, int rows, int cols) {
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) dst[(size_t)c * rows + r] = src[(size_t)r * cols + c];
    }
}

// c[rows, n] += a[rows, k] x m[k, n] (row-major; a's rows lda apart, c's rows ldc apart), the i-k-j
// order of MatMul: three rows of c and a 32-column strip are summed in registers (3 x 4 AVX
// registers) over all of k, so each loaded element of m serves three rows and c is read and
// written once. Edge rows and columns use the same loop with runtime sizes.
constexpr int kRowTile = 3;
constexpr int kColTile = 32;

void addMatMul(const float* a, int lda, int rows, int k, const float* m, int n, float* c, int ldc) {
    for (int j0 = 0; j0 < n; j0 += kColTile) {
        const int width = ALIMIN(kColTile, n - j0);
        int r0          = 0;
        if (width == kColTile) {
            for (; r0 + kRowTile <= rows; r0 += kRowTile) {
                float acc[kRowTile][kColTile] = {};
                for (int p = 0; p < k; ++p) {
                    const float* mr = m + (size_t)p * n + j0;
                    for (int r = 0; r < kRowTile; ++r) {
                        const float av = a[(size_t)(r0 + r) * lda + p];
                        for (int j = 0; j < kColTile; ++j) acc[r][j] += av * mr[j];
                    }
                }
                for (int r = 0; r < kRowTile; ++r) {
                    float* cr = c + (size_t)(r0 + r) * ldc + j0;
                    for (int j = 0; j < kColTile; ++j) cr[j] += acc[r][j];
                }
            }
        }
        for (int r = r0; r < rows; ++r) {
            float acc[kColTile] = {};
            for (int p = 0; p < k; ++p) {
                const float av  = a[(size_t)r * lda + p];
                const float* mr = m + (size_t)p * n + j0;
                for (int j = 0; j < width; ++j) acc[j] += av * mr[j];
            }
            float* cr = c + (size_t)r * ldc + j0;
            for (int j = 0; j < width; ++j) cr[j] += acc[j];
        }
    }
}

}  // namespace

class CPULSTM : public Execution {
public:
    CPULSTM(Backend* backend, int hidden, const std::string& direction, int layout, float clip, bool inputForget,
            const std::vector<std::string>& activations)
        : Execution(backend), mHidden(hidden), mLayout(layout), mClip(clip), mInputForget(inputForget) {
        mDirections = direction == "bidirectional" ? 2 : 1;
        mReverse    = direction == "reverse";
        mValid      = direction == "forward" || direction == "reverse" || direction == "bidirectional";
        // Three activations (f, g, h) per direction; default Sigmoid, Tanh, Tanh.
        mAct.assign(3 * mDirections, kTanh);
        for (int d = 0; d < mDirections; ++d) mAct[3 * d] = kSigmoid;
        if (!activations.empty()) {
            if ((int)activations.size() != 3 * mDirections) mValid = false;
            for (size_t i = 0; i < activations.size() && mValid; ++i) mValid = parseActivation(activations[i], mAct[i]);
        }
    }

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        if (!mValid) {
            return NOT_SUPPORT;
        }
        const Tensor* x = inputs[0];
        const Tensor* w = inputs[1];
        if (x->dimensions() != 3 || w->dimensions() != 3 || w->length(0) != mDirections) {
            return INVALID_VALUE;
        }
        mSeq   = mLayout == 0 ? x->length(0) : x->length(1);
        mBatch = mLayout == 0 ? x->length(1) : x->length(0);
        mInput = x->length(2);
        if (mHidden <= 0) {
            mHidden = w->length(1) / 4;  // hidden_size is optional: W has 4H rows
        }
        if (w->length(1) != 4 * mHidden || w->length(2) != mInput) {
            return INVALID_VALUE;
        }
        // Which graph output is which: Y is 4-D, then Y_h and Y_c (3-D) in this order.
        mY = mYh = mYc = -1;
        for (int k = 0; k < (int)outputs.size(); ++k) {
            if (outputs[k]->dimensions() == 4) mY = k;
            else if (mYh < 0) mYh = k;
            else mYc = k;
        }
        const int g = 4 * mHidden;
        mWT.resize((size_t)mInput * g);
        mRT.resize((size_t)mHidden * g);
        mBias.resize(g);
        mGatesX.resize((size_t)mSeq * mBatch * g);
        mGates.resize((size_t)mBatch * g);
        mH.resize((size_t)mDirections * mBatch * mHidden);
        mC.resize((size_t)mDirections * mBatch * mHidden);
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        auto input = [&](int i) -> const Tensor* { return (int)inputs.size() > i ? inputs[i] : nullptr; };
        const float* x    = inputs[0]->host<float>();
        const float* w    = inputs[1]->host<float>();
        const float* r    = inputs[2]->host<float>();
        const float* b    = input(3) ? input(3)->host<float>() : nullptr;
        const int32_t* sl = input(4) ? input(4)->host<int32_t>() : nullptr;
        const float* h0   = input(5) ? input(5)->host<float>() : nullptr;
        const float* c0   = input(6) ? input(6)->host<float>() : nullptr;
        const float* p    = input(7) ? input(7)->host<float>() : nullptr;
        const int H = mHidden, G = 4 * H, batch = mBatch, seq = mSeq;
        float* y  = mY >= 0 ? outputs[mY]->host<float>() : nullptr;
        float* yh = mYh >= 0 ? outputs[mYh]->host<float>() : nullptr;
        float* yc = mYc >= 0 ? outputs[mYc]->host<float>() : nullptr;
        // Steps beyond a sequence length leave Y at zero.
        if (y != nullptr && sl != nullptr) {
            std::memset(y, 0, (size_t)seq * mDirections * batch * H * sizeof(float));
        }
        for (int d = 0; d < mDirections; ++d) {
            const bool reverse = mReverse || d == 1;
            const Activation fAct = mAct[3 * d], gAct = mAct[3 * d + 1], hAct = mAct[3 * d + 2];
            // 1. Transposed weights and the combined bias.
            transpose(w + (size_t)d * G * mInput, mWT.data(), G, mInput);
            transpose(r + (size_t)d * G * H, mRT.data(), G, H);
            for (int j = 0; j < G; ++j) mBias[j] = b != nullptr ? b[(size_t)d * 2 * G + j] + b[(size_t)d * 2 * G + G + j] : 0.0f;
            // 2. Input contribution of every step: mGatesX[t][b] = x[t][b] W^T + bias, as one matrix
            //    product over all (t, b) rows (layout 0) or one per step (layout 1, rows seq apart).
            for (size_t row = 0; row < (size_t)seq * batch; ++row) {
                std::memcpy(mGatesX.data() + row * G, mBias.data(), G * sizeof(float));
            }
            if (mLayout == 0) {
                addMatMul(x, mInput, seq * batch, mInput, mWT.data(), G, mGatesX.data(), G);
            } else {
                for (int t = 0; t < seq; ++t) {
                    addMatMul(x + (size_t)t * mInput, seq * mInput, batch, mInput, mWT.data(), G,
                              mGatesX.data() + (size_t)t * batch * G, G);
                }
            }
            // Initial state.
            float* hState = mH.data() + (size_t)d * batch * H;
            float* cState = mC.data() + (size_t)d * batch * H;
            for (int bi = 0; bi < batch; ++bi) {
                // initial_h / initial_c have Y_h's layout.
                const size_t off = stateOffset(d, bi);
                for (int j = 0; j < H; ++j) {
                    hState[(size_t)bi * H + j] = h0 != nullptr ? h0[off + j] : 0.0f;
                    cState[(size_t)bi * H + j] = c0 != nullptr ? c0[off + j] : 0.0f;
                }
            }
            const float* peep = p != nullptr ? p + (size_t)d * 3 * H : nullptr;
            // 3. The recurrence. Each step: the gates of the whole batch start from their input part,
            //    get H R^T added in one matrix product, then the element-wise gate equations run.
            for (int step = 0; step < seq; ++step) {
                const int t = reverse ? seq - 1 - step : step;
                for (int bi = 0; bi < batch; ++bi) {
                    const int tb = stepOf(t, bi, reverse, sl);
                    if (tb >= 0) {
                        std::memcpy(mGates.data() + (size_t)bi * G, mGatesX.data() + ((size_t)tb * batch + bi) * G,
                                    G * sizeof(float));
                    }
                }
                addMatMul(hState, H, batch, H, mRT.data(), G, mGates.data(), G);
                for (int bi = 0; bi < batch; ++bi) {
                    const int tb = stepOf(t, bi, reverse, sl);
                    if (tb < 0) continue;  // past this entry's sequence length: state frozen
                    float* gates = mGates.data() + (size_t)bi * G;
                    float* hb    = hState + (size_t)bi * H;
                    float* cb    = cState + (size_t)bi * H;
                    float* gi = gates;          // input gate
                    float* go = gates + H;      // output gate
                    float* gf = gates + 2 * H;  // forget gate
                    float* gc = gates + 3 * H;  // cell candidate
                    if (peep != nullptr) {
                        for (int j = 0; j < H; ++j) {
                            gi[j] += peep[j] * cb[j];
                            gf[j] += peep[2 * H + j] * cb[j];
                        }
                    }
                    if (mClip > 0.0f) {
                        for (int j = 0; j < 3 * H; ++j) {
                            const int idx = j < H ? j : j + H;  // i, f, c (o is clipped after its peephole)
                            gates[idx]    = ALIMAX(-mClip, ALIMIN(mClip, gates[idx]));
                        }
                    }
                    activateAll(fAct, gi, H);
                    activateAll(gAct, gc, H);
                    if (mInputForget) {
                        for (int j = 0; j < H; ++j) gf[j] = 1.0f - gi[j];
                    } else {
                        activateAll(fAct, gf, H);
                    }
                    for (int j = 0; j < H; ++j) cb[j] = gf[j] * cb[j] + gi[j] * gc[j];
                    if (peep != nullptr) {
                        for (int j = 0; j < H; ++j) go[j] += peep[H + j] * cb[j];
                    }
                    if (mClip > 0.0f) {
                        for (int j = 0; j < H; ++j) go[j] = ALIMAX(-mClip, ALIMIN(mClip, go[j]));
                    }
                    activateAll(fAct, go, H);
                    // h(C') into gc (no longer needed), then H' = o * h(C').
                    float* hc = gc;
                    std::memcpy(hc, cb, H * sizeof(float));
                    activateAll(hAct, hc, H);
                    for (int j = 0; j < H; ++j) hb[j] = go[j] * hc[j];
                    if (y != nullptr) {
                        float* yr = y + (mLayout == 0 ? (((size_t)tb * mDirections + d) * batch + bi) * H
                                                      : (((size_t)bi * seq + tb) * mDirections + d) * H);
                        std::memcpy(yr, hb, H * sizeof(float));
                    }
                }
            }
            // Final states.
            for (int bi = 0; bi < batch; ++bi) {
                const size_t off = stateOffset(d, bi);
                if (yh != nullptr) std::memcpy(yh + off, hState + (size_t)bi * H, H * sizeof(float));
                if (yc != nullptr) std::memcpy(yc + off, cState + (size_t)bi * H, H * sizeof(float));
            }
        }
        return NO_ERROR;
    }

private:
    // The time index batch entry b processes at loop time t, or -1 when it is past its sequence
    // length. Reverse runs over the valid steps only: len-1 down to 0.
    int stepOf(int t, int b, bool reverse, const int32_t* lengths) const {
        const int len = lengths != nullptr ? lengths[b] : mSeq;
        const int tb  = reverse ? t - (mSeq - len) : t;
        return tb >= 0 && tb < len ? tb : -1;
    }

    // Offset of (direction d, batch entry b) in Y_h / Y_c / initial_h / initial_c:
    // [dirs, batch, H] for layout 0, [batch, dirs, H] for layout 1.
    size_t stateOffset(int d, int b) const {
        return (mLayout == 0 ? (size_t)d * mBatch + b : (size_t)b * mDirections + d) * mHidden;
    }

    int mHidden, mLayout;
    float mClip;
    bool mInputForget, mReverse = false, mValid = true;
    int mDirections = 1;
    std::vector<Activation> mAct;
    int mSeq = 0, mBatch = 0, mInput = 0;
    int mY = -1, mYh = -1, mYc = -1;  // output index of Y, Y_h, Y_c (-1: not exposed)
    std::vector<float> mWT, mRT, mBias, mGatesX, mGates, mH, mC;
};

class CPULSTMCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPULSTM(backend, (int)op->getInt("hidden_size", 0), op->getString("direction", "forward"),
                           (int)op->getInt("layout", 0), op->getFloat("clip", 0.0f),
                           op->getInt("input_forget", 0) != 0, op->getStrings("activations"));
    }
};

REGISTER_CPU_OP_CREATOR(CPULSTMCreator, OpType_LSTM);

} // namespace MNN
