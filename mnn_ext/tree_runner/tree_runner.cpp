// The on-tree runner: links with a libMNN built from the user's MNN checkout (original or with a
// generated kernel swapped in), runs the task's converted single-node model through MNN's Session
// API on one thread, and times the task's operator alone through the per-op callbacks.
//
//   mk-tree-runner SPEC.json
//
// The spec is the lite runner's (trials, outputs, timing, serve mode) plus "model", the graph's
// "input_names"/"output_names" and "op_types": the MNN op types whose execution is timed (the
// operator the kernel registers). Layout conversions MNN inserts around an op are not timed, for
// the original kernel and the candidate alike. Exit codes as the lite runner: 0 ok, 2 bad spec or
// I/O, 3 the model never ran the timed op type, 5 session/resize error, 6 run error, 7 out of
// memory, 8 other exception. Diagnostics go to stderr as one line starting with "mk-tree-runner:".
#include <MNN/Interpreter.hpp>
#include <MNN/Tensor.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../runner/json.hpp"
#include "../runner/npy.hpp"

namespace {

struct Failure {
    int code;
    std::string message;
};

[[noreturn]] void fail(int code, const std::string& message) { throw Failure{code, message}; }

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) fail(2, "cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Element access by numpy descr, through double/int64 so any npy dtype feeds any tensor type.
double loadAsDouble(const std::string& d, const uint8_t* p, size_t i) {
    if (d == "<f4") return reinterpret_cast<const float*>(p)[i];
    if (d == "<f8") return reinterpret_cast<const double*>(p)[i];
    if (d == "<i4") return reinterpret_cast<const int32_t*>(p)[i];
    if (d == "<i8") return (double)reinterpret_cast<const int64_t*>(p)[i];
    if (d == "|i1") return reinterpret_cast<const int8_t*>(p)[i];
    if (d == "|u1" || d == "|b1") return p[i];
    if (d == "<i2") return reinterpret_cast<const int16_t*>(p)[i];
    fail(2, "unsupported input dtype " + d);
}

int elementBytes(const std::string& d) {
    if (d == "<f8" || d == "<i8") return 8;
    if (d == "<f4" || d == "<i4") return 4;
    if (d == "<i2") return 2;
    return 1;
}

void storeFromDouble(const std::string& d, uint8_t* p, size_t i, double v) {
    if (d == "<f4") reinterpret_cast<float*>(p)[i] = (float)v;
    else if (d == "<f8") reinterpret_cast<double*>(p)[i] = v;
    else if (d == "<i4") reinterpret_cast<int32_t*>(p)[i] = (int32_t)v;
    else if (d == "<i8") reinterpret_cast<int64_t*>(p)[i] = (int64_t)v;
    else if (d == "|i1") reinterpret_cast<int8_t*>(p)[i] = (int8_t)v;
    else if (d == "|u1") p[i] = (uint8_t)v;
    else if (d == "|b1") p[i] = v != 0.0;
    else if (d == "<i2") reinterpret_cast<int16_t*>(p)[i] = (int16_t)v;
    else fail(2, "unsupported dtype " + d);
}

// numpy descr of an MNN tensor's element type
std::string descrOf(halide_type_t t) {
    if (t.code == halide_type_float && t.bits == 32) return "<f4";
    if (t.code == halide_type_float && t.bits == 64) return "<f8";
    if (t.code == halide_type_int && t.bits == 32) return "<i4";
    if (t.code == halide_type_int && t.bits == 64) return "<i8";
    if (t.code == halide_type_int && t.bits == 8) return "|i1";
    if (t.code == halide_type_uint && t.bits == 8) return "|u1";
    if (t.code == halide_type_int && t.bits == 16) return "<i2";
    fail(2, "unsupported MNN tensor type (code " + std::to_string(t.code) + ", bits " + std::to_string(t.bits) + ")");
}

int run(const std::string& specPath) {
    mk::Json spec = mk::JsonParser(readFile(specPath)).parse();
    std::shared_ptr<MNN::Interpreter> net(MNN::Interpreter::createFromFile(spec["model"].str.c_str()),
                                          MNN::Interpreter::destroy);
    if (!net) fail(2, "MNN cannot load " + spec["model"].str);
    // Debug mode keeps the per-op callbacks that time the operator alone (Release drops them).
    net->setSessionMode(MNN::Interpreter::Session_Debug);
    MNN::ScheduleConfig config;
    config.type      = MNN_FORWARD_CPU;
    config.numThread = (int)spec["threads"].asInt();
    MNN::BackendConfig backendConfig;
    backendConfig.precision = MNN::BackendConfig::Precision_Normal;
    config.backendConfig    = &backendConfig;
    MNN::Session* session   = net->createSession(config);
    if (!session)
        fail(5, "MNN could not create a CPU session (the Session API cannot run models whose shapes depend on "
                "input values, e.g. Range)");

    const mk::Json& inNames  = spec["input_names"];
    const mk::Json& outNames = spec["output_names"];
    const mk::Json& outDescs = spec["outputs"];
    std::set<std::string> timedTypes;
    for (size_t i = 0; i < spec["op_types"].size(); ++i) timedTypes.insert(spec["op_types"][i].str);

    // Inputs per trial, converted once to each graph input's own element type.
    const mk::Json& trials = spec["trials"];
    if (trials.size() == 0) fail(2, "spec has no trials");
    struct Feed {
        std::vector<int> shape;
        std::vector<uint8_t> bytes;
    };
    std::vector<std::vector<Feed>> feeds(trials.size());
    bool resized = false;
    for (size_t t = 0; t < trials.size(); ++t) {
        for (size_t i = 0; i < inNames.size(); ++i) {
            MNN::Tensor* input = net->getSessionInput(session, inNames[i].str.c_str());
            if (!input) fail(2, "model has no input " + inNames[i].str);
            const mk::Json& file = trials[t]["inputs"][i];
            mk::NpyArray arr = mk::readNpy(file.str);
            Feed feed;
            for (auto d : arr.shape) feed.shape.push_back((int)d);
            if (t == 0 && input->shape() != feed.shape) {
                net->resizeTensor(input, feed.shape);
                resized = true;
            }
            const std::string descr = descrOf(input->getType());
            size_t n = 1;
            for (int d : feed.shape) n *= (size_t)d;
            feed.bytes.resize(n * (size_t)elementBytes(descr));
            for (size_t k = 0; k < n; ++k) storeFromDouble(descr, feed.bytes.data(), k, loadAsDouble(arr.descr, arr.data.data(), k));
            feeds[t].push_back(std::move(feed));
        }
    }
    if (resized) net->resizeSession(session);

    auto useSet = [&](size_t t) {
        for (size_t i = 0; i < inNames.size(); ++i) {
            MNN::Tensor* input = net->getSessionInput(session, inNames[i].str.c_str());
            MNN::Tensor host(input, MNN::Tensor::CAFFE);
            std::memcpy(host.host<uint8_t>(), feeds[t][i].bytes.data(), feeds[t][i].bytes.size());
            input->copyFromHostTensor(&host);
        }
    };
    auto writeOutputs = [&](const mk::Json& files) {
        for (size_t o = 0; o < outNames.size(); ++o) {
            MNN::Tensor* out = net->getSessionOutput(session, outNames[o].str.c_str());
            if (!out) fail(2, "model has no output " + outNames[o].str);
            MNN::Tensor host(out, MNN::Tensor::CAFFE);
            out->copyToHostTensor(&host);
            const std::string want = mk::dtypeFromName(outDescs[o]["dtype"].str).descr;
            const std::string have = descrOf(host.getType());
            const size_t n = (size_t)host.elementSize();
            std::vector<uint8_t> bytes(n * (size_t)elementBytes(want));
            for (size_t k = 0; k < n; ++k)
                storeFromDouble(want, bytes.data(), k, loadAsDouble(have, host.host<uint8_t>(), k));
            mk::writeNpy(files[o].str, want, host.shape(), bytes.data(), bytes.size());
        }
    };

    // One call; returns the ns spent in the timed op types (the callbacks bracket each op).
    //
    // Poison: before a call whose outputs are checked, the timed op's output buffers (known from an
    // earlier call: same session, same memory) are filled with 0xFF bytes (NaN for floats, -1 for
    // integers), outside the timed region. A kernel that skips work when it sees the inputs it saw
    // last time, or writes only part of its output, then leaves poison where the lite runner would
    // catch it too. Skipped when an output shares memory with an input of the op (in-place).
    long long opNs = 0;
    int opCalls    = 0;
    bool poisonNext = false;
    std::map<std::string, std::vector<MNN::Tensor*>> opOutputs;  // timed op name -> its outputs
    std::chrono::steady_clock::time_point opStart;
    auto overlaps = [](const MNN::Tensor* a, const MNN::Tensor* b) {
        const uint8_t* pa = a->host<uint8_t>();
        const uint8_t* pb = b->host<uint8_t>();
        return pa && pb && pa < pb + b->usize() && pb < pa + a->usize();
    };
    // On the same checked calls the op's inputs are hashed before and after it (outside the timed
    // region too): a kernel that writes into its inputs fails, unless MNN runs the op in place.
    auto hashOf = [](const MNN::Tensor* t) {
        uint64_t h = 1469598103934665603ull;
        const uint8_t* p = t->host<uint8_t>();
        for (size_t i = 0, n = p ? t->usize() : 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
        return h;
    };
    std::vector<const MNN::Tensor*> guardedInputs;
    int modifiedInput = -1;  // reported after the run: no exception is thrown through MNN's frames
    std::vector<uint64_t> inputHashes;
    MNN::TensorCallBackWithInfo before = [&](const std::vector<MNN::Tensor*>& ins, const MNN::OperatorInfo* info) {
        if (!timedTypes.count(info->type())) return true;
        auto known = opOutputs.find(info->name());
        guardedInputs.clear();
        inputHashes.clear();
        if (poisonNext && known != opOutputs.end()) {
            bool inPlace = false;
            for (MNN::Tensor* out : known->second)
                for (const MNN::Tensor* in : ins) inPlace = inPlace || overlaps(in, out);
            for (MNN::Tensor* out : known->second)
                if (!inPlace && out->host<uint8_t>()) std::memset(out->host<uint8_t>(), 0xFF, out->usize());
            if (!inPlace)
                for (const MNN::Tensor* in : ins) {
                    guardedInputs.push_back(in);
                    inputHashes.push_back(hashOf(in));
                }
        }
        opStart = std::chrono::steady_clock::now();
        return true;
    };
    MNN::TensorCallBackWithInfo after = [&](const std::vector<MNN::Tensor*>& outs, const MNN::OperatorInfo* info) {
        if (timedTypes.count(info->type())) {
            opNs += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - opStart).count();
            ++opCalls;
            opOutputs[info->name()] = outs;
            for (size_t i = 0; i < guardedInputs.size(); ++i)
                if (modifiedInput < 0 && hashOf(guardedInputs[i]) != inputHashes[i]) modifiedInput = (int)i;
            guardedInputs.clear();
        }
        return true;
    };
    std::set<std::string> seen;
    MNN::TensorCallBackWithInfo record = [&](const std::vector<MNN::Tensor*>&, const MNN::OperatorInfo* info) {
        seen.insert(info->type());
        return true;
    };
    // One call on input set `t`; returns the ns spent in the timed op types. The inputs are copied in
    // before every call: MNN's memory planner may reuse a graph input's memory for intermediates
    // (seen with broadcast Select in 3.6.1: a second run without re-feeding computes on garbage).
    // The copy is outside the timed op; totalNs (whole call, same clock) feeds the parent's cross-check.
    long long totalNs = 0;
    auto call = [&](size_t t, bool poison) -> long long {
        const auto start = std::chrono::steady_clock::now();
        useSet(t);
        opNs = 0;
        poisonNext = poison;
        auto code = net->runSessionWithCallBackInfo(session, before, after, true);
        if (code != MNN::NO_ERROR) fail(6, "runSession returned error " + std::to_string((int)code));
        if (modifiedInput >= 0) fail(9, "kernel modified input " + std::to_string(modifiedInput));
        totalNs += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
        return opNs;
    };

    for (size_t t = 0; t < trials.size(); ++t) {
        useSet(t);
        if (t == 0) {
            auto code = net->runSessionWithCallBackInfo(session, record, record, true);
            if (code != MNN::NO_ERROR) fail(6, "runSession returned error " + std::to_string((int)code));
            bool ran = false;
            for (const auto& s : seen) ran = ran || timedTypes.count(s);
            if (!ran) {
                std::string names;
                for (const auto& s : seen) names += (names.empty() ? "" : ", ") + s;
                fail(3, "the model never ran the timed op type (MNN ran: " + names + ")");
            }
        }
        call(t, false);  // learns the op's output buffers
        call(t, true);   // the checked call: the outputs poisoned first
        writeOutputs(trials[t]["outputs"]);
    }

    if (spec.has("timing") && !spec["timing"].isNull()) {
        const mk::Json& timing = spec["timing"];
        const size_t sets      = trials.size();
        auto runBlock = [&](int warmup, int iters) {
            for (int i = 0; i < warmup; ++i) call(0, false);
            std::vector<long long> samples;
            totalNs = 0;
            const int chunk = iters >= (int)sets ? iters / (int)sets : iters;
            int set = -1;
            for (int i = 0; i < iters; ++i) {
                const int want = iters >= (int)sets ? std::min(i / chunk, (int)sets - 1) : 0;
                set = want;
                const bool lastOfSet = (i + 1 == iters) || (iters >= (int)sets && want < (int)sets - 1 && (i + 1) / chunk != want);
                samples.push_back(call((size_t)set, lastOfSet));
                if (lastOfSet && timing.has("outputs") && iters >= (int)sets) writeOutputs(timing["outputs"][(size_t)set]);
            }
            std::ofstream f(timing["output"].str);
            if (!f) fail(2, "cannot write " + timing["output"].str);
            f << "{\"samples_ns\": [";
            for (size_t i = 0; i < samples.size(); ++i) f << (i ? ", " : "") << samples[i];
            f << "], \"total_ns\": " << totalNs << ", \"warmup\": " << warmup << ", \"sets\": " << sets << "}\n";
            if (!f) fail(2, "short write to " + timing["output"].str);
        };
        if (timing.has("serve") && timing["serve"].asInt() != 0) {
            std::printf("ready\n");
            std::fflush(stdout);
            char line[256], word[16];
            unsigned long long nonce = 0;
            int w = 0, n = 0;
            while (std::fgets(line, sizeof line, stdin)) {
                if (std::sscanf(line, "%15s %llu %d %d", word, &nonce, &w, &n) != 4 || std::strcmp(word, "block") != 0)
                    fail(2, std::string("bad serve command: ") + line);
                runBlock(w, n);
                std::printf("done %llu\n", nonce);
                std::fflush(stdout);
            }
        } else {
            runBlock((int)timing["warmup"].asInt(), (int)timing["iterations"].asInt());
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "mk-tree-runner: usage: %s SPEC.json\n", argv[0]);
        return 2;
    }
    try {
        return run(argv[1]);
    } catch (const Failure& f) {
        std::fprintf(stderr, "mk-tree-runner: %s\n", f.message.c_str());
        return f.code;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "mk-tree-runner: out of memory (std::bad_alloc)\n");
        return 7;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mk-tree-runner: %s\n", e.what());
        return 8;
    }
}
