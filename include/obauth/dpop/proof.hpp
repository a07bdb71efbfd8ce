// Making DPoP proofs (RFC 9449 §4): a JWT with typ dpop+jwt, signed with
// the client's private key, whose public half travels in the header (only
// the key's public members: never a private one, never metadata).
//
// Claims: jti (128 bits from the injected random generator), htm, htu (the
// target URI without query and fragment, normalised), iat, and for
// resource requests ath (the base64url SHA-256 of the access token) and the
// server's nonce when it gave one.
#pragma once

#include "error.hpp"
#include "htu.hpp"

#include "../core/base64url.hpp"
#include "../core/clock.hpp"
#include "../core/digest.hpp"
#include "../core/json.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwt.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace obauth::dpop {

/// What a proof is for.
struct proof_target {
    std::string_view method; ///< the HTTP method, e.g. "POST"
    std::string_view url;    ///< the request URL (query and fragment are dropped)
    /// The access token the request carries (resource requests): adds ath.
    std::optional<std::string_view> access_token;
    /// The latest DPoP-Nonce the server gave.
    std::optional<std::string_view> nonce;
};

/// The algorithms a proof may be signed with: asymmetric only.
inline bool is_proof_algorithm(jose::algorithm a) noexcept {
    return jose::info(a).family != jose::algorithm_family::hmac;
}

/// The ath claim of `access_token`: base64url(SHA-256(token)).
inline std::string access_token_hash(std::string_view access_token) {
    const auto h = sha256(bytes_view(access_token));
    return base64url_encode(bytes_view(h.data(), h.size()));
}

/// The public JWK a proof carries: the key's RFC 7638 members only.
inline json proof_jwk(const jose::jwk& key) {
    const json full = key.to_public_json();
    json out(json::value_t::object);
    for (const char* m : {"crv", "e", "kty", "n", "x", "y"})
        if (const json* v = find_member(full, m))
            out[m] = *v;
    return out;
}

/// A proof for `target`, signed with `key` (a private EC, RSA or OKP key;
/// with `alg`, or the key's own algorithm).
inline result<std::string> make_proof(const jose::jwk& key, const proof_target& target,
                                      time_point now, random_generator& rng = default_random(),
                                      std::optional<jose::algorithm> alg = {}) {
    if (!key.has_private() || key.type() == jose::key_type::oct)
        return make_error(errc::invalid_options, "a DPoP proof needs a private asymmetric key");
    if (target.method.empty())
        return make_error(errc::invalid_options, "no method");
    if (!alg) {
        OBAUTH_TRY(alg, key.default_algorithm());
    }
    if (!is_proof_algorithm(*alg))
        return make_error(errc::algorithm_not_allowed, "DPoP proofs are signed asymmetrically");
    auto htu = normalized_htu(target.url);
    if (!htu)
        return make_error(errc::invalid_options, "the target is not an http(s) URL");
    OBAUTH_TRY(std::string jti, random_base64url(16, rng));

    json claims(json::value_t::object);
    claims["jti"] = std::move(jti);
    claims["htm"] = std::string(target.method);
    claims["htu"] = std::move(*htu);
    claims["iat"] = to_unix_seconds(now);
    if (target.access_token)
        claims["ath"] = access_token_hash(*target.access_token);
    if (target.nonce)
        claims["nonce"] = std::string(*target.nonce);

    jose::jws_sign_options so;
    so.alg = alg;
    so.typ = "dpop+jwt";
    so.include_kid = false;
    so.extra_header = json(json::value_t::object);
    so.extra_header["jwk"] = proof_jwk(key);
    return jose::sign_jwt(claims, key, so);
}

} // namespace obauth::dpop
