// Nested JWTs (RFC 7519 §5.2 and §11.2): signed, then encrypted -- how banks
// encrypt ID tokens, userinfo and JARM responses, and how clients encrypt
// request objects. The JWE says "cty": "JWT"; its plaintext is a compact
// JWS verified with the JWS policy (pinned algorithms, the signer's keys,
// the claim rules). A JWE that carries anything else is refused.
//
// The decrypted JWS is copied into the verified_jwt that jose returns (its
// own buffer, not wiped); the JWE plaintext itself is wiped.
#pragma once

#include "error.hpp"
#include "jwe.hpp"

#include "../core/ascii.hpp"
#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jws_sign_options.hpp"
#include "../jose/jwt.hpp"

#include <string>
#include <string_view>

namespace obauth::jwe {

/// RFC 7519 §5.2: a nested JWT's "cty" is "JWT" (media types compare
/// case-insensitively, "application/" may be omitted). For callers that
/// decrypt themselves and verify the JWS inside their own way.
inline result<void> check_nested_jwt(const decrypted_jwe& d) {
    const json* cty = find_member(d.header(), "cty");
    const auto* text = cty != nullptr ? cty->get_ptr<const json::string_t*>() : nullptr;
    if (text == nullptr || !same_media_type(*text, "JWT"))
        return make_error(errc::invalid_header, "cty is not JWT: not a nested JWT");
    return {};
}

namespace detail {

template <class DecryptionKeys>
result<jose::verified_jwt> open_nested(std::string_view token, const DecryptionKeys& keys,
                                       const decrypt_options& dopt, const jose::jwks& signers,
                                       const jose::jws_verify_options& vopt,
                                       const jose::jwt_validation& policy, time_point now) {
    OBAUTH_TRY(const decrypted_jwe d, decrypt_compact(token, keys, dopt));
    OBAUTH_TRY_VOID(check_nested_jwt(d));
    return jose::verify_jwt(d.plaintext().expose_secret().as_chars(), signers, vopt, policy, now);
}

} // namespace detail

/// Decrypts `token` with our key, then verifies the JWT inside with the
/// signer's keys under `vopt` and `policy`. Errors are jwe::errc (the
/// encryption) or jose::errc (the signature and claims).
inline result<jose::verified_jwt>
decrypt_and_verify_jwt(std::string_view token, const jose::jwk& decryption_key,
                       const decrypt_options& dopt, const jose::jwks& signers,
                       const jose::jws_verify_options& vopt, const jose::jwt_validation& policy,
                       time_point now) {
    return detail::open_nested(token, decryption_key, dopt, signers, vopt, policy, now);
}

/// The same with the key of our set that the JWE's kid names.
inline result<jose::verified_jwt>
decrypt_and_verify_jwt(std::string_view token, const jose::jwks& decryption_keys,
                       const decrypt_options& dopt, const jose::jwks& signers,
                       const jose::jws_verify_options& vopt, const jose::jwt_validation& policy,
                       time_point now) {
    return detail::open_nested(token, decryption_keys, dopt, signers, vopt, policy, now);
}

/// Signs `claims` with `signing_key` (as jose::sign_jwt does), then encrypts
/// the JWS to `recipient` with "cty": "JWT".
inline result<std::string> sign_and_encrypt_jwt(const json& claims, const jose::jwk& signing_key,
                                                const jose::jws_sign_options& sopt,
                                                const jose::jwk& recipient, encrypt_options eopt) {
    auto jws = jose::sign_jwt(claims, signing_key, sopt);
    if (!jws)
        return std::move(jws).error();
    secret inner = secret::take(*jws);
    eopt.cty = "JWT";
    return encrypt_compact(inner.expose_secret(), recipient, eopt);
}

} // namespace obauth::jwe
