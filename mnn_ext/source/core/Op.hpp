// Operator description handed to a kernel's creator.
// Difference from MNN: MNN reads parameters from flatbuffers (op->main_as_LayerNorm()->epsilon());
// the lite SDK carries the ONNX node's attributes under their ONNX names, with typed accessors:
//   op->type()                      "LayerNormalization"
//   op->getFloat("epsilon", 1e-5f)  attribute or the given default
//   op->getInts("perm")             list attribute ({} when absent)
#ifndef MNN_Op_hpp
#define MNN_Op_hpp

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace MNN {

struct Attribute {
    enum Kind { INT, FLOAT, STRING, INTS, FLOATS, STRINGS };
    Kind kind = INT;
    int64_t i = 0;
    double f  = 0.0;
    std::string s;
    std::vector<int64_t> ints;
    std::vector<double> floats;
    std::vector<std::string> strings;
};

class Op {
public:
    Op(std::string type, std::string name) : mType(std::move(type)), mName(std::move(name)) {}

    const std::string& type() const { return mType; }
    const std::string& name() const { return mName; }

    bool hasAttr(const std::string& key) const { return mAttrs.count(key) != 0; }

    int64_t getInt(const std::string& key, int64_t def = 0) const {
        auto it = mAttrs.find(key);
        if (it == mAttrs.end()) return def;
        return it->second.kind == Attribute::FLOAT ? (int64_t)it->second.f : it->second.i;
    }
    float getFloat(const std::string& key, float def = 0.0f) const {
        auto it = mAttrs.find(key);
        if (it == mAttrs.end()) return def;
        return it->second.kind == Attribute::INT ? (float)it->second.i : (float)it->second.f;
    }
    std::string getString(const std::string& key, const std::string& def = "") const {
        auto it = mAttrs.find(key);
        return it == mAttrs.end() ? def : it->second.s;
    }
    std::vector<int64_t> getInts(const std::string& key, const std::vector<int64_t>& def = {}) const {
        auto it = mAttrs.find(key);
        if (it == mAttrs.end()) return def;
        if (it->second.kind == Attribute::FLOATS) {
            std::vector<int64_t> out;
            for (double v : it->second.floats) out.push_back((int64_t)v);
            return out;
        }
        return it->second.ints;
    }
    std::vector<float> getFloats(const std::string& key, const std::vector<float>& def = {}) const {
        auto it = mAttrs.find(key);
        if (it == mAttrs.end()) return def;
        std::vector<float> out;
        if (it->second.kind == Attribute::INTS) {
            for (int64_t v : it->second.ints) out.push_back((float)v);
        } else {
            for (double v : it->second.floats) out.push_back((float)v);
        }
        return out;
    }
    std::vector<std::string> getStrings(const std::string& key) const {
        auto it = mAttrs.find(key);
        return it == mAttrs.end() ? std::vector<std::string>{} : it->second.strings;
    }

    // Filled by the runner from the task's attribute JSON.
    void setAttr(const std::string& key, Attribute value) { mAttrs[key] = std::move(value); }
    const std::map<std::string, Attribute>& attrs() const { return mAttrs; }

private:
    std::string mType;
    std::string mName;
    std::map<std::string, Attribute> mAttrs;
};

} // namespace MNN

#endif
