// Token introspection (RFC 7662), as plain JSON or as a signed JWT
// (RFC 9701, application/token-introspection+jwt), signed then encrypted
// when the client registered introspection encryption. The result is typed;
// `active` must be a boolean; an active token whose exp has passed is
// reported inactive by active_at(). For certificate-bound tokens,
// check_certificate_binding(result.claims, thumbprint) compares cnf.
#pragma once

#include "client.hpp"
#include "detail/signed_response.hpp"
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
    OBAUTH_TRY(http::http_request req,
               make_token_operation_request(c, oidc::endpoint::introspection, token,
                                            token_type_hint, now, rng));
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
    /// RFC 9701 §6, registered encrypted (client.encryption.decryption(
    /// encrypted_response::introspection)): signed, then encrypted; needs
    /// issuer_keys.
    std::optional<oidc::response_decryption> decryption;
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
        if (const auto* one = aud->get_ptr<const json::string_t*>()) {
            r.aud.push_back(*one);
        } else if (aud->is_array()) {
            for (const json& a : *aud) {
                const auto* s = a.get_ptr<const json::string_t*>();
                if (s == nullptr)
                    return make_error(errc::invalid_response, "'aud' has a non-string member");
                r.aud.push_back(*s);
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
    if (opt.issuer_keys == nullptr && opt.decryption)
        return make_error(errc::invalid_options,
                          "an encrypted introspection response is signed: issuer_keys needed");
    if (opt.issuer_keys == nullptr) {
        OBAUTH_TRY(const json doc, parse_json_success(r, {200}, opt.max_bytes, now));
        return detail::introspection_fields(doc);
    }
    detail::signed_response_check c(opt.issuer_keys, opt.algorithms, opt.issuer, opt.client_id,
                                    opt.max_bytes);
    c.require_iat = true;
    c.typ = "token-introspection+jwt";
    c.decryption = opt.decryption;
    OBAUTH_TRY(const jose::verified_jwt jwt,
               detail::verify_signed_body(r, "application/token-introspection+jwt", c,
                                          "introspection JWT", now));
    const json* ti = find_member(jwt.claims(), "token_introspection");
    if (ti == nullptr || !ti->is_object())
        return make_error(errc::invalid_response, "no token_introspection object");
    return detail::introspection_fields(*ti);
}

} // namespace obauth::oauth
