// The on-tree runner: links with a libMNN built from the user's MNN checkout (original or with a
// generated kernel swapped in), runs the task's converted single-node model through MNN's Session
// API on one thread, and times the task's operator alone through the per-op callbacks.
//
//   mk-tree-runner SPEC.json
//
// The spec is the lite runner's (trials, outputs, timing, serve mode) plus "model", the graph's
// "input_names"/"output_names", "feeds" (per graph input: const, mix or pick, as the lite runner's
// inputs) and "op_types": the MNN op types whose execution is timed (the operator the kernel
// registers). Layout conversions MNN inserts around an op are not timed, for the original kernel
// and the candidate alike.
//
// Timing speaks the lite runner's protocol v2 (../runner/protocol.hpp, docs/timing.md): every call
// of a block gets fresh inputs made from the block's nonce, the timed op's outputs are poisoned
// before it runs, and the graph's outputs of every call are retained for the harness, which
// verifies a secret subset of them. A "null" block runs the same protocol without running the
// session: what the protocol itself costs in this process.
//
// Exit codes as the lite runner: 0 ok, 2 bad spec or I/O, 3 the model never ran the timed op type,
// 5 session/resize error, 6 run error, 7 out of memory, 8 other exception, 9 the kernel modified
// an input. Diagnostics go to stderr as one line starting with "mk-tree-runner:".
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
#include "../runner/protocol.hpp"

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
// IEEE half <-> float (MNN's and numpy's float16 are both IEEE binary16)
float halfToFloat(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1Fu, man = h & 0x3FFu;
    uint32_t bits;
    if (exp == 0) {
        if (man == 0) bits = sign;
        else {  // subnormal: normalise
            int e = -1;
            uint32_t m = man;
            do { ++e; m <<= 1; } while ((m & 0x400u) == 0);
            bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((m & 0x3FFu) << 13);
        }
    } else if (exp == 31) bits = sign | 0x7F800000u | (man << 13);
    else bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

uint16_t floatToHalf(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    const uint32_t abs  = x & 0x7FFFFFFFu;
    if (abs >= 0x7F800000u) return sign | 0x7C00u | (abs > 0x7F800000u ? 0x200u : 0u);  // inf, NaN
    if (abs >= 0x477FF000u) return sign | 0x7C00u;  // rounds past the largest half: inf
    if (abs < 0x38800000u) {  // subnormal half (or zero): round to nearest even
        const uint32_t shift = 113 - (abs >> 23);
        if (shift > 24) return sign;
        const uint32_t m = (abs & 0x7FFFFFu) | 0x800000u;
        uint32_t r = m >> (shift + 13);
        const uint32_t rest = m & ((1u << (shift + 13)) - 1), half = 1u << (shift + 12);
        if (rest > half || (rest == half && (r & 1u))) ++r;
        return sign | (uint16_t)r;
    }
    uint32_t r = ((abs - 0x38000000u) >> 13);
    const uint32_t rest = abs & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (r & 1u))) ++r;
    return sign | (uint16_t)r;
}

double loadAsDouble(const std::string& d, const uint8_t* p, size_t i) {
    if (d == "<f4") return reinterpret_cast<const float*>(p)[i];
    if (d == "<f2") return halfToFloat(reinterpret_cast<const uint16_t*>(p)[i]);
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
    if (d == "<i2" || d == "<f2") return 2;
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
    else if (d == "<f2") reinterpret_cast<uint16_t*>(p)[i] = floatToHalf((float)v);
    else fail(2, "unsupported dtype " + d);
}

