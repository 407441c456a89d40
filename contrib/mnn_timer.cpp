// mnn_timer: MNN's own kernel timed on a phone, for pytest-mobilekernel's --mk-mnn-runner.
//
// Build it against YOUR MNN build for the phone (MNN is not part of this project: its headers and
// libMNN.so come from github.com/alibaba/MNN built with the Android NDK), e.g.
//
//   $ANDROID_NDK_HOME/toolchains/llvm/prebuilt/linux-x86_64/bin/clang++
//       --target=aarch64-linux-android24 -O2 -std=c++17 -static-libstdc++
//       -I MNN/include -I mnn_ext/runner contrib/mnn_timer.cpp
//       -L MNN/build_android/ -lMNN -o mnn_timer
//
// and run pytest with --mk-mnn-runner=mnn_timer --mk-mnn-lib=MNN/build_android/libMNN.so.
//
// Contract (pytest_mobilekernel/baselines/mnn_device.py):
//   mnn_timer MODEL.mnn --warmup W --iterations N --threads T NAME=IN0.npy [NAME=IN1.npy ...]
// loads the model on MNN's CPU backend with T threads (release session mode, normal precision, as
// the host baseline), copies each .npy into the session input NAME (converted to the input's
// type, resized to the file's shape), runs W untimed inferences, then N timed ones, and prints
// {"samples_ns": [t1, ..., tN]} as its last stdout line. Exit 0; otherwise a one-line reason on
// stderr and exit 2.
//
// This file is not compiled by the project's CI (no MNN there); it was syntax-checked against
// MNN's public headers (include/MNN/Interpreter.hpp, Tensor.hpp).
#include <MNN/Interpreter.hpp>
#include <MNN/MNNForwardType.h>
#include <MNN/Tensor.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "npy.hpp"

namespace {

template <typename T>
std::vector<uint8_t> convert(const mk::NpyArray& a) {
    const std::string& d = a.descr;
    size_t n = 1;
    for (auto s : a.shape) n *= (size_t)s;
    std::vector<uint8_t> out(n * sizeof(T));
    T* dst = reinterpret_cast<T*>(out.data());
    const uint8_t* src = a.data.data();
    for (size_t i = 0; i < n; ++i) {
        double v;
        if (d == "<f4") { float x; std::memcpy(&x, src + 4 * i, 4); v = x; }
        else if (d == "<f8") { double x; std::memcpy(&x, src + 8 * i, 8); v = x; }
        else if (d == "<i4") { int32_t x; std::memcpy(&x, src + 4 * i, 4); v = x; }
        else if (d == "<i8") { int64_t x; std::memcpy(&x, src + 8 * i, 8); v = (double)x; }
        else if (d == "|b1" || d == "|u1") { v = src[i]; }
        else if (d == "|i1") { v = (int8_t)src[i]; }
        else throw std::runtime_error("unsupported input dtype " + d);
        dst[i] = (T)v;
    }
    return out;
}

void load(MNN::Interpreter* net, MNN::Session* session, const std::string& name, const std::string& path) {
    MNN::Tensor* input = net->getSessionInput(session, name.c_str());
    if (!input) throw std::runtime_error("model has no input named " + name);
    mk::NpyArray a = mk::readNpy(path);
    std::vector<int> shape(a.shape.begin(), a.shape.end());
    if (input->shape() != shape) {
        net->resizeTensor(input, shape);
        net->resizeSession(session);
        input = net->getSessionInput(session, name.c_str());
    }
    halide_type_t type = input->getType();
    std::vector<uint8_t> bytes;
    if (type.code == halide_type_float && type.bits == 32) bytes = convert<float>(a);
    else if (type.code == halide_type_int && type.bits == 32) bytes = convert<int32_t>(a);
    else if (type.code == halide_type_int && type.bits == 64) bytes = convert<int64_t>(a);
    else if (type.code == halide_type_uint && type.bits == 8) bytes = convert<uint8_t>(a);
    else if (type.code == halide_type_int && type.bits == 8) bytes = convert<int8_t>(a);
    else throw std::runtime_error("unsupported MNN input type for " + name);
    std::unique_ptr<MNN::Tensor> host(MNN::Tensor::create(shape, type, bytes.data(), MNN::Tensor::CAFFE));
    if (!input->copyFromHostTensor(host.get())) throw std::runtime_error("copy into input " + name + " failed");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) throw std::runtime_error("usage: mnn_timer MODEL.mnn --warmup W --iterations N --threads T NAME=IN.npy...");
        std::string model = argv[1];
        int warmup = 0, iterations = 1, threads = 1;
        std::vector<std::pair<std::string, std::string>> inputs;
        for (int i = 2; i < argc; ++i) {
            std::string a = argv[i];
            if ((a == "--warmup" || a == "--iterations" || a == "--threads") && i + 1 < argc) {
                int v = std::atoi(argv[++i]);
                (a == "--warmup" ? warmup : a == "--iterations" ? iterations : threads) = v;
            } else if (a.find('=') != std::string::npos) {
                inputs.emplace_back(a.substr(0, a.find('=')), a.substr(a.find('=') + 1));
            } else {
                throw std::runtime_error("unexpected argument " + a);
            }
        }
        std::unique_ptr<MNN::Interpreter> net(MNN::Interpreter::createFromFile(model.c_str()));
        if (!net) throw std::runtime_error("cannot load " + model);
        net->setSessionMode(MNN::Interpreter::Session_Release);
        MNN::ScheduleConfig config;
        config.type = MNN_FORWARD_CPU;
        config.numThread = threads;
        MNN::BackendConfig backend;
        backend.precision = MNN::BackendConfig::Precision_Normal;
        config.backendConfig = &backend;
        MNN::Session* session = net->createSession(config);
        if (!session) throw std::runtime_error("MNN cannot create a CPU session for " + model);
        for (const auto& in : inputs) load(net.get(), session, in.first, in.second);
        for (int i = 0; i < warmup; ++i)
            if (net->runSession(session) != MNN::NO_ERROR) throw std::runtime_error("runSession failed");
        std::vector<long long> samples;
        samples.reserve(iterations);
        for (int i = 0; i < iterations; ++i) {
            auto t0 = std::chrono::steady_clock::now();
            MNN::ErrorCode rc = net->runSession(session);
            auto t1 = std::chrono::steady_clock::now();
            if (rc != MNN::NO_ERROR) throw std::runtime_error("runSession failed");
            samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
        }
        std::printf("{\"samples_ns\": [");
        for (size_t i = 0; i < samples.size(); ++i) std::printf("%s%lld", i ? ", " : "", samples[i]);
        std::printf("]}\n");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mnn_timer: %s\n", e.what());
        return 2;
    }
}
