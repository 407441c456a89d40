// Minimal JSON reader for the runner's spec file (objects, arrays, numbers, strings, true/false/null).
// The spec is written by the harness, so errors only need to be clear, not recoverable.
#ifndef MK_RUNNER_JSON_HPP
#define MK_RUNNER_JSON_HPP

#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace mk {

struct Json {
    enum Kind { NUL, BOOL, NUMBER, STRING, ARRAY, OBJECT } kind = NUL;
    bool b = false;
    double num = 0.0;
    bool integral = false;  // the literal had no fraction or exponent
    std::string str;
    std::vector<Json> arr;
    std::map<std::string, Json> obj;

    bool has(const std::string& k) const { return kind == OBJECT && obj.count(k) != 0; }
    const Json& operator[](const std::string& k) const {
        auto it = obj.find(k);
        if (kind != OBJECT || it == obj.end()) throw std::runtime_error("spec: missing key '" + k + "'");
        return it->second;
    }
    const Json& operator[](size_t i) const { return arr.at(i); }
    size_t size() const { return kind == ARRAY ? arr.size() : obj.size(); }
    long long asInt() const { return (long long)num; }
    bool isNull() const { return kind == NUL; }
};

class JsonParser {
public:
    explicit JsonParser(const std::string& text) : s(text) {}
    Json parse() {
        Json v = value();
        ws();
        if (p != s.size()) fail("trailing characters");
        return v;
    }

private:
    const std::string& s;
    size_t p = 0;

    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error("spec JSON: " + what + " at offset " + std::to_string(p));
    }
    void ws() {
        while (p < s.size() && (s[p] == ' ' || s[p] == '\n' || s[p] == '\t' || s[p] == '\r')) ++p;
    }
    bool lit(const char* w) {
        size_t n = std::char_traits<char>::length(w);
        if (s.compare(p, n, w) == 0) {
            p += n;
            return true;
        }
        return false;
    }
    Json value() {
        ws();
        if (p >= s.size()) fail("unexpected end");
        Json v;
        char c = s[p];
        if (c == '{') {
            v.kind = Json::OBJECT;
            ++p;
            ws();
            if (s[p] == '}') { ++p; return v; }
            while (true) {
                ws();
                if (s[p] != '"') fail("expected key");
                std::string k = string();
                ws();
                if (s[p] != ':') fail("expected ':'");
                ++p;
                v.obj[k] = value();
                ws();
                if (s[p] == ',') { ++p; continue; }
                if (s[p] == '}') { ++p; return v; }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v.kind = Json::ARRAY;
            ++p;
            ws();
            if (s[p] == ']') { ++p; return v; }
            while (true) {
                v.arr.push_back(value());
                ws();
                if (s[p] == ',') { ++p; continue; }
                if (s[p] == ']') { ++p; return v; }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.kind = Json::STRING;
            v.str = string();
            return v;
        }
        if (lit("true")) { v.kind = Json::BOOL; v.b = true; return v; }
        if (lit("false")) { v.kind = Json::BOOL; return v; }
        if (lit("null")) return v;
        if (lit("NaN")) { v.kind = Json::NUMBER; v.num = std::strtod("nan", nullptr); return v; }
        if (lit("Infinity")) { v.kind = Json::NUMBER; v.num = std::strtod("inf", nullptr); return v; }
        if (lit("-Infinity")) { v.kind = Json::NUMBER; v.num = std::strtod("-inf", nullptr); return v; }
        size_t start = p;
        while (p < s.size() && std::string("+-0123456789.eE").find(s[p]) != std::string::npos) ++p;
        if (start == p) fail("unexpected character");
        std::string num = s.substr(start, p - start);
        v.kind = Json::NUMBER;
        v.num = std::strtod(num.c_str(), nullptr);
        v.integral = num.find_first_of(".eE") == std::string::npos;
        return v;
    }
    std::string string() {
        ++p;  // opening quote
        std::string out;
        while (p < s.size() && s[p] != '"') {
            char c = s[p++];
            if (c == '\\') {
                char e = s[p++];
                switch (e) {
                    case 'n': out += '\n'; break;
                    case 't': out += '\t'; break;
                    case 'r': out += '\r'; break;
                    case 'b': out += '\b'; break;
                    case 'f': out += '\f'; break;
                    case 'u': {
                        unsigned code = (unsigned)std::strtoul(s.substr(p, 4).c_str(), nullptr, 16);
                        p += 4;
                        // The harness writes ASCII (json.dumps default); keep BMP code points as UTF-8.
                        if (code < 0x80) {
                            out += (char)code;
                        } else if (code < 0x800) {
                            out += (char)(0xC0 | (code >> 6));
                            out += (char)(0x80 | (code & 0x3F));
                        } else {
                            out += (char)(0xE0 | (code >> 12));
                            out += (char)(0x80 | ((code >> 6) & 0x3F));
                            out += (char)(0x80 | (code & 0x3F));
                        }
                        break;
                    }
                    default: out += e;
                }
            } else {
                out += c;
            }
        }
        if (p >= s.size()) fail("unterminated string");
        ++p;
        return out;
    }
};

} // namespace mk

#endif
