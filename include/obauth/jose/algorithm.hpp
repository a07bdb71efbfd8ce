// JWS algorithms (RFC 7518 §3, RFC 8037 §3.1, RFC 8812 §3.2) and the
// allow-lists callers pin. "none" is not an algorithm here: there is no
// value for it, so no path that takes a key can reach it. Names are
// compared case-sensitively (RFC 7515 §4.1.1).
#pragma once

#include "error.hpp"

#include "../core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace obauth::jose {

enum class algorithm : std::uint8_t {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    ES256K,
    EdDSA,
};
inline constexpr std::size_t algorithm_count = 14;

enum class algorithm_family : std::uint8_t { hmac, rsa_pkcs1, rsa_pss, ecdsa, eddsa };

namespace detail {
struct algorithm_info {
    algorithm alg;
    std::string_view name;
    algorithm_family family;
    std::string_view digest;   ///< OpenSSL digest name; empty for EdDSA
    std::size_t digest_size;   ///< octets; the HMAC key minimum
    std::string_view ec_curve; ///< JWK "crv" for ECDSA
    std::size_t ec_coordinate; ///< octets per coordinate for ECDSA
};
inline constexpr algorithm_info algorithms[algorithm_count] = {
    {algorithm::HS256, "HS256", algorithm_family::hmac, "SHA256", 32, {}, 0},
    {algorithm::HS384, "HS384", algorithm_family::hmac, "SHA384", 48, {}, 0},
    {algorithm::HS512, "HS512", algorithm_family::hmac, "SHA512", 64, {}, 0},
    {algorithm::RS256, "RS256", algorithm_family::rsa_pkcs1, "SHA256", 32, {}, 0},
    {algorithm::RS384, "RS384", algorithm_family::rsa_pkcs1, "SHA384", 48, {}, 0},
    {algorithm::RS512, "RS512", algorithm_family::rsa_pkcs1, "SHA512", 64, {}, 0},
    {algorithm::PS256, "PS256", algorithm_family::rsa_pss, "SHA256", 32, {}, 0},
    {algorithm::PS384, "PS384", algorithm_family::rsa_pss, "SHA384", 48, {}, 0},
    {algorithm::PS512, "PS512", algorithm_family::rsa_pss, "SHA512", 64, {}, 0},
    {algorithm::ES256, "ES256", algorithm_family::ecdsa, "SHA256", 32, "P-256", 32},
    {algorithm::ES384, "ES384", algorithm_family::ecdsa, "SHA384", 48, "P-384", 48},
    {algorithm::ES512, "ES512", algorithm_family::ecdsa, "SHA512", 64, "P-521", 66},
    {algorithm::ES256K, "ES256K", algorithm_family::ecdsa, "SHA256", 32, "secp256k1", 32},
    {algorithm::EdDSA, "EdDSA", algorithm_family::eddsa, {}, 0, {}, 0},
};
} // namespace detail

/// Every algorithm, in declaration order.
inline constexpr algorithm all_algorithms[algorithm_count] = {
    algorithm::HS256, algorithm::HS384, algorithm::HS512,  algorithm::RS256, algorithm::RS384,
    algorithm::RS512, algorithm::PS256, algorithm::PS384,  algorithm::PS512, algorithm::ES256,
    algorithm::ES384, algorithm::ES512, algorithm::ES256K, algorithm::EdDSA,
};

inline const detail::algorithm_info& info(algorithm a) noexcept {
    return detail::algorithms[static_cast<std::size_t>(a)];
}
inline std::string_view to_string(algorithm a) noexcept {
    return info(a).name;
}
inline algorithm_family family(algorithm a) noexcept {
    return info(a).family;
}

namespace detail {
// A name of at most 8 characters as one integer, for one-compare lookups.
constexpr std::uint64_t pack_name(std::string_view n) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n.size() && i < 8; ++i)
        v |= std::uint64_t{static_cast<unsigned char>(n[i])} << (8 * i);
    return v;
}
struct packed_names {
    std::uint64_t v[algorithm_count];
    constexpr packed_names() : v() {
        for (std::size_t i = 0; i < algorithm_count; ++i)
            v[i] = pack_name(algorithms[i].name);
    }
};
inline constexpr packed_names algorithm_names{};
} // namespace detail

/// The algorithm named `name` (exact, case-sensitive), or an error. "none"
/// and every other unknown name are unsupported_algorithm.
inline result<algorithm> parse_algorithm(std::string_view name) {
    if (name.size() >= 5 && name.size() <= 6) {
        const std::uint64_t key = detail::pack_name(name);
        for (std::size_t i = 0; i < algorithm_count; ++i)
            if (detail::algorithm_names.v[i] == key)
                return detail::algorithms[i].alg;
    }
    std::string detail = "'";
    detail.append(name.substr(0, 16));
    detail += '\'';
    return make_error(errc::unsupported_algorithm, std::move(detail));
}

/// A set of algorithms: the allow-list a verifier pins.
class algorithm_set {
public:
    constexpr algorithm_set() noexcept = default;
    constexpr algorithm_set(std::initializer_list<algorithm> algs) noexcept {
        for (algorithm a : algs)
            bits_ |= bit(a);
    }
    static constexpr algorithm_set all() noexcept {
        algorithm_set s;
        s.bits_ = (1u << algorithm_count) - 1;
        return s;
    }
    constexpr bool contains(algorithm a) const noexcept { return (bits_ & bit(a)) != 0; }
    constexpr bool empty() const noexcept { return bits_ == 0; }
    constexpr algorithm_set& insert(algorithm a) noexcept {
        bits_ |= bit(a);
        return *this;
    }
    /// Every algorithm of this set is in `other`.
    constexpr bool subset_of(algorithm_set other) const noexcept {
        return (bits_ & ~other.bits_) == 0;
    }
    friend constexpr bool operator==(algorithm_set a, algorithm_set b) noexcept {
        return a.bits_ == b.bits_;
    }

private:
    static constexpr std::uint32_t bit(algorithm a) noexcept {
        return std::uint32_t{1} << static_cast<unsigned>(a);
    }
    std::uint32_t bits_ = 0;
};

/// FAPI 1.0 Advanced §8.6: PS256 and ES256 only.
inline constexpr algorithm_set fapi_algorithms{algorithm::PS256, algorithm::ES256};
/// FAPI 2.0 Security Profile §5.4: PS256, ES256 and EdDSA (Ed25519).
inline constexpr algorithm_set fapi2_algorithms{algorithm::PS256, algorithm::ES256,
                                                algorithm::EdDSA};

} // namespace obauth::jose
