// STFT (ONNX opset 17+), float. Inputs: signal [batch, length, 1] (real) or [batch, length, 2]
// (complex), or [batch, length] (real: what torch's exporter writes and onnxruntime accepts), frame_step (int64 scalar), optional window [frame_length], optional frame_length (int64
// scalar). Attribute onesided (default 1: only bins 0..N/2 of a real signal, the rest being their
// complex conjugates). Output [batch, frames, bins, 2] (real, imaginary), frames =
// (length - N) / frame_step + 1 (no padding), with
//     out[b][f][k] = sum_n signal[b][f * frame_step + n] * window[n] * exp(-2 pi i k n / N).
//
// Scheme: a radix-2 FFT (N log2 N work instead of the N^2 of the sum above) run on kLanes frames at
// once. The frames of a group are interleaved, element t of frame l at [t * kLanes + l], in split
// real / imaginary arrays, so every butterfly step applies to kLanes neighbouring floats: all
// stages, even the first ones whose butterfly groups are only 1, 2 or 4 elements long, run over
// contiguous memory and vectorise. Each frame is windowed while being copied in bit-reversed order;
// stage h then combines pairs of half-length transforms with the twiddles exp(-2 pi i j / 2h),
// stored per stage and repeated kLanes times so the twiddle loads are contiguous too. Frame lengths
// that are not powers of two use the direct sum with a precomputed cos/sin table. Tables are built
// in double precision once per frame length.
#include <cmath>
#include <cstdint>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {
constexpr int kLanes = 8;  // frames transformed together (one AVX register of floats)

// One butterfly row of an FFT stage over `count` interleaved elements: b' = a - w b, a' = a + w b
// (complex). __restrict tells the compiler the six arrays do not overlap, which it cannot prove
// and would otherwise give up vectorising (too many pairs to check at run time).
inline void butterflies(float* __restrict ar, float* __restrict ai, float* __restrict br, float* __restrict bi,
                        const float* __restrict wr, const float* __restrict wi, int count) {
    for (int m = 0; m < count; ++m) {
        const float tr = br[m] * wr[m] - bi[m] * wi[m];
        const float ti = br[m] * wi[m] + bi[m] * wr[m];
        br[m]          = ar[m] - tr;
        bi[m]          = ai[m] - ti;
        ar[m] += tr;
        ai[m] += ti;
    }
}
}  // namespace

class CPUSTFT : public Execution {
public:
    CPUSTFT(Backend* backend, bool onesided) : Execution(backend), mOnesided(onesided) {}

    ErrorCode onResize(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* signal = inputs[0];
        const Tensor* out    = outputs[0];
        const bool rank3 = signal->dimensions() == 3;
        if ((!rank3 && signal->dimensions() != 2) || (rank3 && signal->length(2) != 1 && signal->length(2) != 2) ||
            out->dimensions() != 4 || out->length(3) != 2) {
            return INVALID_VALUE;
        }
        mComplex = rank3 && signal->length(2) == 2;
        if (mComplex && mOnesided) {
            return INVALID_VALUE;  // onesided output is defined for real signals only
        }
        mFrames = out->length(1);
        mBins   = out->length(2);
        // The frame length is the window's length when there is a window (tables can be built now);
        // otherwise it is the frame_length input's value, read in onExecute, and at most 2 * bins.
        const Tensor* window = inputs.size() > 2 ? inputs[2] : nullptr;
        const int maxN       = window != nullptr ? window->length(0) : (mOnesided ? 2 * mBins : mBins);
        if (window != nullptr && window->length(0) != mN) {
            buildTables(window->length(0));
        }
        const int threads = backend()->threadNumber();
        mWorkRe.assign((size_t)threads * maxN * kLanes, 0.0f);
        mWorkIm.assign((size_t)threads * maxN * kLanes, 0.0f);
        mMaxN = maxN;
        return NO_ERROR;
    }

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* signal   = inputs[0];
        const Tensor* window   = inputs.size() > 2 ? inputs[2] : nullptr;
        const Tensor* lengthIn = inputs.size() > 3 ? inputs[3] : nullptr;
        const int64_t step     = inputs[1]->host<int64_t>()[0];
        // Frame length: the window's length, else the frame_length input.
        const int n = window != nullptr ? window->length(0)
                                        : (lengthIn != nullptr ? (int)lengthIn->host<int64_t>()[0] : 0);
        if (n <= 0 || n > mMaxN || step <= 0) {
            return INVALID_VALUE;
        }
        const int batch = signal->length(0), length = signal->length(1), channels = signal->dimensions() == 3 ? signal->length(2) : 1;
        if (length < n || mFrames != (int)((length - n) / step + 1) || mBins != (mOnesided ? n / 2 + 1 : n)) {
            return INVALID_VALUE;
        }
        if (n != mN) {
            buildTables(n);
        }
        const float* src = signal->host<float>();
        const float* win = window != nullptr ? window->host<float>() : nullptr;
        float* dst       = outputs[0]->host<float>();

