// ID token validation: OpenID Connect Core 1.0 §3.1.3.7 (token endpoint),
// §3.3.2.12 (hybrid flow, from the authorization endpoint), §2 (claims) and
// FAPI 1.0 Advanced §5.2.2 / §8.6 (PS256 or ES256 only; s_hash in the
// hybrid flow).
//
// The signature is checked first, with the caller's pinned algorithms
// (FAPI preset: PS256, ES256) and the issuer's keys; then every rule, each
// with its own error code: iss, sub, aud (must contain the client_id; any
// other audience must be explicitly trusted; azp required when there are
// several and equal to the client_id when present), exp, nbf, iat and its
// maximum age, auth_time against max_age, nonce (compared in constant
// time), acr against the requested values, and at_hash / c_hash / s_hash.
//
// The *_hash claims are the left half of the hash of the value, base64url
// encoded; the hash is the one of the token's algorithm, and for EdDSA the
// one of its curve (SHA-512 for Ed25519, SHAKE256 with 114 octets for
// Ed448), as the OpenID Connect Token Hash Algorithms guide records.
//
// An encrypted ID token (§10.2, a nested JWT) is decrypted first when the
// client registered encryption (id_token_validation::decryption), and
// refused otherwise; see response_encryption.hpp.
#pragma once

#include "error.hpp"
#include "response_encryption.hpp"

#include "../core/base64url.hpp"
#include "../core/clock.hpp"
#include "../core/digest.hpp"
#include "../core/json.hpp"
#include "../core/json_scanner.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oidc {

namespace detail {
/// The largest *_hash: half of SHAKE256/114, base64url encoded.
inline constexpr std::size_t max_token_hash_chars = 76;

inline result<std::size_t> token_hash_into(jose::algorithm alg, std::string_view value,
                                           jose::curve crv, char* out) {
    const auto& ai = jose::info(alg);
    const EVP_MD* md = nullptr;
    std::size_t size = 0;
    if (ai.family == jose::algorithm_family::eddsa) {
        if (crv == jose::curve::ed25519) {
            md = fetched_digest("SHA512");
            size = 64;
        } else if (crv == jose::curve::ed448) {
            md = fetched_digest("SHAKE256");
            size = 114;
        } else {
            return make_error(jose::errc::algorithm_key_mismatch, "EdDSA needs Ed25519 or Ed448");
        }
    } else {
        md = fetched_digest(ai.digest);
        size = ai.digest_size;
    }
    std::array<unsigned char, 114> digest{};
    bool ok = false;
    if (size == 114) {
        if (EVP_MD_CTX* ctx = EVP_MD_CTX_new()) {
            ok = EVP_DigestInit_ex(ctx, md, nullptr) == 1 &&
                 EVP_DigestUpdate(ctx, value.data(), value.size()) == 1 &&
                 EVP_DigestFinalXOF(ctx, digest.data(), size) == 1;
            EVP_MD_CTX_free(ctx);
        }
    } else {
        ok = EVP_Digest(value.data(), value.size(), digest.data(), nullptr, md, nullptr) == 1;
    }
    if (!ok)
        return make_error(jose::errc::crypto_failure, "digest failed");
    return base64url_encode_into(bytes_view(digest.data(), size / 2), out);
}
} // namespace detail

/// The *_hash value (at_hash, c_hash, s_hash) of `value` for a token signed
/// with `alg`; `crv` (ed25519 or ed448) is needed for EdDSA only.
inline result<std::string> token_hash(jose::algorithm alg, std::string_view value,
                                      jose::curve crv = jose::curve::none) {
    std::array<char, detail::max_token_hash_chars> out{};
    OBAUTH_TRY(const std::size_t n, detail::token_hash_into(alg, value, crv, out.data()));
    return std::string(out.data(), n);
}

/// Where the ID token came from: it decides which claims are required.
enum class id_token_source {
    token_endpoint,         ///< §3.1.3.7
    authorization_response, ///< hybrid flow (§3.3.2.12): nonce and c_hash required
};

