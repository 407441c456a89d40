// Single-thread memory bandwidth of the device by working-set size, for the Accelerator's profile.
//
// For each size S it streams y[i] = a * x[i] over two float arrays of S/2 bytes each (S bytes of
// traffic per pass: the shape of an element-wise kernel, which is what most tasks are), repeats
// passes for about 2.5 ms, keeps the fastest of 20 such runs and prints one JSON line:
//   {"levels": [[S, GB/s], ...]}
// Sizes span L1, L2, L3 and DRAM, so a kernel's achieved GB/s can be read against the level its
// own working set lives in.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

static double seconds_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int main() {
    const size_t sizes[] = {32u << 10, 256u << 10, 2u << 20, 16u << 20, 128u << 20};
    std::printf("{\"levels\": [");
    bool first = true;
    for (size_t bytes : sizes) {
        const size_t n = bytes / 2 / sizeof(float);
        std::vector<float> x(n, 1.0f), y(n, 0.0f);
        float a = 1.0001f;
        double best = 1e30;
        for (int run = 0; run < 20; ++run) {
            int passes = 0;
            const double t0 = seconds_now();
            double t = t0;
            do {
                float* __restrict yp = y.data();
                const float* __restrict xp = x.data();
                for (size_t i = 0; i < n; ++i) yp[i] = a * xp[i];
                std::swap(x, y);  // the next pass reads what this one wrote: nothing to hoist
                ++passes;
                t = seconds_now();
            } while (t - t0 < 0.0025 && passes < 1000000);
            best = std::min(best, (t - t0) / passes);
        }
        volatile float sink = x[n / 2];
        (void)sink;
        std::printf("%s[%zu, %.3f]", first ? "" : ", ", bytes, (double)bytes / best / 1e9);
        first = false;
    }
    std::printf("]}\n");
    return 0;
}
