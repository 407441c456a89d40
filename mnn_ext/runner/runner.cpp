// The runner: links with one kernel file, reads a spec written by the harness, and drives the kernel
// the way MNN's CPU backend does: onCreate, onResize once, onExecute per inference.
//
//   runner SPEC.json
//
// The runner is NOT trusted: the kernel shares its address space. Everything that decides a verdict
// is checked by the harness outside this process (outputs against PyTorch, CPU time from the
// kernel's scheduler accounting); what the runner does is make those checks possible.
//
// Correctness: for every trial it loads the inputs (.npy), poisons the outputs (NaN for floats, a
// sentinel for integers, 0xAB for bools) so unwritten elements show, runs onExecute and writes the
// outputs (.npy). onResize runs before any graph input holds data (it sees shapes and constant
// initialisers only, as in MNN), so no work can be done on the inputs before the timed calls.
//
// Timing (protocol v2, see docs/timing.md): one block per "block NONCE WARMUP N" line on stdin (serve
// mode) or per invocation; "null NONCE WARMUP N" runs the same block without calling the kernel. Every call of a block gets fresh inputs, made from the trials' inputs in
// 64-element chunks chosen by a hash of (nonce, call, input, chunk): no two calls share inputs, so no
// result can be reused, and the harness can rebuild any call's inputs. Before every call the outputs
// are poisoned; after it their canary is checked and they are copied into the retention area (a
// memory file shared with the harness, or retained-NONCE.bin), from which the harness verifies a
// secret subset of calls chosen after the block. Samples go to timing-NONCE.json.
//
// Every buffer the runner hands out (tensors, Backend buffers) ends at a guard page, the slack before
// it filled with a canary: writing past the end of an output is a verdict.
//
// Exit codes (the harness maps them to verdicts): 0 ok, 2 bad spec or I/O, 3 no creator registered
// for the op, 4 onCreate returned null, 5 onResize error, 6 onExecute error, 7 out of memory,
// 8 other C++ exception, 9 the kernel modified an input, 10 the kernel wrote past the end of a buffer.
// Diagnostics go to stderr as one line starting with "mk-runner:".
#include <chrono>
#include <csignal>
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

#include <sys/mman.h>
#include <unistd.h>

#include "backend/cpu/CPUBackend.hpp"
#include "core/Concurrency.h"
#include "json.hpp"
#include "npy.hpp"
#include "protocol.hpp"

using namespace MNN;

namespace {
constexpr unsigned char CANARY = 0xCD;
struct Guard {
    uintptr_t begin, end;  // a PROT_NONE page
};
std::vector<Guard> gGuards;  // read by the SIGSEGV handler

size_t pageSize() {
    static const size_t size = (size_t)sysconf(_SC_PAGESIZE);
    return size;
}

void onSegv(int, siginfo_t* info, void*) {
    const uintptr_t at = (uintptr_t)info->si_addr;
    for (const auto& g : gGuards) {
        if (at >= g.begin && at < g.end) {
            static const char msg[] = "mk-runner: the kernel wrote past the end of a buffer (guard page hit)\n";
            (void)!write(2, msg, sizeof msg - 1);
            _exit(10);
        }
    }
    signal(SIGSEGV, SIG_DFL);  // any other fault: the ordinary crash verdict
    raise(SIGSEGV);
}
} // namespace

bool Tensor::allocateHost() {
    releaseHost();
    const size_t bytes   = size();
    const size_t rounded = bytes == 0 ? 64 : ((bytes + 63) / 64) * 64;
    const size_t page    = pageSize();
    const size_t body    = ((rounded + page - 1) / page) * page;
    void* map = mmap(nullptr, body + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) return false;
    auto* base  = static_cast<unsigned char*>(map);
    auto* guard = base + body;
    if (mprotect(guard, page, PROT_NONE) != 0) {
        munmap(map, body + page);
        return false;
    }
    mMapping = map;
    mMapped  = body + page;
    mHost    = guard - rounded;
    std::memset(static_cast<unsigned char*>(mHost) + bytes, CANARY, rounded - bytes);
    gGuards.push_back({(uintptr_t)guard, (uintptr_t)guard + page});
    return true;
}

void Tensor::releaseHost() {
    if (mMapping != nullptr) {
        const uintptr_t guard = (uintptr_t)mMapping + mMapped - pageSize();
        for (auto it = gGuards.begin(); it != gGuards.end(); ++it)
            if (it->begin == guard) {
                gGuards.erase(it);
                break;
            }
        munmap(mMapping, mMapped);
    }
    mMapping = nullptr;
    mMapped  = 0;
    mHost    = nullptr;
}

