// Responses the authorization server signs for this client — JARM
// authorization responses, RFC 9701 introspection responses, signed
// UserInfo — are all checked the same way: the issuer's keys under the
// pinned algorithms, iss = the issuer, aud contains the client_id; the
// caller adds its own claim rules (exp, iat, typ). A response registered
// encrypted is decrypted first (a nested JWT), and refused unencrypted.
#pragma once

#include "../endpoint_response.hpp"
#include "../error.hpp"

#include "../../core/clock.hpp"
#include "../../http/http_response.hpp"
#include "../../jose/jwks.hpp"
#include "../../jose/jwt.hpp"
#include "../../jwe/jwe.hpp"
#include "../../oidc/response_encryption.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::oauth::detail {

struct signed_response_check {
    signed_response_check(const jose::jwks* k, jose::algorithm_set algs, std::string_view iss,
                          std::string_view aud, std::size_t max) noexcept
        : keys(k), algorithms(algs), issuer(iss), client_id(aud), max_bytes(max) {}

    const jose::jwks* keys;
    jose::algorithm_set algorithms;
    std::string_view issuer;
    std::string_view client_id;
    std::size_t max_bytes;
    bool require_exp = false;
    bool require_iat = false;
    std::optional<std::string> typ;
    std::optional<std::chrono::seconds> max_lifetime;
    /// Registered encrypted: how to decrypt it.
    std::optional<oidc::response_decryption> decryption;
};

/// The response as the client registered it: decrypted when registered
/// encrypted (the JWE's plaintext kept in `opened`), else as it came.
inline result<std::string_view>
registered_form(std::string_view token, const std::optional<oidc::response_decryption>& d,
                std::size_t max_bytes, std::optional<jwe::decrypted_jwe>& opened, bool nested) {
    if (!d)
        return token;
    OBAUTH_TRY(opened, nested ? oidc::decrypt_nested_response(token, *d, max_bytes)
                              : oidc::decrypt_response(token, *d, max_bytes));
    return opened->plaintext().expose_secret().as_chars();
}

/// Verifies `token`; a failure is `failure`, its detail `what` and why.
inline result<jose::verified_jwt> verify_signed_response(std::string_view token,
                                                         const signed_response_check& c,
                                                         errc failure, const char* what,
                                                         time_point now) {
    jose::jws_verify_options vo;
    vo.algorithms = c.algorithms;
    vo.max_token_size = c.max_bytes;
    jose::jwt_validation p;
    p.issuer = std::string(c.issuer);
    p.audiences = {std::string(c.client_id)};
    p.require_exp = c.require_exp;
    p.require_iat = c.require_iat;
    p.typ = c.typ;
    p.max_lifetime = c.max_lifetime;
    std::optional<jwe::decrypted_jwe> opened;
    auto jws = registered_form(token, c.decryption, c.max_bytes, opened, true);
    if (!jws)
        return make_error(failure, std::string(what) + ": " + jws.error().to_string());
    auto jwt = jose::verify_jwt(*jws, *c.keys, vo, p, now);
    if (!jwt) {
        // A JWE fails as a JWS; only then is it named as what it is.
        const auto plain = c.decryption ? result<void>() : oidc::refuse_unexpected_jwe(token);
        if (!plain)
            return make_error(failure, std::string(what) + ": " + plain.error().to_string());
        return make_error(failure,
                          std::string(what) + " does not verify: " + jwt.error().to_string());
    }
    return jwt;
}

/// A JWT response's body: status 200 (else the server's error), the size
/// limit, `media_type`.
inline result<void> check_jwt_body(const http::http_response& r, std::string_view media_type,
                                   std::size_t max_bytes, time_point now) {
    if (r.status != 200)
        return parse_endpoint_error(r, now).to_error_info();
    OBAUTH_TRY_VOID(check_body_size(r, max_bytes));
    return check_media_type(r, {media_type});
}

/// The same for a whole response: the body checked, then the JWT in it.
inline result<jose::verified_jwt> verify_signed_body(const http::http_response& r,
                                                     std::string_view media_type,
                                                     const signed_response_check& c,
                                                     const char* what, time_point now) {
    OBAUTH_TRY_VOID(check_jwt_body(r, media_type, c.max_bytes, now));
    return verify_signed_response(r.body, c, errc::invalid_response, what, now);
}

} // namespace obauth::oauth::detail
