// The front-channel authorization request (RFC 6749 §4.1.1, OpenID Connect
// Core §3.1.2.1, RFC 7636 §4.3) in its three forms: plain query
// parameters; a signed request object by value (RFC 9101 `request`, with
// the FAPI 1.0 Advanced §5.2.2 claims iss, aud = issuer, nbf, exp at most
// 60 minutes after nbf, jti; encrypted to the server when the client
// registered it so); or a `request_uri` from a pushed
// authorization request (RFC 9126, see par.hpp).
#pragma once

#include "client.hpp"
#include "endpoint_response.hpp"
#include "error.hpp"

#include "../core/json.hpp"
#include "../core/random.hpp"
#include "../jose/jws_sign_options.hpp"
#include "../jose/jwt.hpp"
#include "../jwe/jwe.hpp"
#include "../jwe/nested.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oauth {

struct authorization_request {
    std::string response_type = "code"; ///< or "code id_token" (hybrid)
    std::string redirect_uri;
    std::vector<std::string> scope;
    std::string state;
    std::string nonce;
    std::string code_challenge;
    std::string code_challenge_method = "S256";
    std::string response_mode; ///< empty (the default), "jwt", "query.jwt", "fragment", ...
    std::vector<std::string> resources;
    json authorization_details; ///< RFC 9396: a JSON array, or null
    std::optional<std::chrono::seconds> max_age;
    std::vector<std::string> acr_values;
    std::string prompt;
    std::string login_hint;
    json claims; ///< OpenID Connect Core §5.5: an object, or null
    /// Further parameters (strings), appended in order.
    std::vector<std::pair<std::string, std::string>> extra;
};

using parameter_list = std::vector<std::pair<std::string, std::string>>;

/// The request as parameters, client_id first, empty ones left out.
inline result<parameter_list> authorization_parameters(const client& c,
                                                       const authorization_request& r) {
    if (r.response_type.empty() || r.redirect_uri.empty())
        return make_error(errc::invalid_options, "response_type and redirect_uri are required");
    parameter_list p;
    auto put = [&p](const char* name, const std::string& value) {
        if (!value.empty())
            p.emplace_back(name, value);
    };
    put("client_id", c.auth.client_id());
    put("response_type", r.response_type);
    put("redirect_uri", r.redirect_uri);
    put("scope", detail::join_scope(r.scope));
    put("state", r.state);
    put("nonce", r.nonce);
    if (!r.code_challenge.empty()) {
        if (r.code_challenge_method != "S256")
            return make_error(errc::invalid_options, "only the S256 code challenge is supported");
        put("code_challenge", r.code_challenge);
        put("code_challenge_method", r.code_challenge_method);
    }
    put("response_mode", r.response_mode);
    for (const auto& res : r.resources) {
        if (!boost::urls::parse_absolute_uri(res))
            return make_error(errc::invalid_options, "resource is not an absolute URI");
        put("resource", res);
    }
    if (!r.authorization_details.is_null()) {
        if (!r.authorization_details.is_array())
            return make_error(errc::invalid_options, "authorization_details is not an array");
        OBAUTH_TRY(std::string ad, serialize_json(r.authorization_details));
        put("authorization_details", ad);
    }
    if (r.max_age)
        put("max_age", std::to_string(r.max_age->count()));
    put("acr_values", detail::join_scope(r.acr_values));
    put("prompt", r.prompt);
    put("login_hint", r.login_hint);
    if (!r.claims.is_null()) {
        if (!r.claims.is_object())
            return make_error(errc::invalid_options, "claims is not an object");
        OBAUTH_TRY(std::string cl, serialize_json(r.claims));
        put("claims", cl);
    }
    for (const auto& [name, value] : r.extra)
        put(name.c_str(), value);
    return p;
}

struct request_object_options {
    /// nbf to exp; FAPI 1.0 Advanced allows at most 60 minutes.
    std::chrono::seconds lifetime{300};
    /// Signing algorithm; the key's own when not given.
    std::optional<jose::algorithm> alg;
    /// RFC 9101 §10.8 explicit typing; empty for servers that refuse it.
    std::string typ = "oauth-authz-req+jwt";
    /// The server's keys, when the client registered request object
    /// encryption: the object is encrypted to the first key marked for
    /// encryption that fits the registered alg (jwe::select_recipient).
    const jose::jwks* server_keys = nullptr;
};

