// The client: who it is to the authorization server (client_id and one of
// the seven authentication methods of RFC 6749 §2.3, OpenID Connect Core §9
// and RFC 8705 §2), the server it talks to (validated provider metadata),
// and whether its tokens are bound to its TLS certificate.
//
// Every back-channel request (token, PAR, introspection, revocation) is
// built by make_endpoint_request, so client authentication is applied the
// same way everywhere: Basic credentials as a header, client_secret_post
// fields, a fresh client assertion (private_key_jwt, client_secret_jwt), or
// "send with the client certificate" together with the RFC 8705 §5
// mtls_endpoint_aliases URL.
#pragma once

#include "client_encryption.hpp"
#include "dpop_binding.hpp"
#include "error.hpp"

#include "../assertion/client_assertion.hpp"
#include "../core/clock.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../http/form.hpp"
#include "../http/http_request.hpp"
#include "../jose/jwk.hpp"
#include "../oidc/provider_metadata.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oauth {

enum class auth_method {
    none,
    client_secret_basic,
    client_secret_post,
    client_secret_jwt,
    private_key_jwt,
    tls_client_auth,
    self_signed_tls_client_auth,
};

namespace detail {
inline constexpr std::string_view auth_method_names[] = {"none",
                                                         "client_secret_basic",
                                                         "client_secret_post",
                                                         "client_secret_jwt",
                                                         "private_key_jwt",
                                                         "tls_client_auth",
                                                         "self_signed_tls_client_auth"};
}

/// The registered name (token_endpoint_auth_method values).
inline std::string_view to_string(auth_method m) noexcept {
    return detail::auth_method_names[static_cast<std::size_t>(m)];
}
inline result<auth_method> parse_auth_method(std::string_view name) {
    for (std::size_t i = 0; i < std::size(detail::auth_method_names); ++i)
        if (detail::auth_method_names[i] == name)
            return static_cast<auth_method>(i);
    return make_error(errc::invalid_options, "unknown client authentication method");
}

/// Where the audience of a client assertion (client_secret_jwt,
/// private_key_jwt) comes from, resolved for each request. Servers differ:
/// RFC 9126 §2 and FAPI 2.0 name the issuer, RFC 7523 §3 the token
/// endpoint, and some servers (Glewlwyd) accept only the URL of the
/// endpoint the request goes to.
enum class audience_source : std::uint8_t {
    issuer,          ///< the issuer identifier
    token_endpoint,  ///< the token endpoint URL from the metadata
    endpoint_called, ///< the URL the request is sent to (token, PAR, introspection, ...)
};

/// A client's credentials. Move-only: it may hold a client secret.
class client_auth {
public:
    static client_auth none(std::string client_id) {
        return client_auth(auth_method::none, std::move(client_id));
    }
    static client_auth client_secret_basic(std::string client_id, secret client_secret) {
        client_auth a(auth_method::client_secret_basic, std::move(client_id));
        a.secret_ = std::move(client_secret);
        return a;
    }
    static client_auth client_secret_post(std::string client_id, secret client_secret) {
        client_auth a(auth_method::client_secret_post, std::move(client_id));
        a.secret_ = std::move(client_secret);
        return a;
    }
    /// HS256/384/512 keyed with the secret's octets.
    static client_auth client_secret_jwt(std::string client_id, secret client_secret,
                                         jose::algorithm alg = jose::algorithm::HS256) {
        client_auth a(auth_method::client_secret_jwt, std::move(client_id));
        a.secret_ = std::move(client_secret);
        a.alg_ = alg;
        return a;
    }
    /// Signed with the client's private key; the key's algorithm unless
    /// `alg` is given. The key handle is shared, never re-parsed.
    static client_auth private_key_jwt(std::string client_id, jose::jwk key,
                                       std::optional<jose::algorithm> alg = {}) {
        client_auth a(auth_method::private_key_jwt, std::move(client_id));
        a.key_ = std::move(key);
        a.alg_ = alg;
        return a;
    }
    /// RFC 8705 §2.1: a PKI certificate the server checks by subject.
    static client_auth tls_client_auth(std::string client_id) {
        return client_auth(auth_method::tls_client_auth, std::move(client_id));
    }
    /// RFC 8705 §2.2: a self-signed certificate registered with the client.
    static client_auth self_signed_tls_client_auth(std::string client_id) {
        return client_auth(auth_method::self_signed_tls_client_auth, std::move(client_id));
    }