struct id_token_validation {
    std::string issuer;    ///< exact match
    std::string client_id; ///< must be in `aud`
    /// Other audiences the client accepts next to its own client_id.
    std::vector<std::string> trusted_audiences;
    jose::algorithm_set algorithms = jose::fapi_algorithms;
    id_token_source source = id_token_source::token_endpoint;
    /// FAPI 1.0 Advanced rules: s_hash required in the hybrid flow.
    bool fapi = false;

    std::chrono::seconds leeway{30};
    /// Tokens issued longer ago than this are refused (iat).
    std::chrono::seconds max_iat_age{600};
    /// The max_age the authorization request sent: auth_time is then
    /// required and must be no older.
    std::optional<std::chrono::seconds> max_age;
    bool require_auth_time = false;

    /// The nonce sent in the authorization request (views; compared in
    /// constant time). Required when set, and always in the hybrid flow.
    std::optional<std::string_view> nonce;
    /// The acr values requested; when non-empty, `acr` must be one of them
    /// (and present when `acr_essential`).
    std::vector<std::string> acr_values;
    bool acr_essential = false;

    /// Values bound by hash claims; each is checked when its claim is
    /// present, and required as the flow demands. A claim that is present
    /// while its value is not given is refused with token_hash_unverifiable
    /// (authorization_code_flow gives all three).
    std::optional<std::string_view> access_token; ///< at_hash
    bool require_at_hash = false;
    std::optional<std::string_view> code;  ///< c_hash
    std::optional<std::string_view> state; ///< s_hash

    /// Encrypted ID tokens (id_token_encrypted_response_alg/enc registered):
    /// the token must be a JWE as registered, decrypted with the client's
    /// keys, then validated as a signed one. Unset: a JWE is refused.
    std::optional<response_decryption> decryption;

    json_limits claims_limits{64 * 1024, 16};
    std::size_t max_token_size = 64 * 1024;
};

/// A preset for FAPI 1.0 Advanced: PS256/ES256, the FAPI hash rules.
inline id_token_validation fapi1_id_token_validation(std::string issuer, std::string client_id,
                                                     id_token_source source) {
    id_token_validation v;
    v.issuer = std::move(issuer);
    v.client_id = std::move(client_id);
    v.source = source;
    v.fapi = true;
    return v;
}

namespace detail {
struct id_token_access;
}

/// An ID token that passed validate_id_token; only it constructs one.
class verified_id_token {
public:
    const jose::verified_jwt& jwt() const noexcept { return jwt_; }
    jose::algorithm alg() const noexcept { return jwt_.alg(); }
    std::string_view iss() const noexcept { return jwt_.iss(); }
    std::string_view sub() const noexcept { return jwt_.sub(); }
    std::vector<std::string_view> aud() const { return jwt_.aud(); }
    std::int64_t exp() const noexcept { return *jwt_.exp(); }
    std::int64_t iat() const noexcept { return *jwt_.iat(); }
    std::optional<std::int64_t> auth_time() const noexcept { return auth_time_; }
    std::string_view nonce() const noexcept { return string_claim("nonce"); }
    std::string_view acr() const noexcept { return string_claim("acr"); }
    std::string_view azp() const noexcept { return string_claim("azp"); }
    /// Every claim.
    const json& claims() const { return jwt_.claims(); }

private:
    friend struct detail::id_token_access;
    explicit verified_id_token(jose::verified_jwt j) noexcept : jwt_(std::move(j)) {}
    std::string_view string_claim(const char* name) const noexcept {
        const json* v = find_member(jwt_.claims(), name);
        const auto* s = v ? v->get_ptr<const json::string_t*>() : nullptr;
        return s ? std::string_view(*s) : std::string_view();
    }

    jose::verified_jwt jwt_;
    std::optional<std::int64_t> auth_time_;
};

