// The JWE header as the decrypter reads it (RFC 7516 §4, RFC 7518 §4.6.1,
// §4.7.1): alg and enc required strings, zip refused, crit checked like
// JWS's, and the key management parameters (epk, apu, apv, iv, tag) decoded.
#pragma once

#include "../algorithm.hpp"
#include "../error.hpp"

#include "../../core/base64url.hpp"
#include "../../core/json.hpp"
#include "../../core/result.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::jwe::detail {

/// The members RFC 7515/7516/7518 register for JWE headers: never named in
/// "crit" (RFC 7516 §4.1.13 via RFC 7515 §4.1.11).
inline constexpr std::string_view registered_members[] = {
    "alg", "enc", "zip",  "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256",
    "typ", "cty", "crit", "epk", "apu", "apv", "iv",  "tag", "p2s", "p2c"};

/// apu and apv are at most this long (decoded): party identifiers.
inline constexpr std::size_t max_party_info = 1024;

struct header_fields {
    key_management alg{};
    content_encryption enc{};
    std::string kid;
    const json* epk = nullptr; ///< ECDH-ES: the ephemeral public key (in the header)
    bytes apu, apv;            ///< ECDH-ES: PartyUInfo, PartyVInfo
    bytes iv, tag;             ///< AES-GCM key wrap: its IV and tag
};

inline result<std::optional<std::string_view>> optional_string(const json& h, const char* name) {
    const json* v = find_member(h, name);
    if (v == nullptr)
        return std::optional<std::string_view>{};
    const auto* s = v->get_ptr<const json::string_t*>();
    if (s == nullptr)
        return make_error(errc::invalid_header, std::string("'") + name + "' is not a string");
    return std::optional<std::string_view>(*s);
}

/// A base64url member decoded; `size`, when given, is the length it must have.
inline result<bytes> optional_octets(const json& h, const char* name, std::size_t max,
                                     std::optional<std::size_t> size = {}) {
    OBAUTH_TRY(const auto text, optional_string(h, name));
    if (!text)
        return bytes{};
    auto raw = base64url_decode(*text);
    if (!raw || raw->size() > max || (size && raw->size() != *size))
        return make_error(errc::invalid_header, std::string("'") + name + "' is not valid");
    return std::move(*raw);
}

/// "crit" (RFC 7515 §4.1.11): a non-empty array of names, none registered,
/// each present in the header and understood by the caller.
inline result<void> check_crit(const json& h, const std::vector<std::string>& understood) {
    const json* crit = find_member(h, "crit");
    if (crit == nullptr)
        return {};
    if (!crit->is_array() || crit->empty())
        return make_error(errc::invalid_header, "'crit' is not a non-empty array");
    for (const auto& c : *crit) {
        const auto* name = c.get_ptr<const json::string_t*>();
        if (name == nullptr || name->empty())
            return make_error(errc::invalid_header, "'crit' holds a non-string");
        if (std::find(std::begin(registered_members), std::end(registered_members),
                      std::string_view(*name)) != std::end(registered_members))
            return make_error(errc::invalid_header, "'crit' names " + quote(*name, 32));
        if (std::find(understood.begin(), understood.end(), *name) == understood.end())
            return make_error(errc::unsupported_critical, quote(*name, 32));
        if (find_member(h, *name) == nullptr)
            return make_error(errc::invalid_header, "'crit' names an absent " + quote(*name, 32));
    }
    return {};
}

/// Reads the (protected) header `h` of a JWE the caller allows `algs` and
/// `encs` for.
inline result<header_fields> read_header(const json& h, key_management_set algs,
                                         content_encryption_set encs,
                                         const std::vector<std::string>& understood_crit) {
    header_fields f;
    OBAUTH_TRY(const auto alg, optional_string(h, "alg"));
    OBAUTH_TRY(const auto enc, optional_string(h, "enc"));
    if (!alg || !enc)
        return make_error(errc::invalid_header, "'alg' and 'enc' are required");
    OBAUTH_TRY(f.alg, parse_key_management(*alg));
    OBAUTH_TRY(f.enc, parse_content_encryption(*enc));
    if (find_member(h, "zip") != nullptr)
        return make_error(errc::compression_refused);
    if (!algs.contains(f.alg))
        return make_error(errc::algorithm_not_allowed, "alg " + quote(*alg, 32));
    if (!encs.contains(f.enc))
        return make_error(errc::algorithm_not_allowed, "enc " + quote(*enc, 32));
    OBAUTH_TRY_VOID(check_crit(h, understood_crit));
    OBAUTH_TRY(const auto kid, optional_string(h, "kid"));
    if (kid)
        f.kid = std::string(*kid);
    for (const char* name : {"typ", "cty"})
        OBAUTH_TRY_VOID(optional_string(h, name));
    const key_family family = info(f.alg).family;
    if (family == key_family::ecdh_es) {
        f.epk = find_member(h, "epk");
        if (f.epk == nullptr || !f.epk->is_object())
            return make_error(errc::invalid_header, "'epk' is missing or not an object");
        OBAUTH_TRY(f.apu, optional_octets(h, "apu", max_party_info));
        OBAUTH_TRY(f.apv, optional_octets(h, "apv", max_party_info));
    }
    if (family == key_family::aes_gcm_kw) {
        if (find_member(h, "iv") == nullptr || find_member(h, "tag") == nullptr)
            return make_error(errc::invalid_header, "'iv' and 'tag' are required");
        OBAUTH_TRY(f.iv, optional_octets(h, "iv", 12, 12));
        OBAUTH_TRY(f.tag, optional_octets(h, "tag", 16, 16));
    }
    return f;
}

} // namespace obauth::jwe::detail
