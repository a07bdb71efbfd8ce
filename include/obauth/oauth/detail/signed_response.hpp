// Responses the authorization server signs for this client — JARM
// authorization responses, RFC 9701 introspection responses, signed
// UserInfo — are all checked the same way: the issuer's keys under the
// pinned algorithms, iss = the issuer, aud contains the client_id; the
// caller adds its own claim rules (exp, iat, typ).
#pragma once

#include "../endpoint_response.hpp"
#include "../error.hpp"

#include "../../core/clock.hpp"
#include "../../http/http_response.hpp"
#include "../../jose/jwks.hpp"
#include "../../jose/jwt.hpp"

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
};

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
    auto jwt = jose::verify_jwt(token, *c.keys, vo, p, now);
    if (!jwt)
        return make_error(failure,
                          std::string(what) + " does not verify: " + jwt.error().to_string());
    return jwt;
}

/// The same for a whole response: status 200 (else the server's error),
/// the size limit, `media_type`, then the JWT in the body.
inline result<jose::verified_jwt> verify_signed_body(const http::http_response& r,
                                                     std::string_view media_type,
                                                     const signed_response_check& c,
                                                     const char* what, time_point now) {
    if (r.status != 200)
        return parse_endpoint_error(r, now).to_error_info();
    OBAUTH_TRY_VOID(check_body_size(r, c.max_bytes));
    OBAUTH_TRY_VOID(check_media_type(r, {media_type}));
    return verify_signed_response(r.body, c, errc::invalid_response, what, now);
}

} // namespace obauth::oauth::detail
