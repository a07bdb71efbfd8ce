// Shared by the jwe tests: options that allow every algorithm, and hex.
#pragma once

#include <obauth/core/bytes.hpp>
#include <obauth/jwe/algorithm.hpp>
#include <obauth/jwe/jwe.hpp>

#include <string>

namespace obauth::test::jwe_support {

inline obauth::jwe::decrypt_options allow_all() {
    obauth::jwe::decrypt_options o;
    for (const auto& a : obauth::jwe::key_managements)
        o.algorithms.insert(a.alg);
    for (const auto& e : obauth::jwe::content_encryptions)
        o.encryptions.insert(e.enc);
    return o;
}

inline obauth::bytes from_hex(const std::string& hex) {
    obauth::bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

inline std::string text(const obauth::secret& s) {
    return std::string(s.expose_secret().as_chars());
}

} // namespace obauth::test::jwe_support
