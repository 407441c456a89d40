// MNN-style error codes returned by Execution::onResize / onExecute.
// Values and names follow MNN's include/MNN/ErrorCode.hpp so kernels port unchanged.
#ifndef MNN_ErrorCode_h
#define MNN_ErrorCode_h

namespace MNN {
enum ErrorCode {
    NO_ERROR           = 0,
    OUT_OF_MEMORY      = 1,
    NOT_SUPPORT        = 2,
    COMPUTE_SIZE_ERROR = 3,
    NO_EXECUTION       = 4,
    INVALID_VALUE      = 5,

    // User error
    INPUT_DATA_ERROR = 10,
    CALL_BACK_STOP   = 11,

    // Op Resize Error
    TENSOR_NOT_SUPPORT = 20,
    TENSOR_NEED_DIVIDE = 21,
};

inline const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case NO_ERROR: return "NO_ERROR";
        case OUT_OF_MEMORY: return "OUT_OF_MEMORY";
        case NOT_SUPPORT: return "NOT_SUPPORT";
        case COMPUTE_SIZE_ERROR: return "COMPUTE_SIZE_ERROR";
        case NO_EXECUTION: return "NO_EXECUTION";
        case INVALID_VALUE: return "INVALID_VALUE";
        case INPUT_DATA_ERROR: return "INPUT_DATA_ERROR";
        case CALL_BACK_STOP: return "CALL_BACK_STOP";
        case TENSOR_NOT_SUPPORT: return "TENSOR_NOT_SUPPORT";
        case TENSOR_NEED_DIVIDE: return "TENSOR_NEED_DIVIDE";
    }
    return "UNKNOWN_ERROR";
}
} // namespace MNN

#endif
