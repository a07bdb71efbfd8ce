// The JWE algorithm names a JWK's "alg" may carry (an encryption key's),
// and whether a key can carry one: jose keeps such a key for the jwe module
// and never signs or verifies with it.
#pragma once

#include "../error.hpp"
#include "../key_type.hpp"
#include "key_data.hpp"

#include "../../core/ascii.hpp"
#include "../../core/result.hpp"

#include <string>
#include <string_view>

namespace obauth::jose::detail {

/// The JWE algorithms (RFC 7518 §4.1 and §5.1, and RSA-OAEP-384/512 from
/// the IANA registry) a JWK's "alg" may name, with the key type each needs:
/// an encryption key keeps its "alg" for the jwe module to check.
/// ECDH-ES takes EC keys and X25519/X448 (RFC 8037).
struct jwe_algorithm_name {
    std::string_view name;
    key_type kty;
};
inline constexpr jwe_algorithm_name jwe_algorithm_names[] = {
    {"RSA1_5", key_type::rsa},
    {"RSA-OAEP", key_type::rsa},
    {"RSA-OAEP-256", key_type::rsa},
    {"RSA-OAEP-384", key_type::rsa},
    {"RSA-OAEP-512", key_type::rsa},
    {"A128KW", key_type::oct},
    {"A192KW", key_type::oct},
    {"A256KW", key_type::oct},
    {"A128GCMKW", key_type::oct},
    {"A192GCMKW", key_type::oct},
    {"A256GCMKW", key_type::oct},
    {"dir", key_type::oct},
    {"PBES2-HS256+A128KW", key_type::oct},
    {"PBES2-HS384+A192KW", key_type::oct},
    {"PBES2-HS512+A256KW", key_type::oct},
    {"ECDH-ES", key_type::ec},
    {"ECDH-ES+A128KW", key_type::ec},
    {"ECDH-ES+A192KW", key_type::ec},
    {"ECDH-ES+A256KW", key_type::ec},
    // A content encryption algorithm names the CEK of a "dir" key (RFC 7520 §5.6).
    {"A128GCM", key_type::oct},
    {"A192GCM", key_type::oct},
    {"A256GCM", key_type::oct},
    {"A128CBC-HS256", key_type::oct},
    {"A192CBC-HS384", key_type::oct},
    {"A256CBC-HS512", key_type::oct},
};

/// The entry for `name`, or nullptr.
inline const jwe_algorithm_name* find_jwe_algorithm(std::string_view name) noexcept {
    for (const auto& a : jwe_algorithm_names)
        if (a.name == name)
            return &a;
    return nullptr;
}

/// Whether `name` is a JWE "alg" a key of this type and curve can carry.
inline result<void> check_jwe_alg(const key_data& k, std::string_view name) {
    const jwe_algorithm_name* a = find_jwe_algorithm(name);
    if (a == nullptr)
        return make_error(errc::unsupported_algorithm, quote(name, 32));
    const bool agreement =
        k.kty == key_type::ec ||
        (k.kty == key_type::okp && (k.crv == curve::x25519 || k.crv == curve::x448));
    if (a->kty == key_type::ec ? agreement : a->kty == k.kty)
        return {};
    return make_error(errc::algorithm_key_mismatch,
                      std::string(name) + " cannot be used with this key");
}

} // namespace obauth::jose::detail
