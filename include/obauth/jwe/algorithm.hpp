// JWE algorithms (RFC 7518 §4 and §5, RFC 8037 §3.2): key management ("alg")
// and content encryption ("enc"), their names and sizes, and the sets a
// caller allows.
//
// Left out on purpose, and refused with errc::algorithm_left_out:
// - RSA1_5: PKCS #1 v1.5 key transport invites Bleichenbacher's padding
//   oracle; FAPI 1.0 Advanced forbids it (§8.6.1).
// - PBES2-*: password-based, and the header's p2c makes the receiver run an
//   attacker-chosen number of PBKDF2 rounds.
// "zip" (DEFLATE before encryption) is refused with compression_refused: a
// small JWE could inflate without bound.
#pragma once

#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace obauth::jwe {

enum class key_management : std::uint8_t {
    RSA_OAEP,
    RSA_OAEP_256,
    RSA_OAEP_384,
    RSA_OAEP_512,
    ECDH_ES,
    ECDH_ES_A128KW,
    ECDH_ES_A192KW,
    ECDH_ES_A256KW,
    A128KW,
    A192KW,
    A256KW,
    A128GCMKW,
    A192GCMKW,
    A256GCMKW,
    dir,
};

enum class content_encryption : std::uint8_t {
    A128GCM,
    A192GCM,
    A256GCM,
    A128CBC_HS256,
    A192CBC_HS384,
    A256CBC_HS512,
};

enum class key_family : std::uint8_t {
    rsa_oaep,   ///< the CEK encrypted to an RSA key
    ecdh_es,    ///< ECDH-ES: the CEK derived, or a wrapping key derived
    aes_kw,     ///< RFC 3394 AES key wrap with a shared key
    aes_gcm_kw, ///< the CEK encrypted with AES-GCM under a shared key
    direct,     ///< the shared key is the CEK
};

struct key_management_info {
    key_management alg;
    std::string_view name;
    key_family family;
    std::string_view digest; ///< RSA-OAEP: the OAEP and MGF1 hash
    std::size_t kek_size;    ///< AES key wrap, AES-GCM key wrap, ECDH-ES+KW: octets
};

inline constexpr key_management_info key_managements[] = {
    {key_management::RSA_OAEP, "RSA-OAEP", key_family::rsa_oaep, "SHA1", 0},
    {key_management::RSA_OAEP_256, "RSA-OAEP-256", key_family::rsa_oaep, "SHA256", 0},
    {key_management::RSA_OAEP_384, "RSA-OAEP-384", key_family::rsa_oaep, "SHA384", 0},
    {key_management::RSA_OAEP_512, "RSA-OAEP-512", key_family::rsa_oaep, "SHA512", 0},
    {key_management::ECDH_ES, "ECDH-ES", key_family::ecdh_es, {}, 0},
    {key_management::ECDH_ES_A128KW, "ECDH-ES+A128KW", key_family::ecdh_es, {}, 16},
    {key_management::ECDH_ES_A192KW, "ECDH-ES+A192KW", key_family::ecdh_es, {}, 24},
    {key_management::ECDH_ES_A256KW, "ECDH-ES+A256KW", key_family::ecdh_es, {}, 32},
    {key_management::A128KW, "A128KW", key_family::aes_kw, {}, 16},
    {key_management::A192KW, "A192KW", key_family::aes_kw, {}, 24},
    {key_management::A256KW, "A256KW", key_family::aes_kw, {}, 32},
    {key_management::A128GCMKW, "A128GCMKW", key_family::aes_gcm_kw, {}, 16},
    {key_management::A192GCMKW, "A192GCMKW", key_family::aes_gcm_kw, {}, 24},
    {key_management::A256GCMKW, "A256GCMKW", key_family::aes_gcm_kw, {}, 32},
    {key_management::dir, "dir", key_family::direct, {}, 0},
};

struct content_encryption_info {
    content_encryption enc;
    std::string_view name;
    bool gcm;                ///< AES-GCM (else AES-CBC with HMAC-SHA-2, RFC 7518 §5.2)
    std::size_t cek_size;    ///< octets (CBC-HMAC: MAC key, then encryption key)
    std::size_t iv_size;     ///< octets
    std::size_t tag_size;    ///< octets
    std::string_view digest; ///< CBC-HMAC: the HMAC hash
};

inline constexpr content_encryption_info content_encryptions[] = {
    {content_encryption::A128GCM, "A128GCM", true, 16, 12, 16, {}},
    {content_encryption::A192GCM, "A192GCM", true, 24, 12, 16, {}},
    {content_encryption::A256GCM, "A256GCM", true, 32, 12, 16, {}},
    {content_encryption::A128CBC_HS256, "A128CBC-HS256", false, 32, 16, 16, "SHA256"},
    {content_encryption::A192CBC_HS384, "A192CBC-HS384", false, 48, 16, 24, "SHA384"},
    {content_encryption::A256CBC_HS512, "A256CBC-HS512", false, 64, 16, 32, "SHA512"},
};

constexpr const key_management_info& info(key_management a) noexcept {
    return key_managements[static_cast<std::size_t>(a)];
}
constexpr const content_encryption_info& info(content_encryption e) noexcept {
    return content_encryptions[static_cast<std::size_t>(e)];
}
constexpr std::string_view to_string(key_management a) noexcept {
    return info(a).name;
}
constexpr std::string_view to_string(content_encryption e) noexcept {
    return info(e).name;
}

/// The key management algorithm named `name`; RSA1_5 and PBES2-* are
/// algorithm_left_out, other names unsupported_algorithm.
inline result<key_management> parse_key_management(std::string_view name) {
    for (const auto& a : key_managements)
        if (a.name == name)
            return a.alg;
    if (name == "RSA1_5" || name.substr(0, 6) == "PBES2-")
        return make_error(errc::algorithm_left_out, quote(name, 32));
    return make_error(errc::unsupported_algorithm, "alg " + quote(name, 32));
}

inline result<content_encryption> parse_content_encryption(std::string_view name) {
    for (const auto& e : content_encryptions)
        if (e.name == name)
            return e.enc;
    return make_error(errc::unsupported_algorithm, "enc " + quote(name, 32));
}

/// A set of algorithms of one kind: what a caller allows.
template <class E>
class algorithm_set {
public:
    constexpr algorithm_set() noexcept = default;
    constexpr algorithm_set(std::initializer_list<E> items) noexcept {
        for (E e : items)
            bits_ |= bit(e);
    }
    constexpr bool contains(E e) const noexcept { return (bits_ & bit(e)) != 0; }
    constexpr bool empty() const noexcept { return bits_ == 0; }
    constexpr algorithm_set& insert(E e) noexcept {
        bits_ |= bit(e);
        return *this;
    }

private:
    static constexpr std::uint32_t bit(E e) noexcept {
        return std::uint32_t{1} << static_cast<unsigned>(e);
    }
    std::uint32_t bits_ = 0;
};

using key_management_set = algorithm_set<key_management>;
using content_encryption_set = algorithm_set<content_encryption>;

} // namespace obauth::jwe
