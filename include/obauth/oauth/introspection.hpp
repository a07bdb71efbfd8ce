// Token introspection (RFC 7662), as plain JSON or as a signed JWT
// (RFC 9701, application/token-introspection+jwt). The result is typed;
// `active` must be a boolean; an active token whose exp has passed is
// reported inactive by active_at(). For certificate-bound tokens,
// check_certificate_binding(result.claims, thumbprint) compares cnf.
#pragma once

#include "client.hpp"
#include "endpoint_response.hpp"

#include "../core/json.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::oauth {

/// RFC 7662 §2.1; `jwt_response` asks for the RFC 9701 signed form.
inline result<http::http_request>
make_introspection_request(const client& c, const secret& token, std::string_view token_type_hint,
                           time_point now, bool jwt_response = false,
                           random_generator& rng = default_random()) {
    if (token.empty())
        return make_error(errc::invalid_options, "empty token");
    http::form_body body;
    body.add("token", token.expose_secret_chars());
    if (!token_type_hint.empty())
        body.add("token_type_hint", token_type_hint);
    OBAUTH_TRY(http::http_request req,
               make_endpoint_request(c, oidc::endpoint::introspection, std::move(body), now, rng));
    if (jwt_response)
        http::set_header(req.headers, "Accept", "application/token-introspection+jwt");
    return req;
}

struct introspection_result {
    bool active = false;
    std::vector<std::string> scope;
    std::string client_id, username, token_type, sub, iss, jti;
    std::vector<std::string> aud;
    std::optional<std::int64_t> exp, iat, nbf;
    json claims; ///< every member, e.g. cnf

    /// Active, and not past exp at `now`.
    bool active_at(time_point now) const noexcept {
        return active && (!exp || to_unix_seconds(now) < *exp);
    }
};

struct introspection_options {
    /// RFC 9701: expect a signed response, verified with these keys.
    const jose::jwks* issuer_keys = nullptr;
    jose::algorithm_set algorithms = jose::fapi_algorithms;
    std::string issuer;    ///< the JWT's iss
    std::string client_id; ///< the JWT's aud
    std::size_t max_bytes = 64 * 1024;
};

namespace detail {
inline result<introspection_result> introspection_fields(const json& doc) {
    introspection_result r;
    auto active = get_bool(doc, "active");
    if (!active)
        return make_error(errc::invalid_response, "'active' missing or not a boolean");
    r.active = *active;
    for (auto [name, out] : {std::pair<const char*, std::string*>{"client_id", &r.client_id},
                             {"username", &r.username},
                             {"token_type", &r.token_type},
                             {"sub", &r.sub},
                             {"iss", &r.iss},
                             {"jti", &r.jti}}) {
        OBAUTH_TRY(auto v, optional_string(doc, name));
        if (v)
            *out = std::move(*v);
    }
    OBAUTH_TRY(auto scope, optional_string(doc, "scope"));
    if (scope)
        r.scope = split_scope(*scope);
    for (auto [name, out] : {std::pair<const char*, std::optional<std::int64_t>*>{"exp", &r.exp},
                             {"iat", &r.iat},
                             {"nbf", &r.nbf}}) {
        auto v = get_optional_int64(doc, name);
        if (!v)
            return make_error(errc::invalid_response, v.error().detail);
        *out = *v;
    }
    if (const json* aud = find_member(doc, "aud")) {
        if (aud->is_string()) {
            r.aud.push_back(aud->get<std::string>());
        } else if (aud->is_array()) {
            for (const json& a : *aud) {
                if (!a.is_string())
                    return make_error(errc::invalid_response, "'aud' has a non-string member");
                r.aud.push_back(a.get<std::string>());
            }
        } else {
            return make_error(errc::invalid_response, "'aud' is not a string or array");
        }
    }
    r.claims = doc;
    return r;
}
} // namespace detail

inline result<introspection_result>
process_introspection_response(const http::http_response& r, time_point now,
                               const introspection_options& opt = {}) {
    if (opt.issuer_keys == nullptr) {
        OBAUTH_TRY(const json doc, parse_json_success(r, {200}, opt.max_bytes, now));
        return detail::introspection_fields(doc);
    }
    if (r.status != 200)
        return parse_endpoint_error(r, now).to_error_info();
    OBAUTH_TRY_VOID(check_body_size(r, opt.max_bytes));
    OBAUTH_TRY_VOID(check_media_type(r, {"application/token-introspection+jwt"}));
    jose::jws_verify_options vo;
    vo.algorithms = opt.algorithms;
    vo.max_token_size = opt.max_bytes;
    jose::jwt_validation p;
    p.issuer = opt.issuer;
    p.audiences = {opt.client_id};
    p.require_exp = false;
    p.require_iat = true;
    p.typ = "token-introspection+jwt";
    auto jwt = jose::verify_jwt(r.body, *opt.issuer_keys, vo, p, now);
    if (!jwt)
        return make_error(errc::invalid_response,
                          "introspection JWT does not verify: " + jwt.error().to_string());
    const json* ti = find_member(jwt->claims(), "token_introspection");
    if (ti == nullptr || !ti->is_object())
        return make_error(errc::invalid_response, "no token_introspection object");
    return detail::introspection_fields(*ti);
}

} // namespace obauth::oauth