bool Tensor::tailIntact() const {
    if (mHost == nullptr) return true;
    const size_t bytes   = size();
    const size_t rounded = bytes == 0 ? 64 : ((bytes + 63) / 64) * 64;
    const auto* p        = static_cast<const unsigned char*>(mHost);
    for (size_t i = bytes; i < rounded; ++i)
        if (p[i] != CANARY) return false;
    return true;
}

namespace {

struct Failure {
    int code;
    std::string message;
};

[[noreturn]] void fail(int code, const std::string& message) { throw Failure{code, message}; }

// A kernel that returns NOT_SUPPORT or INVALID_VALUE declines these shapes/attributes: say so, with the
// shapes, so the verdict reads as a refusal rather than as a crash of the kernel.
[[noreturn]] void failStep(int code, const char* step, ErrorCode rc, const std::vector<Tensor*>& inputs) {
    std::string message = std::string(step) + " returned " + errorCodeName(rc);
    if (rc == NOT_SUPPORT || rc == INVALID_VALUE) {
        message += ": the kernel declined input shapes";
        for (const Tensor* t : inputs) {
            message += " [";
            if (t != nullptr) {
                for (int d = 0; d < t->dimensions(); ++d) message += (d ? "," : "") + std::to_string(t->length(d));
            } else {
                message += "absent";
            }
            message += "]";
        }
        message += rc == NOT_SUPPORT ? " (unsupported shape/attribute combination, not a crash)"
                                     : " (it judged these inputs/attributes invalid, not a crash)";
    }
    fail(code, message);
}

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
    bool constant = false;  // an ONNX initializer: loaded before onResize, never varied
    int mix = -1;           // timed calls: this graph input is mixed chunk-wise from the trials
    int pick = -1;          // timed calls: this graph input is taken whole from one trial
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
    if (!slot.tensor->host<void>()) throw std::bad_alloc();
    slot.constant = desc.has("const") && desc["const"].kind == mk::Json::BOOL && desc["const"].b;
    if (desc.has("mix")) slot.mix = (int)desc["mix"].asInt();
    if (desc.has("pick")) slot.pick = (int)desc["pick"].asInt();
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
    const std::string& d = slot.dtype.name;
    // all-ones bytes are a NaN in every float width; one memset, cheap next to a kernel call
    if (d == "float32" || d == "float64" || d == "float16") std::memset(t->host<uint8_t>(), 0xFF, t->size());
    else if (d == "bool") std::memset(t->host<uint8_t>(), 0xAB, t->size());  // neither 0 nor 1: flagged
    else std::memset(t->host<uint8_t>(), 0x5A, t->size());  // an unlikely integer pattern
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
    const bool null = spec.has("null") && spec["null"].kind == mk::Json::BOOL && spec["null"].b;
    auto found      = table.find(null ? std::string("*") : op.type());
    if (found == table.end()) {
        std::string names;
        for (const auto& kv : table) names += (names.empty() ? "" : ", ") + std::string("OpType_") + kv.first;
        fail(3, "no creator registered for OpType_" + op.type() + " (kernel registers: " +
                    (names.empty() ? std::string("nothing") : names) + ")");
    }

    const mk::Json& trials = spec["trials"];
    if (trials.size() == 0) fail(2, "spec has no trials");
    auto loadTrialInputs = [&](const mk::Json& trial, bool constantsOnly) {
        for (size_t i = 0; i < inSlots.size(); ++i) {
            if (!inSlots[i].tensor || (constantsOnly && !inSlots[i].constant)) continue;
            loadInput(trial["inputs"][i].str, inSlots[i], i);
        }
    };
    // onResize sees shapes and constant initialisers only: graph inputs hold poison until after it.
    for (auto& s : inSlots)
        if (s.tensor && !s.constant) poison(s);
    loadTrialInputs(trials[0], true);

    std::unique_ptr<Execution> exe(found->second->onCreate(inputs, outputs, &op, &backend));
    if (!exe) fail(4, "onCreate returned nullptr for " + op.type());
    ErrorCode code = exe->onResize(inputs, outputs);
    if (code != NO_ERROR) failStep(5, "onResize", code, inputs);

    auto checkTails = [&]() {
        for (size_t o = 0; o < outSlots.size(); ++o)
            if (!outSlots[o].tensor->tailIntact())
                fail(10, "the kernel wrote past the end of output " + std::to_string(o));
    };
    // Untimed guard around every call: fresh poison in the outputs, and the inputs hashed before and
    // after (a kernel that writes into its inputs fails, whatever its outputs).
    std::vector<uint64_t> inputHashes(inSlots.size());
    auto hashInputs = [&](std::vector<uint64_t>& out) {
        for (size_t i = 0; i < inSlots.size(); ++i)
            out[i] = inSlots[i].tensor ? fnv1a(inSlots[i].tensor->host<uint8_t>(), inSlots[i].tensor->size()) : 0;
    };
    auto checkedExecute = [&]() {
        for (auto& s : outSlots) poison(s);
        hashInputs(inputHashes);
        ErrorCode rc = exe->onExecute(inputs, outputs);
        if (rc != NO_ERROR) failStep(6, "onExecute", rc, inputs);
        checkTails();
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
        loadTrialInputs(trials[t], false);
        checkedExecute();
        writeOutputs(trials[t]["outputs"]);
    }