namespace detail {

// jose reports claim failures with its own codes; an ID token has one code
// per rule.
inline error_info id_token_error(error_info e) {
    using je = jose::errc;
    if (e.code.category() != error_category_for<je>())
        return e;
    switch (static_cast<je>(e.code.value())) {
    case je::expired:
        return make_error(errc::id_token_expired, std::move(e.detail));
    case je::not_yet_valid:
        return make_error(errc::id_token_not_yet_valid, std::move(e.detail));
    case je::issued_in_future:
        return make_error(errc::id_token_issued_in_future, std::move(e.detail));
    case je::audience_mismatch:
    case je::missing_claim: // only "aud" is required at that stage
        return make_error(errc::id_token_audience_mismatch, std::move(e.detail));
    case je::invalid_claim:
        return make_error(errc::id_token_invalid_claim, std::move(e.detail));
    default:
        return e;
    }
}

// The claims the ID token rules read beyond jose's: scanned in place, or
// read from the DOM when the scanner meets an escape.
struct id_claims {
    enum member : std::uint8_t { nonce, azp, acr, at_hash, c_hash, s_hash, auth_time, other };
    enum class kind_t : std::uint8_t { absent, string, other };
    static constexpr const char* names[] = {"nonce",  "azp",    "acr",      "at_hash",
                                            "c_hash", "s_hash", "auth_time"};
    std::array<kind_t, 7> kind{};         // absent until seen
    std::array<std::string_view, 6> text; // the string members
    bool auth_time_ok = false;            // a NumericDate integer
    std::int64_t auth_time_value = 0;

    static member classify(std::string_view n) noexcept {
        for (std::uint8_t i = 0; i < 7; ++i)
            if (n == names[i])
                return static_cast<member>(i);
        return other;
    }
    result<std::optional<std::string_view>> string(member m) const {
        if (kind[m] == id_claims::kind_t::absent)
            return std::optional<std::string_view>();
        if (kind[m] != id_claims::kind_t::string)
            return make_error(errc::id_token_invalid_claim,
                              std::string("'") + names[m] + "' is not a string");
        return std::optional<std::string_view>(text[m]);
    }
    // NumericDate: an integer in [0, max_numeric_date] ("-0" reads as 0).
    void set_auth_time(bool integral, bool negative, std::uint64_t magnitude) noexcept {
        auth_time_ok = integral && (!negative || magnitude == 0) &&
                       magnitude <= static_cast<std::uint64_t>(jose::max_numeric_date);
        auth_time_value = auth_time_ok ? static_cast<std::int64_t>(magnitude) : 0;
    }
};

struct id_claims_handler {
    id_claims& c;
    bool need_dom = false;
    id_claims::member current = id_claims::other;

