// Element type descriptor, as MNN's include/MNN/HalideRuntime.h (subset).
#ifndef MNN_HalideRuntime_h
#define MNN_HalideRuntime_h

#include <cstdint>

typedef enum halide_type_code_t {
    halide_type_int   = 0,
    halide_type_uint  = 1,
    halide_type_float = 2,
    halide_type_handle = 3,
    halide_type_bfloat = 4,
} halide_type_code_t;

struct halide_type_t {
    uint8_t code;  // halide_type_code_t
    uint8_t bits;  // bits per element
    uint16_t lanes;

    halide_type_t() : code(halide_type_float), bits(32), lanes(1) {}
    halide_type_t(halide_type_code_t c, uint8_t b, uint16_t l = 1) : code((uint8_t)c), bits(b), lanes(l) {}
    bool operator==(const halide_type_t& o) const { return code == o.code && bits == o.bits && lanes == o.lanes; }
    bool operator!=(const halide_type_t& o) const { return !(*this == o); }
    int bytes() const { return (bits + 7) / 8; }
};

template <typename T> halide_type_t halide_type_of();
template <> inline halide_type_t halide_type_of<float>() { return halide_type_t(halide_type_float, 32); }
template <> inline halide_type_t halide_type_of<double>() { return halide_type_t(halide_type_float, 64); }
template <> inline halide_type_t halide_type_of<int8_t>() { return halide_type_t(halide_type_int, 8); }
template <> inline halide_type_t halide_type_of<int16_t>() { return halide_type_t(halide_type_int, 16); }
template <> inline halide_type_t halide_type_of<int32_t>() { return halide_type_t(halide_type_int, 32); }
template <> inline halide_type_t halide_type_of<int64_t>() { return halide_type_t(halide_type_int, 64); }
template <> inline halide_type_t halide_type_of<uint8_t>() { return halide_type_t(halide_type_uint, 8); }
template <> inline halide_type_t halide_type_of<uint16_t>() { return halide_type_t(halide_type_uint, 16); }
template <> inline halide_type_t halide_type_of<uint32_t>() { return halide_type_t(halide_type_uint, 32); }
// Booleans travel as one byte (0 or 1), like ONNX/numpy bool; MNN itself uses int32 for them.
template <> inline halide_type_t halide_type_of<bool>() { return halide_type_t(halide_type_uint, 8); }

#endif