        // Groups of kLanes frames (of one batch entry) are independent: split them over threads,
        // each with its own work arrays.
        const int groupsPerBatch = UP_DIV(mFrames, kLanes);
        const int tasks          = batch * groupsPerBatch;
        const int threads        = backend()->threadNumber();
        const int chunk          = UP_DIV(tasks, threads);
        MNN_CONCURRENCY_BEGIN(tId, threads) {
            float* re     = mWorkRe.data() + (size_t)tId * mMaxN * kLanes;
            float* im     = mWorkIm.data() + (size_t)tId * mMaxN * kLanes;
            const int end = ALIMIN(tId * chunk + chunk, tasks);
            for (int task = tId * chunk; task < end; ++task) {
                const int b      = task / groupsPerBatch;
                const int f0     = (task % groupsPerBatch) * kLanes;
                const int frames = ALIMIN(kLanes, mFrames - f0);
                const float* first = src + ((size_t)b * length + (size_t)f0 * step) * channels;
                float* out         = dst + ((size_t)b * mFrames + f0) * mBins * 2;
                if (mPowerOfTwo) {
                    fftGroup(first, step * channels, frames, channels, win, re, im);
                    for (int l = 0; l < frames; ++l) {
                        float* o = out + (size_t)l * mBins * 2;
                        for (int k = 0; k < mBins; ++k) {
                            o[2 * k]     = re[k * kLanes + l];
                            o[2 * k + 1] = im[k * kLanes + l];
                        }
                    }
                } else {
                    for (int l = 0; l < frames; ++l) {
                        dft(first + (size_t)l * step * channels, channels, win, re, im);
                        float* o = out + (size_t)l * mBins * 2;
                        for (int k = 0; k < mBins; ++k) {
                            o[2 * k]     = re[k];
                            o[2 * k + 1] = im[k];
                        }
                    }
                }
            }
        }
        MNN_CONCURRENCY_END();
        return NO_ERROR;
    }

private:
    void buildTables(int n) {
        mN          = n;
        mPowerOfTwo = (n & (n - 1)) == 0;
        const double twoPi = 6.283185307179586476925286766559;
        if (mPowerOfTwo) {
            int bits = 0;
            while ((1 << bits) < n) ++bits;
            mBitReverse.resize(n);
            for (int i = 0; i < n; ++i) {
                int r = 0;
                for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
                mBitReverse[i] = r;
            }
            // Twiddles of the stage with half-size h, exp(-2 pi i j / (2h)) for j < h, at
            // [(h + j) * kLanes, (h + j + 1) * kLanes): once per lane.
            mTwRe.assign((size_t)ALIMAX(n, 2) * kLanes, 0.0f);
            mTwIm.assign((size_t)ALIMAX(n, 2) * kLanes, 0.0f);
            for (int h = 1; h < n; h *= 2) {
                for (int j = 0; j < h; ++j) {
                    for (int l = 0; l < kLanes; ++l) {
                        mTwRe[(size_t)(h + j) * kLanes + l] = (float)std::cos(twoPi * j / (2.0 * h));
                        mTwIm[(size_t)(h + j) * kLanes + l] = (float)-std::sin(twoPi * j / (2.0 * h));
                    }
                }
            }
        } else {
            // exp(-2 pi i m / n) for m = (k * t) mod n.
            mTwRe.resize(n);
            mTwIm.resize(n);
            for (int m = 0; m < n; ++m) {
                mTwRe[m] = (float)std::cos(twoPi * m / n);
                mTwIm[m] = (float)-std::sin(twoPi * m / n);
            }
        }
    }

    // Windowed sample t of a frame: (real, imaginary).
    static inline void sample(const float* frame, int channels, const float* win, int t, float& re, float& im) {
        const float w = win != nullptr ? win[t] : 1.0f;
        re            = frame[(size_t)t * channels] * w;
        im            = channels == 2 ? frame[(size_t)t * channels + 1] * w : 0.0f;
    }

    // FFT of `frames` (<= kLanes) frames starting at `first`, `stride` floats apart; lanes beyond
    // `frames` are zero. Result interleaved: bin k of frame l at [k * kLanes + l].
    void fftGroup(const float* first, size_t stride, int frames, int channels, const float* win, float* re,
                  float* im) const {
        const int n     = mN;
        const int* rev  = mBitReverse.data();
        const float* tr = mTwRe.data();
        const float* ti = mTwIm.data();
        for (int t = 0; t < n; ++t) {
            float* dr = re + (size_t)rev[t] * kLanes;
            float* di = im + (size_t)rev[t] * kLanes;
            for (int l = 0; l < kLanes; ++l) {
                if (l < frames) {
                    sample(first + l * stride, channels, win, t, dr[l], di[l]);
                } else {
                    dr[l] = di[l] = 0.0f;
                }
            }
        }
        for (int h = 1; h < n; h *= 2) {
            const size_t half = (size_t)h * kLanes;  // floats in one half of a butterfly group
            for (int start = 0; start < n; start += 2 * h) {
                float* ar = re + (size_t)start * kLanes;
                float* ai = im + (size_t)start * kLanes;
                butterflies(ar, ai, ar + half, ai + half, tr + half, ti + half, (int)half);
            }
        }
    }

    void dft(const float* frame, int channels, const float* win, float* re, float* im) const {
        const int n = mN;
        for (int k = 0; k < mBins; ++k) {
            float sr = 0.0f, si = 0.0f;
            int m    = 0;  // (k * t) mod n, updated incrementally
            for (int t = 0; t < n; ++t) {
                float xr, xi;
                sample(frame, channels, win, t, xr, xi);
                sr += xr * mTwRe[m] - xi * mTwIm[m];
                si += xr * mTwIm[m] + xi * mTwRe[m];
                m += k;
                if (m >= n) m -= n;
            }
            re[k] = sr;
            im[k] = si;
        }
    }

    bool mOnesided;
    bool mComplex = false, mPowerOfTwo = false;
    int mFrames = 0, mBins = 0, mN = 0, mMaxN = 0;
    std::vector<int> mBitReverse;
    std::vector<float> mTwRe, mTwIm, mWorkRe, mWorkIm;
};

class CPUSTFTCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        return new CPUSTFT(backend, op->getInt("onesided", 1) != 0);
    }
};

REGISTER_CPU_OP_CREATOR(CPUSTFTCreator, OpType_STFT);

} // namespace MNN