    client_auth(client_auth&&) noexcept = default;
    client_auth& operator=(client_auth&&) noexcept = default;

    auth_method method() const noexcept { return method_; }
    const std::string& client_id() const noexcept { return client_id_; }
    bool uses_client_certificate() const noexcept {
        return method_ == auth_method::tls_client_auth ||
               method_ == auth_method::self_signed_tls_client_auth;
    }
    /// The signing algorithm for the JWT methods, if one was chosen.
    std::optional<jose::algorithm> algorithm() const noexcept { return alg_; }
    /// The private key of private_key_jwt (or nullptr).
    const jose::jwk* key() const noexcept { return key_ ? &*key_ : nullptr; }

    /// The audience of client assertions, resolved per request from these
    /// sources; several become an array (equal values once). Default: the
    /// issuer.
    std::vector<audience_source> assertion_audience_sources{audience_source::issuer};
    /// Fixed assertion audience values; when given, they replace the sources.
    std::vector<std::string> assertion_audience;
    std::chrono::seconds assertion_lifetime{60};

    /// The assertion audience for a request to `endpoint_url` of `server`.
    result<std::vector<std::string>> assertion_audience_for(const oidc::provider_metadata& server,
                                                            std::string_view endpoint_url) const {
        if (!assertion_audience.empty())
            return assertion_audience;
        std::vector<std::string> out;
        for (const audience_source s : assertion_audience_sources) {
            std::string value;
            switch (s) {
            case audience_source::issuer:
                value = server.issuer;
                break;
            case audience_source::token_endpoint:
                if (!server.endpoints.token)
                    return make_error(errc::invalid_options,
                                      "assertion audience: the provider has no token endpoint");
                value = std::string(server.endpoints.token->buffer());
                break;
            case audience_source::endpoint_called:
                value = std::string(endpoint_url);
                break;
            }
            if (std::find(out.begin(), out.end(), value) == out.end())
                out.push_back(std::move(value));
        }
        if (out.empty() || (out.size() == 1 && out.front().empty()))
            return make_error(errc::invalid_options, "empty client assertion audience");
        return out;
    }

    /// Adds the credentials to a back-channel request to `server` (its URL
    /// already in `req`): fields to `body`, or an Authorization header.
    result<void> apply(http::http_request& req, http::form_body& body,
                       const oidc::provider_metadata& server, time_point now,
                       random_generator& rng) const {
        if (client_id_.empty())
            return make_error(errc::invalid_options, "empty client_id");
        switch (method_) {
        case auth_method::client_secret_basic: {
            const secret h = http::basic_authorization(client_id_, secret_);
            http::set_header(req.headers, "Authorization", wiping_string(h.expose_secret_chars()));
            return {};
        }
        case auth_method::client_secret_post:
            body.add("client_id", client_id_);
            body.add("client_secret", secret_.expose_secret_chars());
            return {};
        case auth_method::client_secret_jwt:
        case auth_method::private_key_jwt: {
            assertion::assertion_options o;
            o.client_id = client_id_;
            OBAUTH_TRY(o.audience, assertion_audience_for(server, req.url.buffer()));
            o.lifetime = assertion_lifetime;
            auto a = method_ == auth_method::private_key_jwt
                         ? assertion::make_private_key_jwt(*key_, o, now, alg_, rng)
                         : assertion::make_client_secret_jwt(
                               secret_, alg_.value_or(jose::algorithm::HS256), o, now, rng);
            if (!a)
                return std::move(a).error();
            body.add("client_id", client_id_);
            for (const auto& [name, value] : a->form_parameters())
                body.add(name, value);
            secret::wipe(a->jwt);
            return {};
        }
        case auth_method::none:
        case auth_method::tls_client_auth:
        case auth_method::self_signed_tls_client_auth:
            body.add("client_id", client_id_);
            if (uses_client_certificate())
                req.use_client_certificate = true;
            return {};
        }
        return {};
    }

private:
    client_auth(auth_method m, std::string id) : method_(m), client_id_(std::move(id)) {}

