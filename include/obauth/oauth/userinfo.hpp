// The UserInfo endpoint (OpenID Connect Core §5.3): a GET with the access
// token (RFC 6750 §2.1 Authorization header; over mTLS to the alias when
// the token is certificate-bound), and the response as a JSON object or a
// signed JWT (application/jwt: iss and aud checked). `sub` must equal the
// ID token's (§5.3.2), which stops token substitution.
#pragma once

#include "client.hpp"
#include "detail/signed_response.hpp"
#include "endpoint_response.hpp"

#include "../core/ascii.hpp"
#include "../core/json.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"

#include <string>
#include <string_view>

namespace obauth::oauth {

inline result<http::http_request> make_userinfo_request(const client& c,
                                                        const secret& access_token) {
    if (access_token.empty())
        return make_error(errc::invalid_options, "empty access token");
    if (!is_vschar_text(access_token.expose_secret_chars()))
        return make_error(errc::invalid_options, "the access token has characters outside %x20-7E");
    OBAUTH_TRY(boost::urls::url url, endpoint_url(c, oidc::endpoint::userinfo));
    http::http_request req;
    req.method = http::http_method::get;
    req.url = std::move(url);
    req.use_client_certificate = c.uses_client_certificate();
    req.headers.push_back(
        {"Authorization", http::authorization_value("Bearer", access_token.expose_secret_chars())});
    req.headers.push_back({"Accept", "application/json, application/jwt"});
    return req;
}

struct userinfo_options {
    std::string expected_sub; ///< the ID token's sub (required)
    /// For signed responses: the issuer's keys, iss and the client_id (aud).
    const jose::jwks* issuer_keys = nullptr;
    jose::algorithm_set algorithms = jose::fapi_algorithms;
    std::string issuer;
    std::string client_id;
    std::size_t max_bytes = 64 * 1024;
};

/// The claims. A signed response is accepted only with issuer_keys set; a
/// plain one only without (a client that expects signatures gets them).
inline result<json> process_userinfo_response(const http::http_response& r, time_point now,
                                              const userinfo_options& opt) {
    if (opt.expected_sub.empty())
        return make_error(errc::invalid_options, "expected_sub is required");
    json claims;
    if (opt.issuer_keys == nullptr) {
        OBAUTH_TRY(claims, parse_json_success(r, {200}, opt.max_bytes, now));
    } else {
        detail::signed_response_check c(opt.issuer_keys, opt.algorithms, opt.issuer, opt.client_id,
                                        opt.max_bytes);
        OBAUTH_TRY(const jose::verified_jwt jwt,
                   detail::verify_signed_body(r, "application/jwt", c, "signed UserInfo", now));
        claims = jwt.claims();
    }
    auto sub = get_string(claims, "sub");
    if (!sub)
        return make_error(errc::invalid_response, "no sub");
    if (*sub != opt.expected_sub)
        return make_error(errc::invalid_response, "sub differs from the ID token's");
    return claims;
}

} // namespace obauth::oauth
