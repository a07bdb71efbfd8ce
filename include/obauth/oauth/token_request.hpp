// Token endpoint requests (RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6, §4.5):
// authorization_code with the PKCE verifier (RFC 7636 §4.5), refresh_token,
// client_credentials, password, and any extension grant (token exchange,
// JWT bearer, CIBA, ...). Every grant may carry RFC 8707 `resource`
// indicators and RFC 9396 `authorization_details`. Client authentication
// is the client's, applied by make_endpoint_request.
#pragma once

#include "client.hpp"
#include "endpoint_response.hpp"

#include "../core/json.hpp"
#include "../core/secret.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace obauth::oauth {

/// Parameters any grant may add.
struct token_request_options {
    std::vector<std::string> resources; ///< RFC 8707 §2: one `resource` each
    json authorization_details;         ///< RFC 9396 §6: a JSON array, or null
    /// Further parameters, appended in order.
    std::vector<std::pair<std::string, std::string>> extra;
};

struct authorization_code_grant {
    secret code;
    std::string redirect_uri;       ///< as sent in the authorization request
    std::optional<secret> verifier; ///< the PKCE code_verifier
};
struct refresh_token_grant {
    secret refresh_token;
    std::vector<std::string> scope; ///< empty: the scope originally granted
};
struct client_credentials_grant {
    std::vector<std::string> scope;
};
struct password_grant {
    std::string username;
    secret password;
    std::vector<std::string> scope;
};
struct extension_grant {
    std::string
        grant_type; ///< an absolute URI, e.g. urn:ietf:params:oauth:grant-type:token-exchange
    std::vector<std::pair<std::string, std::string>> parameters;
};

namespace detail {
inline result<http::http_request> token_request(const client& c, http::form_body body,
                                                const token_request_options& opt, time_point now,
                                                random_generator& rng) {
    for (const auto& r : opt.resources) {
        // RFC 8707 §2: an absolute URI without a fragment.
        auto u = boost::urls::parse_absolute_uri(r);
        if (!u)
            return make_error(errc::invalid_options, "resource is not an absolute URI");
        body.add("resource", r);
    }
    if (!opt.authorization_details.is_null()) {
        if (!opt.authorization_details.is_array())
            return make_error(errc::invalid_options, "authorization_details is not an array");
        OBAUTH_TRY(const std::string ad, serialize_json(opt.authorization_details));
        body.add("authorization_details", ad);
    }
    for (const auto& [name, value] : opt.extra)
        body.add(name, value);
    return make_endpoint_request(c, oidc::endpoint::token, std::move(body), now, rng);
}
inline void add_scope(http::form_body& body, const std::vector<std::string>& scope) {
    if (!scope.empty())
        body.add("scope", join_scope(scope));
}
} // namespace detail

inline result<http::http_request> make_token_request(const client& c,
                                                     const authorization_code_grant& g,
                                                     time_point now,
                                                     const token_request_options& opt = {},
                                                     random_generator& rng = default_random()) {
    if (g.code.empty())
        return make_error(errc::invalid_options, "empty authorization code");
    http::form_body body;
    body.add("grant_type", "authorization_code");
    body.add("code", g.code.expose_secret_chars());
    if (!g.redirect_uri.empty())
        body.add("redirect_uri", g.redirect_uri);
    if (g.verifier)
        body.add("code_verifier", g.verifier->expose_secret_chars());
    return detail::token_request(c, std::move(body), opt, now, rng);
}

inline result<http::http_request> make_token_request(const client& c, const refresh_token_grant& g,
                                                     time_point now,
                                                     const token_request_options& opt = {},
                                                     random_generator& rng = default_random()) {
    if (g.refresh_token.empty())
        return make_error(errc::invalid_options, "empty refresh token");
    http::form_body body;
    body.add("grant_type", "refresh_token");
    body.add("refresh_token", g.refresh_token.expose_secret_chars());
    detail::add_scope(body, g.scope);
    return detail::token_request(c, std::move(body), opt, now, rng);
}

inline result<http::http_request> make_token_request(const client& c,
                                                     const client_credentials_grant& g,
                                                     time_point now,
                                                     const token_request_options& opt = {},
                                                     random_generator& rng = default_random()) {
    if (c.auth.method() == auth_method::none)
        return make_error(errc::invalid_options,
                          "client_credentials needs an authenticated client");
    http::form_body body;
    body.add("grant_type", "client_credentials");
    detail::add_scope(body, g.scope);
    return detail::token_request(c, std::move(body), opt, now, rng);
}

inline result<http::http_request> make_token_request(const client& c, const password_grant& g,
                                                     time_point now,
                                                     const token_request_options& opt = {},
                                                     random_generator& rng = default_random()) {
    if (g.username.empty())
        return make_error(errc::invalid_options, "empty username");
    http::form_body body;
    body.add("grant_type", "password");
    body.add("username", g.username);
    body.add("password", g.password.expose_secret_chars());
    detail::add_scope(body, g.scope);
    return detail::token_request(c, std::move(body), opt, now, rng);
}

inline result<http::http_request> make_token_request(const client& c, const extension_grant& g,
                                                     time_point now,
                                                     const token_request_options& opt = {},
                                                     random_generator& rng = default_random()) {
    if (!boost::urls::parse_absolute_uri(g.grant_type))
        return make_error(errc::invalid_options, "an extension grant_type is an absolute URI");
    http::form_body body;
    body.add("grant_type", g.grant_type);
    for (const auto& [name, value] : g.parameters)
        body.add(name, value);
    return detail::token_request(c, std::move(body), opt, now, rng);
}

} // namespace obauth::oauth
