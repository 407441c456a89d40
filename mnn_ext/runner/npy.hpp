// Reading and writing .npy (format 1.0/2.0, little-endian, C order) for the runner.
#ifndef MK_RUNNER_NPY_HPP
#define MK_RUNNER_NPY_HPP

#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mk {

struct DType {
    std::string name;   // float32, int64, bool, ...
    std::string descr;  // numpy descr: <f4, <i8, |b1, ...
    int bytes;
};

inline DType dtypeFromName(const std::string& name) {
    static const DType table[] = {
        {"float16", "<f2", 2}, {"float32", "<f4", 4}, {"float64", "<f8", 8}, {"int8", "|i1", 1},  {"int16", "<i2", 2},
        {"int32", "<i4", 4},   {"int64", "<i8", 8},   {"uint8", "|u1", 1}, {"uint16", "<u2", 2},
        {"uint32", "<u4", 4},  {"bool", "|b1", 1},
    };
    for (const auto& d : table)
        if (d.name == name) return d;
    throw std::runtime_error("unsupported dtype '" + name + "'");
}

struct NpyArray {
    std::string descr;
    std::vector<int64_t> shape;
    std::vector<uint8_t> data;
};

inline NpyArray readNpy(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot open " + path);
    char magic[6];
    f.read(magic, 6);
    if (!f || std::memcmp(magic, "\x93NUMPY", 6) != 0) throw std::runtime_error(path + ": not a .npy file");
    uint8_t ver[2];
    f.read(reinterpret_cast<char*>(ver), 2);
    uint32_t hlen = 0;
    if (ver[0] == 1) {
        uint8_t b[2];
        f.read(reinterpret_cast<char*>(b), 2);
        hlen = b[0] | (b[1] << 8);
    } else {
        uint8_t b[4];
        f.read(reinterpret_cast<char*>(b), 4);
        hlen = b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
    }
    std::string header(hlen, '\0');
    f.read(&header[0], hlen);
    NpyArray a;
    auto dpos = header.find("'descr':");
    auto q1 = header.find('\'', dpos + 8);
    auto q2 = header.find('\'', q1 + 1);
    a.descr = header.substr(q1 + 1, q2 - q1 - 1);
    if (header.find("'fortran_order': True") != std::string::npos)
        throw std::runtime_error(path + ": Fortran-ordered arrays are not supported");
    auto sp = header.find('(', header.find("'shape':"));
    auto se = header.find(')', sp);
    std::string dims = header.substr(sp + 1, se - sp - 1);
    size_t i = 0;
    while (i < dims.size()) {
        while (i < dims.size() && (dims[i] == ' ' || dims[i] == ',')) ++i;
        if (i >= dims.size()) break;
        a.shape.push_back(std::stoll(dims.substr(i)));
        while (i < dims.size() && dims[i] != ',') ++i;
    }
    std::streampos here = f.tellg();
    f.seekg(0, std::ios::end);
    size_t bytes = (size_t)(f.tellg() - here);
    f.seekg(here);
    a.data.resize(bytes);
    f.read(reinterpret_cast<char*>(a.data.data()), (std::streamsize)bytes);
    return a;
}

inline void writeNpy(const std::string& path, const std::string& descr, const std::vector<int>& shape,
                     const void* data, size_t bytes) {
    std::string dims;
    for (size_t i = 0; i < shape.size(); ++i) dims += std::to_string(shape[i]) + ", ";
    if (shape.size() > 1) dims.erase(dims.size() - 2);  // numpy writes "(3,)" for 1-D, "(2, 3)" else
    else if (shape.size() == 1) dims.erase(dims.size() - 1);
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::ofstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot write " + path);
    f.write("\x93NUMPY\x01\x00", 8);
    uint16_t hlen = (uint16_t)header.size();
    char hl[2] = {(char)(hlen & 0xFF), (char)(hlen >> 8)};
    f.write(hl, 2);
    f.write(header.data(), (std::streamsize)header.size());
    f.write(static_cast<const char*>(data), (std::streamsize)bytes);
    if (!f) throw std::runtime_error("short write to " + path);
}

} // namespace mk

#endif
