// The runner: links with one kernel file, reads a spec written by the harness, and drives the kernel
// the way MNN's CPU backend does: onCreate, onResize once, onExecute per inference.
//
//   runner SPEC.json
//
// For every trial in the spec it loads the inputs (.npy), poisons the outputs (NaN for floats, a
// sentinel for integers, 0xAB for bools) so unwritten elements show, runs onExecute once and
// writes the outputs (.npy). With "timing" it then runs warm-up calls and individually timed calls,
// going through the trials' inputs in turn, writes the samples (ns) as JSON and, per input set, the
// outputs of its last timed call for the harness to verify. With "timing": {"serve": 1} it stays up
// and runs one such block per command read from stdin (see runBlock).
//
// Exit codes (the harness maps them to verdicts): 0 ok, 2 bad spec or I/O, 3 no creator registered
// for the op, 4 onCreate returned null, 5 onResize error, 6 onExecute error, 7 out of memory,
// 8 other C++ exception, 9 the kernel modified an input. Diagnostics go to stderr as one line
// starting with "mk-runner:".
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "json.hpp"
#include "npy.hpp"

using namespace MNN;

namespace {

struct Failure {
    int code;
    std::string message;
};

[[noreturn]] void fail(int code, const std::string& message) { throw Failure{code, message}; }

halide_type_t halideType(const std::string& dtype) {
    if (dtype == "float32") return halide_type_of<float>();
    if (dtype == "float16") return halide_type_t(halide_type_float, 16);  // IEEE half, stored as uint16_t
    if (dtype == "float64") return halide_type_of<double>();
    if (dtype == "int8") return halide_type_of<int8_t>();
    if (dtype == "int16") return halide_type_of<int16_t>();
    if (dtype == "int32") return halide_type_of<int32_t>();
    if (dtype == "int64") return halide_type_of<int64_t>();
    if (dtype == "uint8" || dtype == "bool") return halide_type_of<uint8_t>();
    if (dtype == "uint16") return halide_type_of<uint16_t>();
    if (dtype == "uint32") return halide_type_of<uint32_t>();
    fail(2, "unsupported dtype " + dtype);
}

struct TensorSlot {
    std::unique_ptr<Tensor> tensor;  // null for an absent optional input
    mk::DType dtype{"", "", 0};
};

std::vector<int> shapeOf(const mk::Json& j) {
    std::vector<int> s;
    for (const auto& d : j.arr) s.push_back((int)d.asInt());
    return s;
}

TensorSlot makeSlot(const mk::Json& desc) {
    TensorSlot slot;
    if (desc.isNull()) return slot;
    slot.dtype  = mk::dtypeFromName(desc["dtype"].str);
    slot.tensor.reset(new Tensor(shapeOf(desc["shape"]), halideType(desc["dtype"].str)));
    return slot;
}

Attribute toAttribute(const mk::Json& v) {
    Attribute a;
    switch (v.kind) {
        case mk::Json::NUMBER:
            if (v.integral) { a.kind = Attribute::INT; a.i = (int64_t)v.num; }
            else { a.kind = Attribute::FLOAT; a.f = v.num; }
            break;
        case mk::Json::BOOL: a.kind = Attribute::INT; a.i = v.b ? 1 : 0; break;
        case mk::Json::STRING: a.kind = Attribute::STRING; a.s = v.str; break;
        case mk::Json::ARRAY: {
            bool strings = !v.arr.empty() && v.arr[0].kind == mk::Json::STRING;
            bool integral = true;
            for (const auto& e : v.arr) integral = integral && e.kind == mk::Json::NUMBER && e.integral;
            if (strings) {
                a.kind = Attribute::STRINGS;
                for (const auto& e : v.arr) a.strings.push_back(e.str);
            } else if (integral) {
                a.kind = Attribute::INTS;
                for (const auto& e : v.arr) a.ints.push_back((int64_t)e.num);
            } else {
                a.kind = Attribute::FLOATS;
                for (const auto& e : v.arr) a.floats.push_back(e.num);
            }
            break;
        }
        default: a.kind = Attribute::STRING; break;
    }
    return a;
}

void loadInput(const std::string& path, TensorSlot& slot, size_t index) {
    mk::NpyArray a = mk::readNpy(path);
    if (a.descr != slot.dtype.descr)
        fail(2, "input " + std::to_string(index) + ": file dtype " + a.descr + " != spec " + slot.dtype.descr);
    if (a.data.size() != slot.tensor->size())
        fail(2, "input " + std::to_string(index) + ": " + std::to_string(a.data.size()) + " bytes, expected " +
                    std::to_string(slot.tensor->size()));
    std::memcpy(slot.tensor->host<uint8_t>(), a.data.data(), a.data.size());
}

void poison(TensorSlot& slot) {
    Tensor* t = slot.tensor.get();
    const size_t n = (size_t)t->elementSize();
    const std::string& d = slot.dtype.name;
    if (d == "float32") {
        float* p = t->host<float>();
        for (size_t i = 0; i < n; ++i) p[i] = std::numeric_limits<float>::quiet_NaN();
    } else if (d == "float64") {
        double* p = t->host<double>();
        for (size_t i = 0; i < n; ++i) p[i] = std::numeric_limits<double>::quiet_NaN();
    } else if (d == "float16") {
        uint16_t* p = t->host<uint16_t>();
        for (size_t i = 0; i < n; ++i) p[i] = 0x7E00;  // half-precision quiet NaN
    } else if (d == "bool") {
        std::memset(t->host<uint8_t>(), 0xAB, n);  // neither 0 nor 1: the checker flags it
    } else {
        std::memset(t->host<uint8_t>(), 0x5A, t->size());  // an unlikely integer pattern
    }
}

// FNV-1a over 8-byte words (then the tail): a fingerprint of each input, cheap next to a kernel call.
uint64_t fnv1a(const uint8_t* p, size_t n) {
    uint64_t h = 1469598103934665603ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ull;
    }
    for (; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) fail(2, "cannot open spec " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

int run(const std::string& specPath) {
    mk::Json spec = mk::JsonParser(readFile(specPath)).parse();

    const mk::Json& opDesc = spec["op"];
    Op op(opDesc["type"].str, opDesc.has("name") ? opDesc["name"].str : "");
    if (opDesc.has("attrs"))
        for (const auto& kv : opDesc["attrs"].obj) op.setAttr(kv.first, toAttribute(kv.second));

    const int threads = spec.has("threads") ? (int)spec["threads"].asInt() : 1;
    concurrency::threadNumber() = threads;
    CPUBackend backend(threads);

    std::vector<TensorSlot> inSlots, outSlots;
    std::vector<Tensor*> inputs, outputs;
    for (const auto& d : spec["inputs"].arr) {
        inSlots.push_back(makeSlot(d));
    }
    for (const auto& d : spec["outputs"].arr) {
        outSlots.push_back(makeSlot(d));
    }
    for (auto& s : inSlots) inputs.push_back(s.tensor.get());
    for (auto& s : outSlots) outputs.push_back(s.tensor.get());

    auto& table = CPUBackend::creators();
    auto found  = table.find(op.type());
    if (found == table.end()) {
        std::string names;
        for (const auto& kv : table) names += (names.empty() ? "" : ", ") + std::string("OpType_") + kv.first;
        fail(3, "no creator registered for OpType_" + op.type() + " (kernel registers: " +
                    (names.empty() ? std::string("nothing") : names) + ")");
    }

    // Constant inputs (ONNX initializers) are loaded before onResize, as MNN has them by then.
    const mk::Json& trials = spec["trials"];
    if (trials.size() == 0) fail(2, "spec has no trials");
    auto loadTrialInputs = [&](const mk::Json& trial) {
        for (size_t i = 0; i < inSlots.size(); ++i) {
            if (!inSlots[i].tensor) continue;
            loadInput(trial["inputs"][i].str, inSlots[i], i);
        }
    };
    loadTrialInputs(trials[0]);

    std::unique_ptr<Execution> exe(found->second->onCreate(inputs, outputs, &op, &backend));
    if (!exe) fail(4, "onCreate returned nullptr for " + op.type());
    ErrorCode code = exe->onResize(inputs, outputs);
    if (code != NO_ERROR) fail(5, std::string("onResize returned ") + errorCodeName(code));

    // Untimed guard around every call: fresh poison in the outputs, and the inputs hashed before and
    // after (a kernel that writes into its inputs fails, whatever its outputs).
    std::vector<uint64_t> inputHashes(inSlots.size());
    auto hashInputs = [&](std::vector<uint64_t>& out) {
        for (size_t i = 0; i < inSlots.size(); ++i)
            out[i] = inSlots[i].tensor ? fnv1a(inSlots[i].tensor->host<uint8_t>(), inSlots[i].tensor->size()) : 0;
    };
    auto checkedExecute = [&](bool poisonOutputs) {
        if (poisonOutputs)
            for (auto& s : outSlots) poison(s);
        hashInputs(inputHashes);
        ErrorCode rc = exe->onExecute(inputs, outputs);
        if (rc != NO_ERROR) fail(6, std::string("onExecute returned ") + errorCodeName(rc));
        std::vector<uint64_t> after(inSlots.size());
        hashInputs(after);
        for (size_t i = 0; i < after.size(); ++i)
            if (after[i] != inputHashes[i]) fail(9, "kernel modified input " + std::to_string(i));
    };
    auto writeOutputs = [&](const mk::Json& files) {
        for (size_t o = 0; o < outSlots.size(); ++o) {
            Tensor* out = outSlots[o].tensor.get();
            mk::writeNpy(files[o].str, outSlots[o].dtype.descr, out->shape(), out->host<void>(), out->size());
        }
    };

    for (size_t t = 0; t < trials.size(); ++t) {
        if (t > 0) loadTrialInputs(trials[t]);
        checkedExecute(true);
        writeOutputs(trials[t]["outputs"]);
    }

    if (spec.has("timing") && !spec["timing"].isNull()) {
        // The timed calls go through every trial's inputs in turn (a chunk of calls per input set,
        // copied into the same tensors between chunks), so a kernel that caches results across calls
        // returns stale outputs. Before the last call of each chunk the outputs are poisoned again;
        // after it the inputs are compared with their copy and the outputs are written for the harness
        // to verify. None of this is inside the timed region, and it is cheap enough not to evict
        // the working set between ordinary calls.
        const mk::Json& timing = spec["timing"];
        const int warmup = (int)timing["warmup"].asInt();
        const int iters  = (int)timing["iterations"].asInt();
        const int sets   = (int)trials.size();
        std::vector<std::vector<std::vector<uint8_t>>> setData(sets);
        for (int t = 0; t < sets; ++t) {
            loadTrialInputs(trials[t]);
            for (auto& slot : inSlots) {
                const uint8_t* p = slot.tensor ? slot.tensor->host<uint8_t>() : nullptr;
                setData[t].emplace_back(p ? std::vector<uint8_t>(p, p + slot.tensor->size()) : std::vector<uint8_t>());
            }
        }
        auto useSet = [&](int t) {
            for (size_t i = 0; i < inSlots.size(); ++i)
                if (inSlots[i].tensor)
                    std::memcpy(inSlots[i].tensor->host<uint8_t>(), setData[t][i].data(), setData[t][i].size());
        };
        auto inputsIntact = [&](int t) {
            for (size_t i = 0; i < inSlots.size(); ++i)
                if (inSlots[i].tensor &&
                    std::memcmp(inSlots[i].tensor->host<uint8_t>(), setData[t][i].data(), setData[t][i].size()) != 0)
                    fail(9, "kernel modified input " + std::to_string(i) + " during timing");
        };
        // One block: warm-up calls, then `iters` individually timed calls.
        auto runBlock = [&](int warmup, int iters) {
            useSet(0);
            for (int i = 0; i < warmup; ++i) {
                code = exe->onExecute(inputs, outputs);
                if (code != NO_ERROR) fail(6, std::string("onExecute returned ") + errorCodeName(code));
            }
            inputsIntact(0);
            std::vector<long long> samples;
            samples.reserve((size_t)iters);
            const int chunk = iters >= sets ? iters / sets : iters;
            int set         = -1;
            for (int i = 0; i < iters; ++i) {
                const int want = iters >= sets ? std::min(i / chunk, sets - 1) : 0;
                if (want != set) {
                    set = want;
                    useSet(set);
                }
                const bool lastOfSet = (i + 1 == iters) || (iters >= sets && want < sets - 1 && (i + 1) / chunk != want);
                if (lastOfSet)
                    for (auto& s : outSlots) poison(s);
                auto t0 = std::chrono::steady_clock::now();
                code    = exe->onExecute(inputs, outputs);
                auto t1 = std::chrono::steady_clock::now();
                if (code != NO_ERROR) fail(6, std::string("onExecute returned ") + errorCodeName(code));
                samples.push_back((long long)std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
                if (lastOfSet) {
                    inputsIntact(set);
                    if (timing.has("outputs") && iters >= sets) writeOutputs(timing["outputs"][set]);
                }
            }
            std::ofstream f(timing["output"].str);
            if (!f) fail(2, "cannot write " + timing["output"].str);
            f << "{\"samples_ns\": [";
            for (size_t i = 0; i < samples.size(); ++i) f << (i ? ", " : "") << samples[i];
            f << "], \"warmup\": " << warmup << ", \"sets\": " << sets << "}\n";
            if (!f) fail(2, "short write to " + timing["output"].str);
        };
        if (timing.has("serve") && timing["serve"].asInt() != 0) {
            // Serve mode: one process runs every block of a measurement, so the interleaved blocks
            // pay no process start-up. The harness writes "block NONCE WARMUP ITERATIONS" lines on
            // stdin; each block ends with "done NONCE" on stdout (the nonce keeps a kernel's own
            // printing from passing for a reply). EOF ends the run.
            std::printf("ready\n");
            std::fflush(stdout);
            std::string line;
            char word[16];
            unsigned long long nonce = 0;
            int w = 0, n = 0;
            while (std::fgets(&line.assign(256, '\0')[0], 256, stdin)) {
                if (std::sscanf(line.c_str(), "%15s %llu %d %d", word, &nonce, &w, &n) != 4 ||
                    std::strcmp(word, "block") != 0)
                    fail(2, "bad serve command: " + std::string(line.c_str()));
                runBlock(w, n);
                std::printf("done %llu\n", nonce);
                std::fflush(stdout);
            }
        } else {
            runBlock(warmup, iters);
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "mk-runner: usage: %s SPEC.json\n", argv[0]);
        return 2;
    }
    try {
        return run(argv[1]);
    } catch (const Failure& f) {
        std::fprintf(stderr, "mk-runner: %s\n", f.message.c_str());
        return f.code;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "mk-runner: out of memory (std::bad_alloc)\n");
        return 7;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mk-runner: uncaught exception: %s\n", e.what());
        return 8;
    }
}