    auth_method method_;
    std::string client_id_;
    secret secret_;
    std::optional<jose::jwk> key_;
    std::optional<jose::algorithm> alg_;
};

/// A configured client of one authorization server.
struct client {
    oidc::provider_metadata server;
    client_auth auth;
    /// RFC 8705 §3: access tokens are bound to the client's TLS certificate,
    /// so token and resource requests go out with it (and to the mTLS
    /// aliases) even when the client authenticates otherwise.
    bool certificate_bound_tokens = false;
    /// Limit for every response body obauth parses.
    std::size_t max_response_bytes = 256 * 1024;
    /// The client's registration (OpenID Connect Dynamic Client Registration
    /// §2, JARM §3): the algorithm its ID tokens and its JARM responses are
    /// signed with. Unset: RS256, the registration default. The flows accept
    /// exactly this algorithm unless their options pin others.
    std::optional<jose::algorithm> id_token_signed_response_alg{};
    std::optional<jose::algorithm> authorization_signed_response_alg{};
    /// DPoP (RFC 9449): when set, token and PAR requests carry a proof, the
    /// flows accept DPoP-bound tokens and answer use_dpop_nonce once.
    std::shared_ptr<dpop_binding> dpop{};
    /// What the client registered encrypted: the responses it decrypts, its
    /// request objects' encryption (client_encryption.hpp).
    client_encryption encryption{};

    bool uses_client_certificate() const noexcept {
        return certificate_bound_tokens || auth.uses_client_certificate();
    }
};

/// The token_type values a token response may carry for `c`: with DPoP,
/// "DPoP" -- alone when the binding is required, else beside `configured`.
inline std::vector<std::string> accepted_token_types(const client& c,
                                                     std::vector<std::string> configured) {
    if (!c.dpop)
        return configured;
    if (c.dpop->require_binding())
        return {"DPoP"};
    configured.emplace_back("DPoP");
    return configured;
}

/// The URL of endpoint `e` the client sends to: its mTLS alias when the
/// client presents a certificate (RFC 8705 §5).
inline result<boost::urls::url> endpoint_url(const client& c, oidc::endpoint e) {
    return oidc::select_endpoint(c.server, e,
                                 c.uses_client_certificate() ? oidc::client_certificate::used
                                                             : oidc::client_certificate::not_used);
}

/// A form POST to endpoint `e` of the client's server, authenticated as
/// the client: the fields already in `body`, then the credentials.
inline result<http::http_request> make_endpoint_request(const client& c, oidc::endpoint e,
                                                        http::form_body body, time_point now,
                                                        random_generator& rng = default_random()) {
    OBAUTH_TRY(boost::urls::url url, endpoint_url(c, e));
    http::http_request req;
    req.method = http::http_method::post;
    req.url = std::move(url);
    req.use_client_certificate = c.uses_client_certificate();
    OBAUTH_TRY_VOID(c.auth.apply(req, body, c.server, now, rng));
    if (c.dpop && (e == oidc::endpoint::token || e == oidc::endpoint::pushed_authorization_request))
        OBAUTH_TRY_VOID(c.dpop->prove(req, now, rng));
    req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    req.headers.push_back({"Accept", "application/json"});
    req.body = body.take();
    return req;
}

/// A request about one token (RFC 7662 introspection, RFC 7009
/// revocation): `token` and an optional `token_type_hint`.
inline result<http::http_request>
make_token_operation_request(const client& c, oidc::endpoint e, const secret& token,
                             std::string_view token_type_hint, time_point now,
                             random_generator& rng = default_random()) {
    if (token.empty())
        return make_error(errc::invalid_options, "empty token");
    http::form_body body;
    body.add("token", token.expose_secret_chars());
    if (!token_type_hint.empty())
        body.add("token_type_hint", token_type_hint);
    return make_endpoint_request(c, e, std::move(body), now, rng);
}

} // namespace obauth::oauth