    void seen_other(std::size_t depth) noexcept {
        if (depth == 1 && current != id_claims::other)
            c.kind[current] = id_claims::kind_t::other;
    }
    void key(std::size_t depth, std::string_view name) noexcept {
        if (depth == 1)
            current = id_claims::classify(name);
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) noexcept {
        if (depth != 1 || current == id_claims::other)
            return;
        if (current == id_claims::auth_time) {
            seen_other(depth);
            return;
        }
        c.kind[current] = id_claims::kind_t::string;
        c.text[current] = raw;
        need_dom = need_dom || escaped;
    }
    void number(std::size_t depth, std::string_view t, bool integral) noexcept {
        seen_other(depth);
        if (depth != 1 || current != id_claims::auth_time)
            return;
        const bool negative = !t.empty() && t.front() == '-';
        if (negative)
            t.remove_prefix(1);
        std::uint64_t v = 0;
        if (integral && t.size() <= 12)
            for (const char ch : t)
                v = v * 10 + static_cast<std::uint64_t>(ch - '0');
        else
            v = UINT64_MAX;
        c.set_auth_time(integral, negative, v);
    }
    void literal(std::size_t depth, char) noexcept { seen_other(depth); }
    void open(std::size_t depth, bool) noexcept { seen_other(depth); }
    void close(std::size_t) noexcept {}
};

inline id_claims claims_from_dom(const json& dom) {
    id_claims c;
    for (const auto& [name, v] : *dom.get_ptr<const json::object_t*>()) {
        const id_claims::member m = id_claims::classify(name);
        if (m == id_claims::other)
            continue;
        const auto* s = v.get_ptr<const json::string_t*>();
        c.kind[m] =
            s && m != id_claims::auth_time ? id_claims::kind_t::string : id_claims::kind_t::other;
        if (c.kind[m] == id_claims::kind_t::string)
            c.text[m] = *s;
        if (m == id_claims::auth_time) {
            if (const auto* u = v.get_ptr<const json::number_unsigned_t*>())
                c.set_auth_time(true, false, *u);
            else if (const auto* i = v.get_ptr<const json::number_integer_t*>())
                c.set_auth_time(true, *i < 0, *i < 0 ? 1 : static_cast<std::uint64_t>(*i));
        }
    }
    return c;
}

inline id_claims read_id_claims(const jose::verified_jwt& j, std::size_t max_depth) {
    id_claims c;
    id_claims_handler h{c};
    // jose accepted the payload as a claims object within these limits.
    json_scanner scanner(j.payload(), max_depth);
    if (scanner.scan(h) && !h.need_dom)
        return c;
    return claims_from_dom(j.claims());
}

inline bool hash_matches(std::string_view claim, jose::algorithm alg, jose::curve crv,
                         std::string_view value) {
    std::array<char, max_token_hash_chars> h{};
    auto n = token_hash_into(alg, value, crv, h.data());
    return n && constant_time_equal(bytes_view(std::string_view(h.data(), *n)), bytes_view(claim));
}

struct id_token_access {
    static result<verified_id_token> validate(std::string_view token,
                                              result<jose::verified_jwt> verified,
                                              const id_token_validation& v, time_point now_tp) {
        if (!verified)
            return id_token_error(verified.error());
        verified_id_token t(std::move(*verified));
        const jose::verified_jwt& j = t.jwt_;
        const id_claims c = read_id_claims(j, v.claims_limits.max_depth);
        const std::int64_t now = to_unix_seconds(now_tp);
        const std::int64_t leeway = v.leeway.count();

        if (j.iss() != v.issuer)
            return errc::id_token_issuer_mismatch;
        if (j.sub().empty())
            return errc::id_token_sub_missing;

        const auto aud = j.aud();
        bool has_client = false;
        for (std::string_view a : aud) {
            if (a == v.client_id) {
                has_client = true;
                continue;
            }
            if (std::find(v.trusted_audiences.begin(), v.trusted_audiences.end(), a) ==
                v.trusted_audiences.end())
                return make_error(errc::id_token_untrusted_audience,
                                  "'" + std::string(a.substr(0, 64)) + "'");
        }
        if (!has_client)
            return errc::id_token_audience_mismatch;
        OBAUTH_TRY(auto azp, c.string(id_claims::azp));
        if (aud.size() > 1 && !azp)
            return errc::id_token_azp_missing;
        if (azp && *azp != v.client_id)
            return errc::id_token_azp_mismatch;

        // exp, nbf and iat are in range and timely (checked by jose with
        // the leeway); here: presence and age.
        if (!j.exp())
            return errc::id_token_exp_missing;
        if (!j.iat())
            return errc::id_token_iat_missing;
        if (now - *j.iat() > v.max_iat_age.count() + leeway)
            return errc::id_token_too_old;

        if (c.kind[id_claims::auth_time] != id_claims::kind_t::absent) {
            if (!c.auth_time_ok)
                return make_error(errc::id_token_invalid_claim,
                                  "'auth_time' is not a NumericDate integer");
            if (c.auth_time_value > now + leeway)
                return errc::id_token_auth_time_invalid;
            t.auth_time_ = c.auth_time_value;
        }
        if ((v.max_age || v.require_auth_time) && !t.auth_time_)
            return errc::id_token_auth_time_missing;
        if (v.max_age && now - *t.auth_time_ > v.max_age->count() + leeway)
            return errc::id_token_auth_too_old;

        OBAUTH_TRY(auto nonce, c.string(id_claims::nonce));
        if (v.nonce || v.source == id_token_source::authorization_response) {
            if (!nonce)
                return errc::id_token_nonce_missing;
            if (!v.nonce || !constant_time_equal(bytes_view(*nonce), bytes_view(*v.nonce)))
                return errc::id_token_nonce_mismatch;
        }

        OBAUTH_TRY(auto acr, c.string(id_claims::acr));
        if (!v.acr_values.empty()) {
            if (!acr) {
                if (v.acr_essential)
                    return errc::id_token_acr_missing;
            } else if (std::find(v.acr_values.begin(), v.acr_values.end(), *acr) ==
                       v.acr_values.end()) {
                return errc::id_token_acr_not_accepted;
            }
        }

        // EdDSA: the curve decides the hash; the verified signature's length
        // tells it (64 octets for Ed25519, 114 for Ed448).
        jose::curve crv = jose::curve::none;
        if (j.alg() == jose::algorithm::EdDSA)
            crv = token.size() - token.rfind('.') - 1 == 86 ? jose::curve::ed25519
                                                            : jose::curve::ed448;
        struct hash_rule {
            id_claims::member claim;
            std::optional<std::string_view> value;
            bool required;
            errc missing, mismatch;
        };
        const bool hybrid = v.source == id_token_source::authorization_response;
        const hash_rule rules[] = {
            {id_claims::at_hash, v.access_token, v.require_at_hash, errc::at_hash_missing,
             errc::at_hash_mismatch},
            {id_claims::c_hash, v.code, hybrid, errc::c_hash_missing, errc::c_hash_mismatch},
            {id_claims::s_hash, v.state, hybrid && v.fapi, errc::s_hash_missing,
             errc::s_hash_mismatch},
        };
        for (const hash_rule& r : rules) {
            OBAUTH_TRY(auto claim, c.string(r.claim));
            if (!claim) {
                if (r.required)
                    return r.missing;
                continue;
            }
            // A claim binding a value the caller did not give cannot be checked.
            if (!r.value)
                return make_error(errc::token_hash_unverifiable,
                                  std::string("'") + id_claims::names[r.claim] +
                                      "' is present but no value to compare was given");
            if (!hash_matches(*claim, j.alg(), crv, *r.value))
                return r.mismatch;
        }
        return t;
    }
};

inline jose::jwt_validation id_token_claims_policy(const id_token_validation& v) {
    jose::jwt_validation p;
    p.audiences.reserve(v.trusted_audiences.size() + 1);
    p.audiences.push_back(v.client_id);
    p.audiences.insert(p.audiences.end(), v.trusted_audiences.begin(), v.trusted_audiences.end());
    p.require_exp = false; // presence checked with the ID token's own codes
    p.leeway = v.leeway;
    p.claims_limits = v.claims_limits;
    return p;
}

inline jose::jws_verify_options id_token_jws_options(const id_token_validation& v) {
    jose::jws_verify_options o;
    o.algorithms = v.algorithms;
    o.max_token_size = v.max_token_size;
    return o;
}

} // namespace detail

