// Cast (ONNX): converts every element to the type given by the `to` attribute (a TensorProto
// data type: 1 float, 2 uint8, 3 int8, 4 uint16, 5 int16, 6 int32, 7 int64, 9 bool, 10 float16,
// 11 double, 12 uint32). The input may be float32/float64 or any integer/bool type.
//
// Rules (as ONNX and PyTorch): float -> integer truncates toward zero; anything -> bool is
// (x != 0); float -> float16 rounds to nearest, ties to even, overflowing to +-inf, with NaN kept.
// float16 has no C++ type: the runner stores it as IEEE half bits in uint16_t. They come from the
// CPU's conversion instruction where there is one, else from the float's bits (same rounding).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__F16C__)
#include <immintrin.h>
#elif defined(__ARM_NEON) && defined(__aarch64__)
#include <arm_neon.h>
#endif

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "core/Macro.h"

namespace MNN {

namespace {

enum OnnxType { FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, BOOL = 9,
                FLOAT16 = 10, DOUBLE = 11, UINT32 = 12 };

// float32 -> IEEE binary16 bits, round to nearest even (F. Giesen's float_to_half_fast3_rtne).
// The common case (a normal half) is branch-free; the two rare cases branch, which predicts well.
inline uint16_t floatToHalf(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    const uint32_t sign = x & 0x80000000u;
    x ^= sign;
    uint16_t h;
    if (x >= 0x47800000u) {
        // |f| >= 65536, inf or NaN: infinity, or a quiet NaN.
        h = x > 0x7F800000u ? 0x7E00u : 0x7C00u;
    } else if (x < 0x38800000u) {
        // |f| < 2^-14: a half subnormal (or zero). Adding 0.5f lines the 10 mantissa bits up at
        // the bottom of the float, and the float addition itself rounds to nearest even.
        float a;
        std::memcpy(&a, &x, 4);
        a += 0.5f;
        uint32_t b;
        std::memcpy(&b, &a, 4);
        h = (uint16_t)(b - 0x3F000000u);
    } else {
        // Normal: rebias the exponent (127 -> 15) and round away the 13 low mantissa bits:
        // adding 0xFFF plus the lowest kept bit rounds half to even; a carry bumps the exponent
        // (up to infinity for 65520 <= |f| < 65536).
        const uint32_t odd = (x >> 13) & 1u;
        x += 0xC8000000u + 0xFFFu + odd;  // 0xC8000000 = (15 - 127) << 23, modulo 2^32
        h = (uint16_t)(x >> 13);
    }
    return (uint16_t)(sign >> 16) | h;
}

// Converts n elements src -> dst; split over threads in contiguous chunks.
template <typename S, typename D>
void castLoop(const S* src, D* dst, int n, int threads) {
    const int chunk = UP_DIV(n, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, n);
        for (int i = begin; i < end; ++i) dst[i] = static_cast<D>(src[i]);
    }
    MNN_CONCURRENCY_END();
}

// Bool targets are bytes 0/1.
template <typename S>
void castToBool(const S* src, uint8_t* dst, int n) {
    for (int i = 0; i < n; ++i) dst[i] = src[i] != S(0) ? 1 : 0;
}

// float32 -> float16 for a contiguous range: hardware conversion where the CPU has it (x86 F16C,
// AArch64 FCVTN; both round to nearest even like floatToHalf), scalar for the tail.
inline void halfRange(const float* src, uint16_t* dst, int begin, int end) {
    int i = begin;
#if defined(__F16C__)
    for (; i + 8 <= end; i += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h);
    }
#elif defined(__ARM_NEON) && defined(__aarch64__)
    for (; i + 4 <= end; i += 4) {
        vst1_u16(dst + i, vreinterpret_u16_f16(vcvt_f16_f32(vld1q_f32(src + i))));
    }
#endif
    for (; i < end; ++i) dst[i] = floatToHalf(src[i]);
}

