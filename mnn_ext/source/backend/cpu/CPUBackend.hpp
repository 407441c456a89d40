// CPU backend of the lite SDK: the creator interface and registration macro of MNN's
// source/backend/cpu/CPUBackend.hpp. A kernel file ends, as in MNN, with
//   class CPUFooCreator : public CPUBackend::Creator { Execution* onCreate(...) const override; };
//   REGISTER_CPU_OP_CREATOR(CPUFooCreator, OpType_Foo);
// where Foo is the ONNX operator type (MNN uses its own OpType enum; here the name is the ONNX one).
#ifndef MNN_CPUBackend_hpp
#define MNN_CPUBackend_hpp

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <MNN/ErrorCode.hpp>
#include <MNN/Tensor.hpp>
#include "core/Backend.hpp"
#include "core/Execution.hpp"
#include "core/Op.hpp"

namespace MNN {

class CPUBackend : public Backend {
public:
    using Backend::Backend;

    class Creator {
    public:
        virtual ~Creator() = default;
        virtual Execution* onCreate(const std::vector<Tensor*>& inputs, const std::vector<Tensor*>& outputs,
                                    const MNN::Op* op, Backend* backend) const = 0;
    };

    static std::map<std::string, const Creator*>& creators() {
        static std::map<std::string, const Creator*> table;
        return table;
    }
    // Accepts "OpType_Relu" or "Relu".
    static bool addCreator(const char* opType, const Creator* creator) {
        const char* prefix = "OpType_";
        std::string name(opType);
        if (name.compare(0, std::strlen(prefix), prefix) == 0) name = name.substr(std::strlen(prefix));
        creators()[name] = creator;
        return true;
    }
};

struct CPUCreatorRegistrar {
    CPUCreatorRegistrar(const char* opType, const CPUBackend::Creator* creator) {
        CPUBackend::addCreator(opType, creator);
    }
};

} // namespace MNN

// MNN generates a register function per creator; one kernel per binary here, so a static registrar suffices.
#define REGISTER_CPU_OP_CREATOR(name, opType) \
    static MNN::CPUCreatorRegistrar ___##name##__registrar__(#opType, new name)

#endif
