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

/// A private key ready to sign proofs: checked, its algorithm chosen and
/// the public JWK the header carries computed once, not on every proof
/// (exporting an EC public key costs about as much
/// as the signature, and a client signs a proof per request). Cheap to
/// copy: the key handle is shared.
class proof_signer {
public:
    /// `key`: a private EC, RSA or OKP key; `alg`, or the key's own.
    static result<proof_signer> create(jose::jwk key, std::optional<jose::algorithm> alg = {}) {
        if (!key.has_private() || key.type() == jose::key_type::oct)
            return make_error(errc::invalid_options, "a DPoP proof needs a private asymmetric key");
        if (!alg) {
            OBAUTH_TRY(alg, key.default_algorithm());
        }
        if (!is_proof_algorithm(*alg))
            return make_error(errc::algorithm_not_allowed, "DPoP proofs are signed asymmetrically");
        json header_jwk = proof_jwk(key);
        return proof_signer(std::move(key), *alg, std::move(header_jwk));
    }

    const jose::jwk& key() const noexcept { return key_; }
    jose::algorithm algorithm() const noexcept { return alg_; }

    /// A proof for `target` at `now`.
    result<std::string> sign(const proof_target& target, time_point now,
                             random_generator& rng = default_random()) const {
        if (target.method.empty())
            return make_error(errc::invalid_options, "no method");
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
        so.alg = alg_;
        so.typ = "dpop+jwt";
        so.include_kid = false;
        so.extra_header = json(json::value_t::object);
        so.extra_header["jwk"] = header_jwk_;
        return jose::sign_jwt(claims, key_, so);
    }

private:
    proof_signer(jose::jwk key, jose::algorithm alg, json header_jwk)
        : key_(std::move(key)), alg_(alg), header_jwk_(std::move(header_jwk)) {}

    jose::jwk key_;
    jose::algorithm alg_;
    json header_jwk_;
};

/// A proof for `target`, signed with `key` (a private EC, RSA or OKP key;
/// with `alg`, or the key's own algorithm). Signing many proofs with one
/// key: keep a proof_signer.
inline result<std::string> make_proof(const jose::jwk& key, const proof_target& target,
                                      time_point now, random_generator& rng = default_random(),
                                      std::optional<jose::algorithm> alg = {}) {
    OBAUTH_TRY(const proof_signer signer, proof_signer::create(key, alg));
    return signer.sign(target, now, rng);
}

} // namespace obauth::dpop