    if (!spec.has("timing") || spec["timing"].isNull()) return 0;

    // ---- timing: protocol v2 --------------------------------------------------------------------
    const mk::Json& timing = spec["timing"];
    const int sets         = (int)trials.size();
    std::vector<std::vector<std::vector<uint8_t>>> setData(sets);  // [trial][input] bytes
    for (int t = 0; t < sets; ++t) {
        loadTrialInputs(trials[t], false);
        for (auto& slot : inSlots) {
            const uint8_t* p = slot.tensor ? slot.tensor->host<uint8_t>() : nullptr;
            setData[t].emplace_back(p ? std::vector<uint8_t>(p, p + slot.tensor->size()) : std::vector<uint8_t>());
        }
    }
    std::vector<std::vector<const uint8_t*>> from(inSlots.size());  // [input][trial]
    for (size_t i = 0; i < inSlots.size(); ++i)
        for (int t = 0; t < sets; ++t) from[i].push_back(setData[t][i].data());
    // the inputs of call `call` of the block `nonce` (protocol.hpp)
    auto makeInputs = [&](uint64_t nonce, uint64_t call) {
        const uint64_t key = mk::callKey(nonce, call);
        const int picked   = mk::pickedTrial(key, sets);
        for (size_t i = 0; i < inSlots.size(); ++i) {
            TensorSlot& slot = inSlots[i];
            if (!slot.tensor || slot.constant) continue;
            mk::makeInput(slot.tensor->host<uint8_t>(), (size_t)slot.tensor->elementSize(), (size_t)slot.dtype.bytes,
                          from[i], key, slot.mix, picked);
        }
    };
    // outputs of every timed call, for the harness to verify the calls it picks afterwards
    size_t slotBytes = 0;
    for (auto& s : outSlots) slotBytes += mk::slotOf(s.tensor->size());
    const mk::Json& retention = timing["retention"];
    mk::Retention retained;
    const std::string mapped = retained.open((size_t)retention["bytes"].asInt(),
                                             retention.has("fd") ? (int)retention["fd"].asInt() : -1);
    if (!mapped.empty()) fail(2, mapped);
    // null: the same protocol without the kernel (fresh inputs, poison, retention): what the protocol
    // itself costs in this process, which the harness subtracts from the kernel's blocks
    auto runBlock = [&](uint64_t nonce, int warmup, int iters, bool null) {
        if (iters <= 0 || (size_t)iters * slotBytes > retained.bytes())
            fail(2, "block of " + std::to_string(iters) + " calls does not fit the retention area");
        for (int i = 0; i < warmup && !null; ++i) {  // fresh inputs too (calls past the block's own)
            makeInputs(nonce, (uint64_t)(iters + i));
            code = exe->onExecute(inputs, outputs);
            if (code != NO_ERROR) failStep(6, "onExecute", code, inputs);
        }
        std::vector<long long> samples;
        samples.reserve((size_t)iters);
        for (int i = 0; i < iters; ++i) {
            makeInputs(nonce, (uint64_t)i);
            for (auto& s : outSlots) poison(s);
            auto t0 = std::chrono::steady_clock::now();
            code    = null ? NO_ERROR : exe->onExecute(inputs, outputs);
            auto t1 = std::chrono::steady_clock::now();
            if (code != NO_ERROR) failStep(6, "onExecute", code, inputs);
            samples.push_back((long long)std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
            checkTails();
            uint8_t* slot = retained.slot((size_t)i, slotBytes);
            for (auto& s : outSlots) {
                mk::retain(slot, s.tensor->host<uint8_t>(), s.tensor->size());
                slot += mk::slotOf(s.tensor->size());
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
        std::fprintf(stderr, "mk-runner: usage: %s SPEC.json\n", argv[0]);
        return 2;
    }
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onSegv;
    sa.sa_flags     = SA_SIGINFO | SA_ONSTACK;
    static char altstack[1 << 16];
    stack_t st{};
    st.ss_sp   = altstack;
    st.ss_size = sizeof altstack;
    sigaltstack(&st, nullptr);
    sigaction(SIGSEGV, &sa, nullptr);
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