// numpy descr of an MNN tensor's element type
std::string descrOf(halide_type_t t) {
    if (t.code == halide_type_float && t.bits == 32) return "<f4";
    if (t.code == halide_type_float && t.bits == 64) return "<f8";
    if (t.code == halide_type_float && t.bits == 16) return "<f2";
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
        size_t elements = 0;
        size_t elementSize = 0;
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
            feed.elements    = n;
            feed.elementSize = (size_t)elementBytes(descr);
            feed.bytes.resize(n * feed.elementSize);
            for (size_t k = 0; k < n; ++k)
                storeFromDouble(descr, feed.bytes.data(), k, loadAsDouble(arr.descr, arr.data.data(), k));
            feeds[t].push_back(std::move(feed));
        }
    }
    // onResize runs here, before any graph input holds a trial's data (constants are in the model)
    if (resized) net->resizeSession(session);

    std::vector<MNN::Tensor*> inputTensors;
    for (size_t i = 0; i < inNames.size(); ++i) inputTensors.push_back(net->getSessionInput(session, inNames[i].str.c_str()));
    auto feedBytes = [&](size_t i, const uint8_t* bytes) {
        MNN::Tensor* input = inputTensors[i];
        MNN::Tensor host(input, MNN::Tensor::CAFFE);
        std::memcpy(host.host<uint8_t>(), bytes, feeds[0][i].bytes.size());
        input->copyFromHostTensor(&host);
    };
    auto useSet = [&](size_t t) {
        for (size_t i = 0; i < inNames.size(); ++i) feedBytes(i, feeds[t][i].bytes.data());
    };
    std::vector<MNN::Tensor*> outputTensors;
    for (size_t o = 0; o < outNames.size(); ++o) {
        MNN::Tensor* out = net->getSessionOutput(session, outNames[o].str.c_str());
        if (!out) fail(2, "model has no output " + outNames[o].str);
        outputTensors.push_back(out);
    }
    // Output o in the task's dtype, into dst (its element count must be the task's: MNN may give a
    // 1-D convolution's output a 4-D shape, the elements are the same)
    auto outputBytes = [&](size_t o, std::vector<uint8_t>& dst) -> std::vector<int> {
        MNN::Tensor host(outputTensors[o], MNN::Tensor::CAFFE);
        outputTensors[o]->copyToHostTensor(&host);
        const std::string want = mk::dtypeFromName(outDescs[o]["dtype"].str).descr;
        const std::string have = descrOf(host.getType());
        const size_t n = (size_t)host.elementSize();
        size_t expected = 1;
        std::vector<int> shape;
        for (size_t k = 0; k < outDescs[o]["shape"].size(); ++k) {
            shape.push_back((int)outDescs[o]["shape"][k].asInt());
            expected *= (size_t)shape.back();
        }
        if (n != expected)
            fail(2, "output " + std::to_string(o) + " has " + std::to_string(n) + " elements, the task expects " +
                        std::to_string(expected));
        dst.resize(n * (size_t)elementBytes(want));
        if (want == have) std::memcpy(dst.data(), host.host<uint8_t>(), dst.size());
        else
            for (size_t k = 0; k < n; ++k) storeFromDouble(want, dst.data(), k, loadAsDouble(have, host.host<uint8_t>(), k));
        return shape;
    };
    auto writeOutputs = [&](const mk::Json& files) {
        std::vector<uint8_t> bytes;
        for (size_t o = 0; o < outNames.size(); ++o) {
            const std::vector<int> shape = outputBytes(o, bytes);
            const std::string want = mk::dtypeFromName(outDescs[o]["dtype"].str).descr;
            mk::writeNpy(files[o].str, want, shape, bytes.data(), bytes.size());
        }
    };

    // The timed op: its time from the callbacks that bracket it; its outputs (known from an earlier
    // call: same session, same memory) poisoned before it runs, outside the timed region, with 0xFF
    // bytes (NaN for floats, -1 for integers): a kernel that skips work or writes part of its output
    // leaves poison. Skipped when an output shares memory with an input of the op (in place).
    long long opNs = 0;
    bool poisonNext = false, guardInputs = false;
    std::map<std::string, std::vector<MNN::Tensor*>> opOutputs;  // timed op name -> its outputs
    std::chrono::steady_clock::time_point opStart;
    auto overlaps = [](const MNN::Tensor* a, const MNN::Tensor* b) {
        const uint8_t* pa = a->host<uint8_t>();
        const uint8_t* pb = b->host<uint8_t>();
        return pa && pb && pa < pb + b->usize() && pb < pa + a->usize();
    };
    // On the correctness calls the op's inputs are hashed before and after it (outside the timed
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
            if (!inPlace && guardInputs)
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
    // One session run on the inputs already fed; returns the ns spent in the timed op types.
    auto call = [&](bool poison, bool guard) -> long long {
        opNs = 0;
        poisonNext  = poison;
        guardInputs = guard;
        auto code = net->runSessionWithCallBackInfo(session, before, after, true);
        if (code != MNN::NO_ERROR) fail(6, "runSession returned error " + std::to_string((int)code));
        if (modifiedInput >= 0) fail(9, "kernel modified input " + std::to_string(modifiedInput));
        return opNs;
    };

    // Correctness: every trial, the inputs copied in before every run (MNN's memory planner may reuse a
    // graph input's memory for intermediates: seen with broadcast Select in 3.6.1).
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
            useSet(t);
        }
        call(false, false);  // learns the op's output buffers
        useSet(t);
        call(true, true);    // the checked call: outputs poisoned, inputs guarded
        writeOutputs(trials[t]["outputs"]);
    }

    if (!spec.has("timing") || spec["timing"].isNull()) return 0;

    // ---- timing: protocol v2 (../runner/protocol.hpp) -------------------------------------------
    const mk::Json& timing = spec["timing"];
    const mk::Json& how    = spec["feeds"];  // per graph input: {"const": true} | {"mix": g} | {"pick": g}
    const int sets         = (int)trials.size();
    std::vector<int> mixKey(inNames.size(), -1);
    std::vector<bool> constant(inNames.size(), false);
    std::vector<std::vector<const uint8_t*>> from(inNames.size());  // [input][trial]
    for (size_t i = 0; i < inNames.size(); ++i) {
        const mk::Json& f = how[i];
        constant[i] = f.has("const");
        if (f.has("mix")) mixKey[i] = (int)f["mix"].asInt();
        for (int t = 0; t < sets; ++t) from[i].push_back(feeds[(size_t)t][i].bytes.data());
    }
    std::vector<std::vector<uint8_t>> current(inNames.size());
    for (size_t i = 0; i < inNames.size(); ++i) current[i] = feeds[0][i].bytes;
    auto makeInputs = [&](uint64_t nonce, uint64_t callIndex) {
        const uint64_t key = mk::callKey(nonce, callIndex);
        const int picked   = mk::pickedTrial(key, sets);
        for (size_t i = 0; i < inNames.size(); ++i) {
            if (!constant[i])
                mk::makeInput(current[i].data(), feeds[0][i].elements, feeds[0][i].elementSize, from[i], key,
                              mixKey[i], picked);
            feedBytes(i, current[i].data());  // every call: the planner may reuse an input's memory
        }
    };
    size_t slotBytes = 0;
    for (size_t o = 0; o < outDescs.size(); ++o) {
        const mk::DType d = mk::dtypeFromName(outDescs[o]["dtype"].str);
        size_t n = 1;
        for (size_t k = 0; k < outDescs[o]["shape"].size(); ++k) n *= (size_t)outDescs[o]["shape"][k].asInt();
        slotBytes += mk::slotOf(n * (size_t)d.bytes);
    }
    const mk::Json& retention = timing["retention"];
    mk::Retention retained;
    const std::string mapped = retained.open((size_t)retention["bytes"].asInt(),
                                             retention.has("fd") ? (int)retention["fd"].asInt() : -1);
    if (!mapped.empty()) fail(2, mapped);
    std::vector<uint8_t> outBytes;
    // null: the same protocol without running the session (fresh inputs fed, outputs retained): what
    // the protocol itself costs in this process
    auto runBlock = [&](uint64_t nonce, int warmup, int iters, bool null) {
        if (iters <= 0 || (size_t)iters * slotBytes > retained.bytes())
            fail(2, "block of " + std::to_string(iters) + " calls does not fit the retention area");
        for (int i = 0; i < warmup && !null; ++i) {  // fresh inputs too (calls past the block's own)
            makeInputs(nonce, (uint64_t)(iters + i));
            call(true, false);
        }
        std::vector<long long> samples;
        samples.reserve((size_t)iters);
        for (int i = 0; i < iters; ++i) {
            makeInputs(nonce, (uint64_t)i);
            samples.push_back(null ? 0 : call(true, false));
            uint8_t* slot = retained.slot((size_t)i, slotBytes);
            for (size_t o = 0; o < outNames.size(); ++o) {
                outputBytes(o, outBytes);
                mk::retain(slot, outBytes.data(), outBytes.size());
                slot += mk::slotOf(outBytes.size());
            }
        }
        const std::string error = mk::finishBlock(nonce, samples, retained, (size_t)iters * slotBytes);
        if (!error.empty()) fail(2, error);
    };
    const std::string error = mk::runBlocks(timing, runBlock);
    if (!error.empty()) fail(2, error);
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