namespace detail {
template <class Keys>
result<verified_id_token> validate_signed(std::string_view token, const Keys& keys,
                                          const id_token_validation& v, time_point now) {
    return id_token_access::validate(
        token,
        jose::verify_jwt(token, keys, id_token_jws_options(v), id_token_claims_policy(v), now), v,
        now);
}

template <class Keys>
result<verified_id_token> validate_with(std::string_view token, const Keys& keys,
                                        const id_token_validation& v, time_point now) {
    if (!v.decryption) {
        // A JWE fails as a JWS; only then is it named as what it is.
        auto t = validate_signed(token, keys, v, now);
        if (!t)
            OBAUTH_TRY_VOID(refuse_unexpected_jwe(token));
        return t;
    }
    OBAUTH_TRY(const jwe::decrypted_jwe d,
               decrypt_nested_response(token, *v.decryption, v.max_token_size));
    return validate_signed(d.plaintext().expose_secret().as_chars(), keys, v, now);
}
} // namespace detail

/// Validates an ID token against the issuer's key set.
inline result<verified_id_token> validate_id_token(std::string_view token, const jose::jwks& keys,
                                                   const id_token_validation& v, time_point now) {
    return detail::validate_with(token, keys, v, now);
}

/// The same with one key (a pinned key, or an HMAC client secret for the
/// HS* algorithms when the caller allows them).
inline result<verified_id_token> validate_id_token(std::string_view token, const jose::jwk& key,
                                                   const id_token_validation& v, time_point now) {
    return detail::validate_with(token, key, v, now);
}

} // namespace obauth::oidc