/// A signed request object (RFC 9101 §4, FAPI 1.0 Advanced §5.2.2-10/13/17):
/// every parameter as a claim (max_age a number, claims and
/// authorization_details as JSON), iss = client_id, aud = the issuer, iat,
/// nbf, exp and a random jti. When the client registered request object
/// encryption (client_encryption::request_object), the signed object is then
/// encrypted to the server (a nested JWT, RFC 9101 §4; "cty": "JWT").
inline result<std::string> make_request_object(const client& c, const authorization_request& r,
                                               const jose::jwk& key, time_point now,
                                               const request_object_options& opt = {},
                                               random_generator& rng = default_random()) {
    if (opt.lifetime <= std::chrono::seconds(0) || opt.lifetime > std::chrono::minutes(60))
        return make_error(errc::invalid_options, "request object lifetime must be 1 s to 60 min");
    OBAUTH_TRY(const parameter_list params, authorization_parameters(c, r));
    json claims = json::object();
    for (const auto& [name, value] : params)
        claims[name] = value;
    if (r.max_age)
        claims["max_age"] = r.max_age->count();
    if (!r.claims.is_null())
        claims["claims"] = r.claims;
    if (!r.authorization_details.is_null())
        claims["authorization_details"] = r.authorization_details;
    if (r.resources.size() > 1)
        claims["resource"] = r.resources;
    OBAUTH_TRY(std::string jti, random_base64url(16, rng));
    claims["iss"] = c.auth.client_id();
    claims["aud"] = c.server.issuer;
    claims["iat"] = to_unix_seconds(now);
    claims["nbf"] = to_unix_seconds(now);
    claims["exp"] = to_unix_seconds(now + opt.lifetime);
    claims["jti"] = jti;
    jose::jws_sign_options so;
    so.alg = opt.alg;
    if (!opt.typ.empty())
        so.typ = opt.typ;
    const auto& encryption = c.encryption.request_object;
    if (!encryption)
        return jose::sign_jwt(claims, key, so);
    if (opt.server_keys == nullptr)
        return make_error(errc::invalid_options,
                          "request object encryption needs the server's keys");
    auto recipient = jwe::select_recipient(*opt.server_keys, encryption->alg);
    if (!recipient)
        return make_error(errc::invalid_options,
                          "request object encryption: " + recipient.error().to_string());
    jwe::encrypt_options eo;
    eo.alg = encryption->alg;
    eo.enc = encryption->enc;
    return jwe::sign_and_encrypt_jwt(claims, key, so, **recipient, eo);
}

namespace detail {
inline result<boost::urls::url> authorization_endpoint(const client& c) {
    return oidc::select_endpoint(c.server, oidc::endpoint::authorization,
                                 oidc::client_certificate::not_used);
}
// RFC 6749 Appendix B: the query is application/x-www-form-urlencoded
// (so '+' in a value is sent as %2B, never mistaken for a space).
inline void append_params(boost::urls::url& u, const parameter_list& p) {
    std::string q(u.encoded_query());
    for (const auto& [name, value] : p) {
        if (!q.empty())
            q += '&';
        http::append_form_encoded(name, q);
        q += '=';
        http::append_form_encoded(value, q);
    }
    u.set_encoded_query(q);
}
} // namespace detail

/// The authorization URL with every parameter in the query.
inline result<boost::urls::url> make_authorization_url(const client& c,
                                                       const authorization_request& r) {
    OBAUTH_TRY(boost::urls::url u, detail::authorization_endpoint(c));
    OBAUTH_TRY(const parameter_list p, authorization_parameters(c, r));
    detail::append_params(u, p);
    return u;
}

/// The authorization URL for a request object passed by value: client_id,
/// the request, and (OpenID Connect Core §6.1 requires them outside too)
/// response_type and scope.
inline result<boost::urls::url> make_authorization_url_by_value(const client& c,
                                                                const authorization_request& r,
                                                                std::string_view request_object) {
    OBAUTH_TRY(boost::urls::url u, detail::authorization_endpoint(c));
    parameter_list p{{"client_id", c.auth.client_id()}, {"response_type", r.response_type}};
    if (!r.scope.empty())
        p.emplace_back("scope", detail::join_scope(r.scope));
    p.emplace_back("request", std::string(request_object));
    detail::append_params(u, p);
    return u;
}

/// The authorization URL after a pushed authorization request: client_id
/// and request_uri only (RFC 9126 §4).
inline result<boost::urls::url> make_authorization_url_by_reference(const client& c,
                                                                    std::string_view request_uri) {
    if (request_uri.empty())
        return make_error(errc::invalid_options, "empty request_uri");
    OBAUTH_TRY(boost::urls::url u, detail::authorization_endpoint(c));
    detail::append_params(
        u, {{"client_id", c.auth.client_id()}, {"request_uri", std::string(request_uri)}});
    return u;
}

} // namespace obauth::oauth
