// SPDX-License-Identifier: Apache-2.0
#pragma once

// The text format of tests/vectors/*.txt: "# comment" lines, "[name]" section headers and
// "key = value" lines, values in lowercase hex unless the key ends in "_text".

#include "crypto/Bytes.h"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cinder::test {

struct VectorSection {
    std::string name;
    std::vector<std::pair<std::string, std::string>> entries;

    [[nodiscard]] const std::string& text(const std::string& key) const {
        for (const auto& [k, v] : entries) {
            if (k == key) {
                return v;
            }
        }
        throw std::runtime_error("vector " + name + " has no " + key);
    }
    [[nodiscard]] crypto::Bytes bytes(const std::string& key) const {
        auto decoded = crypto::fromHex(text(key));
        if (!decoded) {
            throw std::runtime_error("vector " + name + ": " + key + " is not hex");
        }
        return *decoded;
    }
    template <std::size_t N>
    [[nodiscard]] std::array<std::uint8_t, N> fixed(const std::string& key) const {
        const crypto::Bytes b = bytes(key);
        if (b.size() != N) {
            throw std::runtime_error("vector " + name + ": " + key + " has the wrong length");
        }
        std::array<std::uint8_t, N> out{};
        std::copy(b.begin(), b.end(), out.begin());
        return out;
    }
    void add(const std::string& key, crypto::ByteView value) {
        entries.emplace_back(key, crypto::toHex(value));
    }
    void addText(const std::string& key, const std::string& value) {
        entries.emplace_back(key, value);
    }
};

inline std::vector<VectorSection> readVectorFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    std::vector<VectorSection> sections;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.front() == '[' && line.back() == ']') {
            sections.push_back(VectorSection{line.substr(1, line.size() - 2), {}});
            continue;
        }
        const auto eq = line.find(" = ");
        if (eq == std::string::npos || sections.empty()) {
            throw std::runtime_error("bad vector line: " + line);
        }
        sections.back().entries.emplace_back(line.substr(0, eq), line.substr(eq + 3));
    }
    return sections;
}

inline void writeVectorFile(std::ostream& out, const std::string& header,
                            const std::vector<VectorSection>& sections) {
    out << header;
    for (const VectorSection& section : sections) {
        out << "\n[" << section.name << "]\n";
        for (const auto& [key, value] : section.entries) {
            out << key << " = " << value << "\n";
        }
    }
}

} // namespace cinder::test
