// The immutable data behind a jwk handle, plus the lazily created OpenSSL
// operation templates that make signing and verifying cheap. Shared by every
// copy of the handle; safe to use from many threads.
#pragma once

#include "../algorithm.hpp"
#include "../key_type.hpp"
#include "openssl.hpp"

#include "../../core/secret.hpp"

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace obauth::jose {

namespace detail {

struct curve_info {
    curve crv;
    std::string_view jwk_name;     ///< JWK "crv"
    std::string_view openssl_name; ///< OpenSSL group or key type name
    key_type kty;
    std::size_t size; ///< coordinate / raw key octets
};
inline constexpr curve_info curves[] = {
    {curve::p256, "P-256", "prime256v1", key_type::ec, 32},
    {curve::p384, "P-384", "secp384r1", key_type::ec, 48},
    {curve::p521, "P-521", "secp521r1", key_type::ec, 66},
    {curve::secp256k1, "secp256k1", "secp256k1", key_type::ec, 32},
    {curve::ed25519, "Ed25519", "ED25519", key_type::okp, 32},
    {curve::ed448, "Ed448", "ED448", key_type::okp, 57},
    {curve::x25519, "X25519", "X25519", key_type::okp, 32},
    {curve::x448, "X448", "X448", key_type::okp, 56},
};
inline const curve_info* find_curve(curve c) noexcept {
    for (const auto& i : curves)
        if (i.crv == c)
            return &i;
    return nullptr;
}

struct key_data {
    key_type kty = key_type::oct;
    curve crv = curve::none;
    bool has_private = false;
    std::optional<algorithm> alg;
    /// "alg" of an encryption key: a JWE key management algorithm name
    /// (jwe_algorithm_names), for the jwe module to check.
    std::optional<std::string> jwe_alg;
    std::string kid;
    std::optional<std::string> use;
    std::vector<std::string> key_ops;
    std::vector<std::string> x5c;
    std::optional<std::string> x5t_s256;
    pkey_ptr pkey; ///< RSA, EC, OKP
    secret oct;    ///< oct
    std::size_t bits = 0;

    /// Unique for the life of the process: keys the per-thread caches of
    /// initialized OpenSSL contexts (an address could be reused).
    std::uint64_t id = next_key_id();

    key_data() = default;
    key_data(const key_data&) = delete;
    key_data& operator=(const key_data&) = delete;

    static std::uint64_t next_key_id() noexcept {
        static std::atomic<std::uint64_t> counter{1};
        return counter.fetch_add(1, std::memory_order_relaxed);
    }
};

} // namespace detail
} // namespace obauth::jose
