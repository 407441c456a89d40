// Parallel loop macros, as MNN's source/core/Concurrency.h:
//   MNN_CONCURRENCY_BEGIN(tId, count) { ... body using tId ... } MNN_CONCURRENCY_END();
// The body runs once for every tId in [0, count), spread over the backend's threads.
// As in MNN the body is a lambda: `return` leaves one iteration, not the kernel.
#ifndef MNN_Concurrency_h
#define MNN_Concurrency_h

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace MNN {
namespace concurrency {

// Set by the runner from the Backend's thread number (MNN keeps this in its global ThreadPool).
inline int& threadNumber() {
    static int number = 1;
    return number;
}

inline void parallelFor(int count, const std::function<void(int)>& body) {
    const int threads = threadNumber() < count ? threadNumber() : count;
    if (threads <= 1) {
        for (int i = 0; i < count; ++i) body(i);
        return;
    }
    std::atomic<int> next(0);
    auto worker = [&]() {
        for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) body(i);
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
}

} // namespace concurrency
} // namespace MNN

#define MNN_CONCURRENCY_BEGIN(__iter__, __num__) \
    { MNN::concurrency::parallelFor((int)(__num__), [&](int __iter__) {
#define MNN_CONCURRENCY_END() \
    }); }

#endif
