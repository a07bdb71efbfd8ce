// The UserInfo endpoint (OpenID Connect Core §5.3): a GET with the access
// token (RFC 6750 §2.1 Authorization header; over mTLS to the alias when
// the token is certificate-bound), and the response as a JSON object or a
// signed JWT (application/jwt: iss and aud checked), encrypted when the
// client registered userinfo encryption (§5.3.2: signed then encrypted, or
// only encrypted: then the JWE's plaintext is the claims, and iss and aud,
// when present, are checked too). `sub` must equal the ID token's
// (§5.3.2), which stops token substitution.
#pragma once

#include "client.hpp"
#include "detail/signed_response.hpp"
#include "endpoint_response.hpp"

#include "../core/ascii.hpp"
#include "../core/json.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"

#include <algorithm>
#include <optional>
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
    /// Registered encrypted (client.encryption.decryption(
    /// encrypted_response::userinfo)): decrypted first, refused plain.
    std::optional<oidc::response_decryption> decryption;
};

namespace detail {
/// An encrypted, unsigned answer: the claims are the JWE's plaintext.
inline result<json> encrypted_userinfo_claims(const http::http_response& r, time_point now,
                                              const userinfo_options& opt) {
    OBAUTH_TRY_VOID(check_jwt_body(r, "application/jwt", opt.max_bytes, now));
    std::optional<jwe::decrypted_jwe> opened;
    auto text = registered_form(r.body, opt.decryption, opt.max_bytes, opened, false);
    if (!text)
        return make_error(errc::invalid_response,
                          "encrypted UserInfo: " + text.error().to_string());
    auto claims = parse_json_object(*text, json_limits{opt.max_bytes, 16});
    if (!claims)
        return make_error(errc::invalid_response,
                          "encrypted UserInfo: " + claims.error().to_string());
    auto iss = get_optional_string(*claims, "iss");
    if (!iss || (*iss && **iss != opt.issuer))
        return make_error(errc::invalid_response, "encrypted UserInfo: iss is not the issuer");
    if (const json* aud = find_member(*claims, "aud")) {
        const auto* one = aud->get_ptr<const json::string_t*>();
        const bool ours = one != nullptr
                              ? *one == opt.client_id
                              : aud->is_array() && std::find(aud->begin(), aud->end(),
                                                             json(opt.client_id)) != aud->end();
        if (!ours)
            return make_error(errc::invalid_response,
                              "encrypted UserInfo: aud does not contain the client_id");
    }
    return std::move(*claims);
}
} // namespace detail

/// The claims. A signed response is accepted only with issuer_keys set; a
/// plain one only without (a client that expects signatures gets them); an
/// encrypted one only with decryption set, and then only encrypted.
inline result<json> process_userinfo_response(const http::http_response& r, time_point now,
                                              const userinfo_options& opt) {
    if (opt.expected_sub.empty())
        return make_error(errc::invalid_options, "expected_sub is required");
    json claims;
    if (opt.issuer_keys == nullptr && opt.decryption) {
        OBAUTH_TRY(claims, detail::encrypted_userinfo_claims(r, now, opt));
    } else if (opt.issuer_keys == nullptr) {
        OBAUTH_TRY(claims, parse_json_success(r, {200}, opt.max_bytes, now));
    } else {
        detail::signed_response_check c(opt.issuer_keys, opt.algorithms, opt.issuer, opt.client_id,
                                        opt.max_bytes);
        c.decryption = opt.decryption;
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
