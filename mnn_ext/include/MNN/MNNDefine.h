// Logging and assertion macros, as MNN's include/MNN/MNNDefine.h.
#ifndef MNN_MNNDefine_h
#define MNN_MNNDefine_h

#include <cstdio>
#include <cstdlib>

#define MNN_PRINT(format, ...) std::fprintf(stderr, format, ##__VA_ARGS__)
#define MNN_ERROR(format, ...) std::fprintf(stderr, format, ##__VA_ARGS__)

#ifdef MNN_DEBUG
#define MNN_ASSERT(x)                                                              \
    do {                                                                           \
        if (!(x)) {                                                                \
            MNN_ERROR("Error for %s, %d: assertion `%s` failed\n", __FILE__, __LINE__, #x); \
            std::abort();                                                          \
        }                                                                          \
    } while (0)
#else
#define MNN_ASSERT(x)
#endif

#define MNN_PUBLIC __attribute__((visibility("default")))
#define MNN_CHECK(success, log) \
    if (!(success)) {           \
        MNN_ERROR("Check failed: %s ==> %s\n", #success, #log); \
    }

#endif