template <typename S>
void castToHalf(const S* src, uint16_t* dst, int n, int threads) {
    const int chunk = UP_DIV(n, threads);
    MNN_CONCURRENCY_BEGIN(tId, threads) {
        const int begin = tId * chunk;
        const int end   = ALIMIN(begin + chunk, n);
        if (std::is_same<S, float>::value) {
            halfRange(reinterpret_cast<const float*>(src), dst, begin, end);
        } else {
            // Other sources go through float first (exact for the values float16 can hold).
            for (int i = begin; i < end; ++i) dst[i] = floatToHalf((float)src[i]);
        }
    }
    MNN_CONCURRENCY_END();
}

// Dispatch on the destination type for a known source type.
template <typename S>
ErrorCode castFrom(const S* src, Tensor* out, int to, int n, int threads) {
    switch (to) {
        case FLOAT:   castLoop(src, out->host<float>(), n, threads); break;
        case DOUBLE:  castLoop(src, out->host<double>(), n, threads); break;
        case INT8:    castLoop(src, out->host<int8_t>(), n, threads); break;
        case INT16:   castLoop(src, out->host<int16_t>(), n, threads); break;
        case INT32:   castLoop(src, out->host<int32_t>(), n, threads); break;
        case INT64:   castLoop(src, out->host<int64_t>(), n, threads); break;
        case UINT8:   castLoop(src, out->host<uint8_t>(), n, threads); break;
        case UINT16:  castLoop(src, out->host<uint16_t>(), n, threads); break;
        case UINT32:  castLoop(src, out->host<uint32_t>(), n, threads); break;
        case BOOL:    castToBool(src, out->host<uint8_t>(), n); break;
        case FLOAT16: castToHalf(src, out->host<uint16_t>(), n, threads); break;
        default: return NOT_SUPPORT;
    }
    return NO_ERROR;
}

}  // namespace

class CPUCast : public Execution {
public:
    CPUCast(Backend* backend, int to) : Execution(backend), mTo(to) {}

    ErrorCode onExecute(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs) override {
        const Tensor* x     = inputs[0];
        Tensor* y           = outputs[0];
        const int n         = x->elementSize();
        const int threads   = backend()->threadNumber();
        const halide_type_t t = x->getType();
        // Source type from the input tensor (bool travels as uint8 0/1, which converts the same way).
        if (t.code == halide_type_float && t.bits == 32) return castFrom(x->host<float>(), y, mTo, n, threads);
        if (t.code == halide_type_float && t.bits == 64) return castFrom(x->host<double>(), y, mTo, n, threads);
        if (t.code == halide_type_int && t.bits == 8) return castFrom(x->host<int8_t>(), y, mTo, n, threads);
        if (t.code == halide_type_int && t.bits == 16) return castFrom(x->host<int16_t>(), y, mTo, n, threads);
        if (t.code == halide_type_int && t.bits == 32) return castFrom(x->host<int32_t>(), y, mTo, n, threads);
        if (t.code == halide_type_int && t.bits == 64) return castFrom(x->host<int64_t>(), y, mTo, n, threads);
        if (t.code == halide_type_uint && t.bits == 8) return castFrom(x->host<uint8_t>(), y, mTo, n, threads);
        if (t.code == halide_type_uint && t.bits == 16) return castFrom(x->host<uint16_t>(), y, mTo, n, threads);
        if (t.code == halide_type_uint && t.bits == 32) return castFrom(x->host<uint32_t>(), y, mTo, n, threads);
        return NOT_SUPPORT;  // float16 / bfloat16 sources are not handled by this kernel
    }

private:
    int mTo;
};

class CPUCastCreator : public CPUBackend::Creator {
public:
    Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs, const MNN::Op* op,
                        Backend* backend) const override {
        // `to` is required by ONNX; 1 (float) if absent.
        return new CPUCast(backend, (int)op->getInt("to", 1));
    }
};

REGISTER_CPU_OP_CREATOR(CPUCastCreator, OpType_Cast);

} // namespace MNN
